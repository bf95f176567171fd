"""The soak's service and networks (child processes) and its customers' camera files."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "assets" / "sample_clip.mp4"
# `kiosk ARGS...`, ended by Linux when the soak dies, however it dies (PR_SET_PDEATHSIG).
_DIE_WITH_US = (
    "import os, sys, signal; from kiosk.supervisor import die_with_parent; "
    "die_with_parent(int(os.environ['SOAK_PID']), signal.SIGTERM); "
    "from kiosk.cli import main; sys.argv[0] = 'kiosk'; sys.exit(main(sys.argv[1:]))"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Emulator:
    """``kiosk emulator`` on a fixed port and data folder, so a restart is the same service."""

    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.data, self.env, self.port = data, env, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.credentials: dict[str, str] = {}
        self.proc: subprocess.Popen[str] | None = None
        self.ready = threading.Event()
        self.restarts = 0

    def start(self) -> None:
        """Start it; ``ready`` is set once it listens (read on a thread: the GUI must not wait)."""
        self.ready.clear()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _DIE_WITH_US, "emulator", "--port", str(self.port), "--data",
             str(self.data)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, env={**self.env, "SOAK_PID": str(os.getpid())},
            cwd=REPO)
        threading.Thread(target=self._read, args=(self.proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        with proc.stdout:  # closed at its end: each restart must not keep a pipe (the soak counts fds)
            for line in proc.stdout:  # drained to the end, so its pipe never fills
                m = re.search(r"appid (\S+), secret id (\S+), secret key (\S+)", line)
                if m and not self.credentials:
                    self.credentials = dict(zip(("appid", "secret_id", "secret_key"), m.groups(),
                                                strict=False))
                if "Press Ctrl-C" in line:
                    self.ready.set()

    def restart(self) -> None:
        """Killed as a crashed server is, then started again on the same port and data."""
        self.stop(kill=True)
        self.restarts += 1
        self.start()

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.proc.wait(10)
        self.proc = None


class Network:
    """tests/support/soak_network.py: the slow link, the garbage server and a closed port."""

    def __init__(self, upstream_port: int, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "support" / "soak_network.py"),
             str(upstream_port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout is not None
        ports = json.loads(self.proc.stdout.readline())
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(10)


def make_media(folder: Path) -> dict[str, str]:
    """file: camera specs for the customers, cut from the sample clip with ffmpeg."""
    from kiosk.media.ffmpeg_exe import find_ffmpeg

    folder.mkdir(parents=True)
    ffmpeg = find_ffmpeg()
    jobs = {
        # the person's picture, but not a sound from them (a muted microphone)
        "silent.mp4": ["-i", str(SAMPLE), "-af", "volume=0", "-c:v", "copy"],
        # the face small and in the top left corner, far outside the oval
        "offside.mp4": ["-i", str(SAMPLE), "-vf", "scale=iw/3:ih/3,pad=640:480:0:0",
                        "-c:a", "copy"],
        # the index first, so the file plays until its cut (see below)
        "cut.mp4": ["-i", str(SAMPLE), "-c", "copy", "-movflags", "+faststart"],
    }
    specs = {"sample": f"file:{SAMPLE}"}
    for name, args in jobs.items():
        out = folder / name
        subprocess.run([ffmpeg, "-v", "error", "-y", *args, str(out)], check=True, timeout=120)
        specs[name.split(".")[0]] = f"file:{out}"
    # A camera file that ends early: cut after 40 % of its bytes, about 2 s in. The recording
    # starts the file over, so it breaks while the customer is being recorded.
    cut = folder / "cut.mp4"
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 5])
    return specs
