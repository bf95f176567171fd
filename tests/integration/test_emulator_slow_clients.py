"""Slow and numerous clients, over raw sockets on 127.0.0.1: the emulator does not wait forever.

The emulator runs with short limits (kiosk.emulator.guard.Limits) so each case takes seconds:
a request head must be complete within 1 s, a body must bring 2,000 bytes/s per 1 s window,
and at most 16 connections are served at once. Every socket has its own timeout, so a server
that holds a connection makes the test fail, never hang.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import socket
import time
from collections.abc import Iterator

import pytest

from kiosk.emulator import EmulatorHandle, start_in_process
from kiosk.emulator.guard import Limits

LIMITS = Limits(header_timeout_s=1.0, min_upload_rate=2000, rate_window_s=1.0, max_connections=16)
GRACE_S = 3.0  # on top of a limit, for a loaded machine
pytestmark = pytest.mark.timing  # time limits on slow clients, measured


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorHandle]:
    handle = start_in_process(tmp_path_factory.mktemp("slow") / "data", limits=LIMITS)
    try:
        yield handle
    finally:
        handle.stop()


def address(handle: EmulatorHandle) -> tuple[str, int]:
    host, port = handle.base_url.removeprefix("http://").rsplit(":", 1)
    assert host == "127.0.0.1"
    return host, int(port)


def connect(handle: EmulatorHandle, timeout: float = 10.0) -> socket.socket:
    sock = socket.create_connection(address(handle), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Read until the server closes; (closed in time, what it sent)."""
    sock.settimeout(seconds)
    got = b""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                return True, got
            got += chunk
    except TimeoutError:
        return False, got
    except ConnectionResetError:
        return True, got
    return False, got


def signed_head(handle: EmulatorHandle, call: str, length: int, content_type: str,
                extra: str = "") -> bytes:
    now = int(time.time())
    plain = (f"a={handle.appid}&b=&k={handle.secret_id}&e={now + 60}&t={now}"
             f"&r={time.monotonic_ns() % 999_999_999}&f=").encode()
    digest = hmac.new(handle.secret_key.encode(), plain, hashlib.sha1).digest()
    auth = base64.b64encode(digest + plain).decode()
    return (f"POST /face/{call} HTTP/1.1\r\nHost: service.image.myqcloud.com\r\n"
            f"Authorization: {auth}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


def livegetfour(handle: EmulatorHandle) -> dict[str, object]:
    """One ordinary request on a fresh connection; its strict-JSON reply."""
    body = json.dumps({"appid": handle.appid}).encode()
    with connect(handle) as sock:
        sock.sendall(signed_head(handle, "livegetfour", len(body), "application/json",
                                 "Connection: close\r\n") + body)
        closed, got = closed_within(sock, 10)
    assert closed and got.startswith(b"HTTP/1.1 200"), got[:200]
    doc: dict[str, object] = json.loads(got.split(b"\r\n\r\n", 1)[1])
    return doc


def test_half_a_header_then_nothing_is_cut_at_the_head_deadline(emulator: EmulatorHandle) -> None:
    with connect(emulator) as sock:
        sock.sendall(b"POST /face/livegetfour HTTP/1.1\r\nHost: service.image.myqcloud.com\r\n")
        started = time.monotonic()
        closed, got = closed_within(sock, LIMITS.header_timeout_s + GRACE_S)
    assert closed, "the server still holds a connection that sent half a header"
    assert time.monotonic() - started >= LIMITS.header_timeout_s * 0.9
    assert got.startswith(b"HTTP/1.1 408"), got


def test_a_connection_that_sends_nothing_is_cut_too(emulator: EmulatorHandle) -> None:
    with connect(emulator) as sock:
        closed, _ = closed_within(sock, LIMITS.header_timeout_s + GRACE_S)
    assert closed


def test_a_header_trickled_byte_by_byte_is_cut_at_the_same_deadline(
        emulator: EmulatorHandle) -> None:
    head = signed_head(emulator, "livegetfour", 2, "application/json")
    with connect(emulator) as sock:
        started = time.monotonic()
        cut = False
        for byte in head[:60]:  # one byte every 0.1 s: 6 s for the whole of it
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                cut = True
                break
            time.sleep(0.1)
            if time.monotonic() - started > LIMITS.header_timeout_s + GRACE_S:
                break
        if not cut:
            cut, _ = closed_within(sock, 0.5)
    assert cut, "a trickled header kept the connection beyond the head deadline"
    assert time.monotonic() - started < LIMITS.header_timeout_s + GRACE_S


def test_a_slow_upload_is_cut_and_its_folder_deleted(emulator: EmulatorHandle) -> None:
    boundary = "B0uNd"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; "
            "filename=\"v.mp4\"\r\n\r\n").encode()
    with connect(emulator) as sock:
        sock.sendall(signed_head(emulator, "livedetectfour", 200_000,
                                 f"multipart/form-data; boundary={boundary}") + part)
        started = time.monotonic()
        cut = False
        while time.monotonic() - started < 3 * LIMITS.rate_window_s + GRACE_S:
            try:
                sock.sendall(b"x" * 100)  # 500 bytes/s, a quarter of the minimum
            except (BrokenPipeError, ConnectionResetError):
                cut = True
                break
            cut, _ = closed_within(sock, 0.2)
            if cut:
                break
    assert cut, "a 500 bytes/s upload was held beyond the rate window"
    uploads = emulator.uploads_dir
    assert uploads is not None
    deadline = time.monotonic() + GRACE_S
    while list(uploads.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(uploads.iterdir()) == []


def test_an_upload_at_a_fair_rate_is_answered(emulator: EmulatorHandle) -> None:
    # 2.5 s at 8,000 bytes/s: longer than the window, four times the minimum rate.
    body = json.dumps({"appid": emulator.appid, "seq": "s" * 19_900}).encode()
    with connect(emulator) as sock:
        sock.sendall(signed_head(emulator, "livegetfour", len(body), "application/json",
                                 "Connection: close\r\n"))
        for i in range(0, len(body), 800):
            sock.sendall(body[i:i + 800])
            time.sleep(0.1)
        closed, got = closed_within(sock, 10)
    assert closed and got.startswith(b"HTTP/1.1 200"), got[:200]
    assert json.loads(got.split(b"\r\n\r\n", 1)[1])["code"] == 0


def test_chunked_with_a_content_length_is_400(emulator: EmulatorHandle) -> None:
    body = json.dumps({"appid": emulator.appid}).encode()
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    with connect(emulator) as sock:
        sock.sendall(signed_head(emulator, "livegetfour", len(body), "application/json",
                                 "Transfer-Encoding: chunked\r\n") + chunked)
        closed, got = closed_within(sock, 10)
    assert got.startswith(b"HTTP/1.1 400"), got[:200]
    assert closed, "the connection of an ambiguous request must not be reused"


def test_connections_past_the_cap_are_refused_at_once(emulator: EmulatorHandle) -> None:
    held = [connect(emulator) for _ in range(LIMITS.max_connections)]
    try:
        time.sleep(0.2)  # the server has accepted them all
        with connect(emulator) as extra:
            closed, got = closed_within(extra, 2.0)
        assert closed and got.startswith(b"HTTP/1.1 503"), got
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert livegetfour(emulator)["code"] == 0


@pytest.mark.slow
def test_800_slow_uploads_do_not_keep_the_emulator_from_answering(
        emulator: EmulatorHandle) -> None:
    boundary = "B0uNd"
    head = signed_head(emulator, "livedetectfour", 1_000_000,
                       f"multipart/form-data; boundary={boundary}")
    socks: list[socket.socket] = []
    try:
        for _ in range(800):
            sock = connect(emulator, timeout=5)
            with contextlib.suppress(OSError):  # refused at once: past the cap
                sock.sendall(head + b"--" + boundary.encode() + b"\r\n")
            socks.append(sock)
        started = time.monotonic()
        # While they trickle (nothing more is sent), an honest client is answered within the
        # time it takes the guard to cut them (a window and the head deadline, with grace).
        while True:
            try:
                assert livegetfour(emulator)["code"] == 0
                break
            except AssertionError:
                if time.monotonic() - started > 2 * LIMITS.rate_window_s + 2 * GRACE_S:
                    raise
                time.sleep(0.2)
        # And every one of the 800 is closed by the server.
        deadline = started + 2 * LIMITS.rate_window_s + 2 * GRACE_S
        for sock in socks:
            closed, _ = closed_within(sock, max(0.05, deadline - time.monotonic()))
            assert closed, "a slow upload was still held"
    finally:
        for sock in socks:
            sock.close()


def test_the_server_is_built_with_the_limits() -> None:
    from kiosk.emulator.server import server_for

    server = server_for(object(), Limits(header_timeout_s=3, keep_alive_s=2))
    assert server.config.timeout_keep_alive == 2
    assert server.config.http.limits.header_timeout_s == 3  # type: ignore[union-attr]
