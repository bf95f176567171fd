"""A misbehaving HTTP server on 127.0.0.1 for the client's fault tests (the toxiproxy set of faults).

Each request is answered by the next behaviour of a script (the last one repeats). The server
records what it received, so tests can count attempts and see whether a body arrived whole.
Waits inside behaviours are on the server's stop event, so stopping never waits them out.
"""

from __future__ import annotations

import json
import socket
import socketserver
import ssl
import struct
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any


@dataclass
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    expected_length: int

    @property
    def complete(self) -> bool:
        return len(self.body) == self.expected_length


Behaviour = Callable[["Exchange"], None]


@dataclass
class Exchange:
    """A connection being served: the socket, what came in, and the server's stop event."""

    sock: socket.socket
    stop: threading.Event
    server: FaultServer
    received: Received | None = None
    _buffer: bytes = field(default=b"", repr=False)
    _body_read: bool = field(default=False, repr=False)

    def read_headers(self) -> Received | None:
        while b"\r\n\r\n" not in self._buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        head, _, self._buffer = self._buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        self.received = Received(method, path, headers, b"",
                                 int(headers.get("content-length", "0")))
        self.server.received.append(self.received)
        return self.received

    def read_body(self, *, limit: int | None = None, pace: float = 0.0) -> None:
        """Read the body (or ``limit`` bytes of it); ``pace`` seconds between 1 KiB reads."""
        assert self.received is not None
        if self._body_read:
            return
        self._body_read = True
        want = self.received.expected_length if limit is None else limit
        body = bytearray(self._buffer[:want])
        self._buffer = b""
        while len(body) < want:
            if pace and self.stop.wait(pace):
                break
            chunk = self.sock.recv(1024 if pace else 65536)
            if not chunk:
                break
            body += chunk
            self.received.body = bytes(body)
        self.received.body = bytes(body)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)


def http_response(status: int, body: bytes, *, content_type: str = "application/json",
                  length: int | None = None, extra: dict[str, str] | None = None) -> bytes:
    """Raw bytes of an HTTP/1.1 response (``length`` may lie about the body)."""
    reason = {200: "OK", 302: "Found", 404: "Not Found", 500: "Internal Server Error",
              502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Status")
    headers = {"Content-Type": content_type,
               "Content-Length": str(len(body) if length is None else length),
               "Date": formatdate(usegmt=True), "Connection": "close", **(extra or {})}
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


def reply(code: int = 0, data: dict[str, Any] | None = None, message: str = "OK", *,
          status: int = 200, extra: dict[str, str] | None = None) -> Behaviour:
    """Read the request, answer with a service reply."""
    payload = json.dumps({"code": code, "message": message, "data": data or {}}).encode()

    def run(ex: Exchange) -> None:
        ex.read_body()
        ex.send(http_response(status, payload, extra=extra))

    return run


def raw(status: int, body: bytes, *, content_type: str = "application/json",
        length: int | None = None) -> Behaviour:
    """Read the request, answer with these bytes (a lying ``length`` makes a truncated body)."""

    def run(ex: Exchange) -> None:
        ex.read_body()
        ex.send(http_response(status, body, content_type=content_type, length=length))

    return run


def delayed(seconds: float, then: Behaviour) -> Behaviour:
    """Read the request, wait, then behave as ``then`` (a slow server)."""

    def run(ex: Exchange) -> None:
        ex.read_body()
        if not ex.stop.wait(seconds):
            then(ex)

    return run


def hang() -> Behaviour:
    """Read the request and never answer (until the server stops)."""

    def run(ex: Exchange) -> None:
        ex.read_body()
        ex.stop.wait(30)

    return run


def trickle(body: bytes, interval: float) -> Behaviour:
    """Answer headers at once, then the body one byte per ``interval`` seconds."""

    def run(ex: Exchange) -> None:
        ex.read_body()
        ex.send(http_response(200, b"", length=len(body)))
        for i in range(len(body)):
            if ex.stop.wait(interval):
                return
            ex.send(body[i : i + 1])

    return run


def slow_reader(pace: float) -> Behaviour:
    """Read the body 1 KiB per ``pace`` seconds (an upload that trickles), then answer 0."""

    def run(ex: Exchange) -> None:
        ex.read_body(pace=pace)
        ex.send(http_response(200, b'{"code":0,"message":"OK","data":{}}'))

    return run


def close_after_body() -> Behaviour:
    """Read the whole request, then hang up without a word."""

    def run(ex: Exchange) -> None:
        ex.read_body()

    return run


def reset_mid_body(after: int) -> Behaviour:
    """Read ``after`` bytes of the body, then reset the connection (RST)."""

    def run(ex: Exchange) -> None:
        ex.read_body(limit=after)
        ex.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return run


class _Handler(socketserver.BaseRequestHandler):
    server: _TCPServer

    def handle(self) -> None:
        owner = self.server.owner
        sock: socket.socket = self.request
        if owner.tls is not None:
            try:
                sock = owner.tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                owner.tls_failures += 1
                return
        ex = Exchange(sock, owner.stop, owner)
        try:
            if ex.read_headers() is None:
                return
            owner.next_behaviour()(ex)
        except OSError:
            pass


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FaultServer


class FaultServer:
    """``with FaultServer([reply(15), reply(0, {...})]) as server: server.url``."""

    def __init__(self, script: Sequence[Behaviour], *, tls: ssl.SSLContext | None = None) -> None:
        self.script = list(script)
        self.tls = tls
        self.received: list[Received] = []
        self.tls_failures = 0
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._served = 0
        self._server = _TCPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            index = min(self._served, len(self.script) - 1)
            self._served += 1
            return self.script[index]

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
