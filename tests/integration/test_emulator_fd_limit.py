"""Out of file descriptors: an emulator with an open-file limit of 64 and 120 uploads at once
still deletes every request's folder (cleanup must not need a new descriptor).

The emulator runs in a child process (the limit is the child's) with its connection cap raised
past what the limit allows, so descriptors really run out while the uploads hold their file
parts open; with the default cap (kiosk.emulator.guard.connection_cap: 8 at this limit) they
would not. The CLI's own start is checked with the default cap as well.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FD_LIMIT = 64
UPLOADS = 120  # connections at once, each holding a file part open on the server
CHILD = """
import sys
from pathlib import Path
from kiosk.emulator import start_in_process
from kiosk.emulator.guard import Limits
handle = start_in_process(Path(sys.argv[1]), limits=Limits(max_connections=10_000))
print(handle.base_url, flush=True)
sys.stdin.read()
handle.stop()
"""


def limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def upload(port: int, release: threading.Event, results: list[str]) -> None:
    """A multipart upload that stops in the middle of its file part until ``release``."""
    boundary = "B0uNd"
    video = os.urandom(50_000)
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"appid\"\r\n\r\n1\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; "
            "filename=\"v.mp4\"\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(part) + len(video) + len(tail)
    head = (f"POST /face/livedetectfour HTTP/1.1\r\nHost: service.image.myqcloud.com\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n").encode()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(head + part + video[:25_000])
            release.wait(20)
            sock.sendall(video[25_000:] + tail)
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
            results.append(reply.split(b"\r\n", 1)[0].decode("latin-1"))
    except OSError as exc:
        results.append(type(exc).__name__)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["script-uncapped", "kiosk-emulator"])
def test_no_request_folder_is_left_when_descriptors_run_out(tmp_path: Path, how: str) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(REPO)}
    command = ([sys.executable, "-c", CHILD, str(tmp_path / "d")] if how == "script-uncapped"
               else [sys.executable, "-m", "kiosk", "emulator", "--port", "0", "--data",
                     str(tmp_path / "d")])
    # stderr to a file: asyncio logs every refused accept(), and a full pipe would block the
    # emulator's event loop (and with it the cleanup this test is about).
    err_path = tmp_path / "stderr.txt"
    with err_path.open("w") as err:
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
            text=True, env=env, cwd=REPO, preexec_fn=limit_files,
        )
    try:
        assert proc.stdout is not None
        port = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
            if found:
                port = int(found.group(1))
                break
        assert port, "the emulator did not start"
        uploads_dirs = list(tmp.glob("kiosk-emulator-uploads-*")) or [
            tmp_path / "d" / "uploads"]
        assert len(uploads_dirs) == 1
        release = threading.Event()
        results: list[str] = []
        threads = [threading.Thread(target=upload, args=(port, release, results))
                   for _ in range(UPLOADS)]
        for t in threads:
            t.start()
        time.sleep(3)  # all connected and holding their parts open
        release.set()
        for t in threads:
            t.join(60)
        time.sleep(1)  # the last replies' cleanup
        left = sorted(p.name for p in uploads_dirs[0].iterdir())
        assert proc.poll() is None, "the emulator died"
        assert left == [], f"{len(left)} request folders left: {left[:5]}"
        # And once the flood is over, it answers again.
        results.clear()
        release.set()
        upload(port, release, results)
        assert results and results[0].startswith("HTTP/1.1 200"), results
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(20)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        print(err_path.read_text(errors="replace")[-3000:])
