"""Nothing of a person survives a kill: SIGKILL ``kiosk record`` / ``kiosk demo``, start again.

Each run is a real subprocess with its own XDG folders and TMPDIR under ``tmp_path``, so the
whole of what it left can be scanned: the staging folder next to ``--out``, the emulator's data
and upload folders in TMPDIR, the session workspace. Each test first asserts the leftovers are
there right after the kill (so it can fail), then runs the next start of another command.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "assets" / "sample_clip.mp4"

MEDIA_SUFFIXES = {".mp4", ".flv", ".wav", ".h264", ".jpg", ".jpeg", ".png"}
FOLDER_PREFIXES = (".kiosk-rec-", "kiosk-emulator-", "session-")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not Path("/proc/self/stat").exists(),
                       reason="POSIX signals and /proc"),
]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR", "TMPDIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700, exist_ok=True)
        env[var] = str(folder)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _kiosk(*argv: str) -> list[str]:
    return [sys.executable, "-m", "kiosk", *argv]


def leftovers(root: Path) -> list[Path]:
    """Media files and private working folders anywhere under ``root``."""
    return sorted(p for p in root.rglob("*")
                  if p.name.startswith(FOLDER_PREFIXES) or p.name.startswith("part")
                  or (p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES))


def loose(paths: Iterable[Path]) -> list[str]:
    """Paths others may read: files not 0600, folders not 0700."""
    bad = []
    for p in paths:
        try:
            mode = stat.S_IMODE(p.lstat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            bad.append(f"{p.name} {mode:o}")
    return bad


def wait_for(what: str, found: Callable[[], object], proc: subprocess.Popen[str],
             timeout: float = 60.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        if proc.poll() is not None:
            pytest.fail(f"the command ended (status {proc.returncode}) before {what}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (the ffmpeg encoders)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return True
    return state == "Z"


def kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL, as a crash or a pulled plug would; wait for its orphans (ffmpeg) to end too."""
    kids = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while not all(gone(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)


def next_start(env: dict[str, str], *argv: str) -> None:
    done = subprocess.run(_kiosk(*argv), env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def read_until(proc: subprocess.Popen[str], marker: str, seen: list[str]) -> None:
    """Read the command's output lines until one contains ``marker``."""
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            return
    pytest.fail(f"no line with {marker!r} (status {proc.wait()}): {''.join(seen)}")


def test_killed_record_leaves_nothing_after_the_next_start(tmp_path: Path) -> None:
    env = _env(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = subprocess.Popen(
        _kiosk("record", "--out", str(out_dir / "clip.mp4"), "--camera", "synthetic",
               "--seconds", "5"),
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        def growing() -> object:
            clips = [p for p in out_dir.glob(".kiosk-rec-*/clip.mp4") if p.stat().st_size > 0]
            return clips
        clips = wait_for("the clip grows", growing, proc)
    finally:
        kill(proc)
    assert clips, "the staging clip was seen"
    left = leftovers(tmp_path)
    assert any(p.name == "clip.mp4" for p in left), left  # the kill left the clip behind
    next_start(env, "--version")
    assert leftovers(tmp_path) == []
    assert list(out_dir.iterdir()) == []


def test_killed_demo_while_recording_leaves_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    proc = subprocess.Popen(_kiosk("demo", "--lang", "en", "--countdown", "0", "--clip-seconds", "6"),
                            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    seen: list[str] = []
    try:
        read_until(proc, "recorded 1/", seen)
        sessions = tmp_path / "xdg_runtime_dir" / "kiosk" / "sessions"
        clips = wait_for("the session clip", lambda: list(sessions.rglob("clip.mp4")), proc)
        media = [p for p in leftovers(tmp_path) if p.is_file()]
        assert loose(media) == []
    finally:
        kill(proc)
    assert clips
    left = leftovers(tmp_path)
    assert any(p.name.startswith("kiosk-emulator-data-") for p in left), left
    next_start(env, "config", "path")
    assert leftovers(tmp_path) == []
    assert list((tmp_path / "tmpdir").iterdir()) == []


def test_killed_demo_while_uploading_leaves_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    proc = subprocess.Popen(_kiosk("demo", "--lang", "en", "--countdown", "0", "--clip-seconds", "3"),
                            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    seen: list[str] = []
    tmpdir = tmp_path / "tmpdir"
    try:
        read_until(proc, "» uploading", seen)
        # The emulator keeps the uploaded parts while it judges them (about 1.5 s).
        parts = wait_for("the uploaded clip in the emulator",
                         lambda: [p for p in tmpdir.rglob("part*") if p.is_file()
                                  and p.stat().st_size > 10_000], proc)
        assert loose(parts) == []
        assert loose(p.parent for p in parts) == []  # type: ignore[union-attr]
    finally:
        kill(proc)
    assert parts
    left = leftovers(tmp_path)
    assert any(p.name.startswith("part") for p in left), left
    next_start(env, "config", "path")
    assert leftovers(tmp_path) == []
    assert list(tmpdir.iterdir()) == []


def test_live_recording_and_its_clip_are_private(tmp_path: Path) -> None:
    env = _env(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "clip.mp4"
    proc = subprocess.Popen(
        _kiosk("record", "--out", str(out), "--camera", f"file:{SAMPLE}", "--seconds", "3"),
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    staging = wait_for("the staging clip",
                       lambda: [p for p in out_dir.glob(".kiosk-rec-*/clip.mp4")
                                if p.stat().st_size > 0], proc)
    folder = staging[0].parent  # type: ignore[index]
    live = [folder, *folder.iterdir()]
    assert loose(live) == []
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(out_dir.iterdir()) == [out]


def test_killed_emulator_while_receiving_an_upload_leaves_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    tmpdir = tmp_path / "tmpdir"
    proc = subprocess.Popen(_kiosk("--lang", "en", "emulator", "--port", "0",
                                   "--data", str(tmp_path / "emulator-data")),
                            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    seen: list[str] = []
    try:
        read_until(proc, "listening on", seen)
        host, port = seen[-1].split("http://", 1)[1].strip().rsplit(":", 1)
        body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.mp4\"\r\n"
                b"\r\n" + SAMPLE.read_bytes()[:150_000])
        head = (f"POST /face/livedetectfour HTTP/1.1\r\nHost: {host}\r\n"
                "Content-Type: multipart/form-data; boundary=XyZ\r\n"
                f"Content-Length: {len(body) + 500_000}\r\n\r\n").encode()
        # Half a clip sent and the connection held open: the part waits on disk for the rest.
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(head + body)
            parts = wait_for("the uploaded part", lambda: [p for p in tmpdir.rglob("part*")
                             if p.is_file() and p.stat().st_size > 10_000], proc)
            assert loose(parts) == []  # type: ignore[arg-type]
            kill(proc)
    finally:
        kill(proc)
    assert any(p.name.startswith("part") for p in leftovers(tmp_path))
    next_start(env, "config", "path")
    assert leftovers(tmp_path) == []
    assert list(tmpdir.iterdir()) == []
