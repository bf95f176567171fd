"""A session that crashes (SIGKILL) leaves its media behind; the next start deletes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

HOLDER = """
import sys, time
from kiosk.config import Paths, Workspace
ws = Workspace(Paths.default().sessions_dir).open()
ws.file("clip.mp4").write_bytes(b"face and voice" * 1000)
ws.file("card.jpg").write_bytes(b"photo")
print(ws.path, flush=True)
time.sleep(120)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700, exist_ok=True)
        env[var] = str(folder)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_killed_session_is_swept_at_the_next_start(tmp_path: Path) -> None:
    env = _env(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER], stdout=subprocess.PIPE, text=True,
                              env=env, cwd=REPO)
    try:
        assert holder.stdout is not None
        folder = Path(holder.stdout.readline().strip())
        assert (folder / "clip.mp4").exists()
        # A second start while the owner lives must leave its folder alone.
        subprocess.run([sys.executable, "-c", "from kiosk.config.housekeeping import run; run()"],
                       env=env, cwd=REPO, capture_output=True, timeout=60, check=True)
        assert (folder / "clip.mp4").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # no atexit, no finally: a crash
        holder.wait(timeout=30)
    assert (folder / "clip.mp4").exists()  # the crash left media behind...
    done = subprocess.run([sys.executable, "-m", "kiosk", "config", "path"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not folder.exists()  # ...and the next start deleted it
    log = Path(env["XDG_STATE_HOME"]) / "kiosk" / "log" / "kiosk.log"
    assert "deleted leftover session folder" in log.read_text(encoding="utf-8")
