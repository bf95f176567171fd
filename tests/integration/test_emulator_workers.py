"""The emulator's face work in worker processes: same verdicts, and no process left behind.

``kiosk emulator`` runs the face work in a pool of spawned processes (kiosk.emulator.facework).
Stopped by SIGTERM or Ctrl-C it closes the pool; killed outright (SIGKILL), its workers notice
the parent is gone and end within a few seconds. The in-process emulator with ``face_workers``
gives the same answers as the one that works in its request threads.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.api import Client
from kiosk.emulator import EmulatorHandle, start_in_process
from kiosk.errors import ServiceError
from tests.integration.test_emulator_cli import _read_until
from tests.support.media import CARD_PHOTO, SAMPLE_CLIP, MediaFactory, session_factory

ID_NUMBER, NAME = "11010519491231002X", "王芳"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    return session_factory(tmp_path_factory)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc), children first found, then theirs."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` that still exist and are not zombies."""
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    """Poll until none of ``pids`` lives, or ``seconds`` passed; returns those still alive."""
    deadline = time.monotonic() + seconds
    tick = threading.Event()
    while alive(pids) and time.monotonic() < deadline:
        tick.wait(0.1)
    return alive(pids)


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, dict[str, str]]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--lang", "en", "emulator", "--port", "0",
         "--data", str(tmp_path / "data")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        banner = _read_until(proc, "Press Ctrl-C to stop.")
        url = re.search(r"listening on (http://\S+)", banner)
        creds = re.search(r"appid (\S+), secret id (\S+), secret key (\S+)", banner)
        assert url and creds, banner
        yield proc, url[1], {"appid": creds[1], "secret_id": creds[2], "key": creds[3],
                             "banner": banner}
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_no_worker_outlives_the_emulator(
        how: signal.Signals, media: MediaFactory,
        emulator_process: tuple[subprocess.Popen[str], str, dict[str, str]]) -> None:
    proc, url, info = emulator_process
    assert "worker processes" in info["banner"]
    assert "the spoken digits are not recognised" in info["banner"]
    with Client(url, info["appid"], info["secret_id"], info["key"], retries=0) as client:
        assert client.idcardlivedetectfour(SAMPLE_CLIP, client.livegetfour(), ID_NUMBER,
                                           NAME).passed()
        with pytest.raises(ServiceError) as refused:
            client.livedetectfour(media.build("still_photo"), client.livegetfour(),
                                  compare_flag=False)
        assert refused.value.code == -5011
    workers = descendants(proc.pid)
    assert len(alive(workers)) >= min(os.cpu_count() or 1, 4)  # the pool, sized to the machine
    proc.send_signal(how)
    proc.wait(timeout=30)
    if how != signal.SIGKILL:
        assert proc.returncode == 0
    # Stopped gracefully, the pool is closed before the process ends; killed, the workers see
    # their parent gone within a second or two.
    assert wait_gone(workers, 10.0 if how == signal.SIGKILL else 2.0) == set()


@pytest.fixture(scope="module")
def pooled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorHandle]:
    with start_in_process(tmp_path_factory.mktemp("pooled"), face_workers=2) as handle:
        yield handle


@pytest.fixture(scope="module")
def threaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorHandle]:
    with start_in_process(tmp_path_factory.mktemp("threaded")) as handle:
        yield handle


def _answers(handle: EmulatorHandle, media: MediaFactory) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = []
    with Client(handle.base_url, handle.appid, handle.secret_id, handle.secret_key,
                retries=0) as client:
        ok = client.livedetectfour(SAMPLE_CLIP, client.livegetfour(), card=CARD_PHOTO)
        out.append((ok.code, ok.sim))
        compared = client.idcardcompare(ID_NUMBER, NAME, image=CARD_PHOTO)
        out.append((compared.code, round(compared.similarity)))
        for name in ("still_photo", "frozen_mouth"):
            try:
                client.livedetectfour(media.build(name), client.livegetfour(), compare_flag=False)
                out.append((0, None))
            except ServiceError as exc:
                out.append((exc.code, None))
    return out


def test_workers_answer_as_the_request_threads_do(pooled: EmulatorHandle,
                                                  threaded: EmulatorHandle,
                                                  media: MediaFactory) -> None:
    answers = _answers(pooled, media)
    assert answers == _answers(threaded, media)
    assert [code for code, _ in answers] == [0, 0, -5011, -5010]
    assert answers[0][1] is not None and answers[0][1] >= 70


def test_replies_are_not_held_for_the_clients_ack(threaded: EmulatorHandle) -> None:
    """TCP_NODELAY on every accepted socket: a reply's two writes (head, body) go out at once.

    Without it each request on a kept-alive connection waited ~40 ms for the client's delayed
    ACK (livegetfour took 44 ms instead of 2).
    """
    host, port = threaded.base_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        server = threaded._server  # the uvicorn server of the handle
        flags = [c.transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                  socket.TCP_NODELAY)
                 for c in server.server_state.connections]
    assert flags and all(flags)
