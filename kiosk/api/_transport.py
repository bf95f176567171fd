"""The transport port: one HTTP exchange, with foreign exceptions mapped to the kiosk's here only.

``RequestsTransport`` is the real one (one ``requests.Session`` reused, certificates checked
against the system's trust store). ``MockTransport`` answers from a function, for tests and for
callers that want to script the service. Both honour an overall deadline besides the socket
timeouts: the per-socket-operation timeouts never fire on a transfer that trickles
(docs/failures.md, "Network").
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import struct
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

import requests
import urllib3.exceptions as u3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from kiosk.api import messages
from kiosk.api._exceptions import (
    ConnectionLostError,
    ConnectTimeoutError,
    DeadlineError,
    DNSError,
    ReadTimeoutError,
    RefusedError,
    TruncatedError,
)
from kiosk.api._sanitize import clean_text
from kiosk.errors import ConnectError, KioskError, ProtocolError, TimeoutError_, TLSError

if sys.platform == "linux":
    import fcntl
    import termios

    _SIOCOUTQ: int | None = termios.TIOCOUTQ  # the same ioctl for a TCP socket's send queue
else:
    _SIOCOUTQ = None

log = logging.getLogger("kiosk.api")

MAX_REPLY_BYTES = 16 * 1024 * 1024  # a reply carries one base64 JPEG; more is not a reply
READ_CHUNK = 64 * 1024


class DeadlineHitError(Exception):
    """Raised from inside a transfer when the overall deadline has passed (not a KioskError on
    purpose: urllib3 must not mistake it for a socket error and retry or wrap it)."""


@dataclass
class Deadline:
    """An overall time limit for one call (all its attempts), on a monotonic clock."""

    seconds: float
    monotonic: Callable[[], float]
    start: float = field(init=False)

    def __post_init__(self) -> None:
        self.start = self.monotonic()

    def remaining(self) -> float:
        return self.seconds - self.elapsed()

    def elapsed(self) -> float:
        """Seconds since the deadline was set."""
        return self.monotonic() - self.start

    def check(self) -> None:
        """Raise DeadlineHitError when no time is left."""
        if self.remaining() <= 0:
            raise DeadlineHitError()


@dataclass
class WireRequest:
    """What goes on the wire: a POST with its headers and a body stream (or bytes)."""

    url: str
    headers: dict[str, str]
    body: IO[bytes] | bytes
    method: str = "POST"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url

    def read_body(self, deadline: Deadline | None = None) -> bytes:
        """The whole body, read the way a socket would (chunk by chunk, progress reported)."""
        if isinstance(self.body, bytes):
            return self.body
        chunks = []
        while chunk := self.body.read(16 * 1024):
            chunks.append(chunk)
            if deadline is not None:
                deadline.check()
        return b"".join(chunks)


@dataclass
class WireResponse:
    """The status, headers and the whole body of an answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    """The port the client sends through."""

    def send(self, request: WireRequest, *, timeout: tuple[float, float],
             deadline: Deadline) -> WireResponse: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...

    def unsent(self) -> int: ...


class MockTransport:
    """Answers every request from ``handler(request, body) -> WireResponse`` (it may raise)."""

    def __init__(self, handler: Callable[[WireRequest, bytes], WireResponse]) -> None:
        self.handler = handler
        self.requests: list[tuple[WireRequest, bytes]] = []

    def send(self, request: WireRequest, *, timeout: tuple[float, float],
             deadline: Deadline) -> WireResponse:
        try:
            body = request.read_body(deadline)
        except DeadlineHitError as exc:
            raise _deadline_error(request.host, deadline) from exc
        self.requests.append((request, body))
        return self.handler(request, body)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass

    def unsent(self) -> int:
        """Nothing waits on a wire here."""
        return 0


class _Sockets:
    """The sockets a session opened, so that another thread can cut the exchanges in flight.

    A cancel must not wait out a 60 s read timeout: shutting a socket down makes the thread
    blocked in it return at once (an empty read, or EPIPE on a write).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def add(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self._lock:
                self._open.add(sock)

    def unsent(self) -> int:
        """Bytes handed to these sockets that the network has not taken yet (Linux; else 0).

        The kernel's send buffer holds up to megabytes: a body "sent" by the program may still
        be waiting there, so progress counted from what was handed over runs ahead of the wire.
        """
        with self._lock:
            socks = list(self._open)
        return sum(_send_queue(s) for s in socks)

    def cut(self) -> None:
        with self._lock:
            socks = list(self._open)
        for sock in socks:  # idle pooled ones too: the pool reconnects when it finds them dropped
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _send_queue(sock: socket.socket) -> int:
    """Bytes in a socket's send queue not yet acknowledged by the peer (SIOCOUTQ; 0 where unknown)."""
    if _SIOCOUTQ is None:
        return 0
    try:
        if sock.fileno() < 0:
            return 0
        out = fcntl.ioctl(sock.fileno(), _SIOCOUTQ, b"\0\0\0\0")
    except (OSError, ValueError):
        return 0
    return int(struct.unpack("i", out)[0])


def _pool_classes(sockets: _Sockets) -> dict[str, type[HTTPConnectionPool]]:
    """urllib3 pools whose connections report each socket they connect to ``sockets``."""

    class Connection(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class SecureConnection(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    return {"http": Pool, "https": SecurePool}


class _AbortableAdapter(HTTPAdapter):
    """Tracks its sockets (see _Sockets); with ``truststore``, verifies certificates against the
    operating system's trust store, which knows a company proxy's CA where certifi's bundle does
    not (ImportError when truststore is missing)."""

    def __init__(self, sockets: _Sockets, *, truststore: bool) -> None:
        self._sockets, self._truststore = sockets, truststore  # before: __init__ makes the pools
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._truststore:
            import truststore

            kwargs["ssl_context"] = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self._sockets)


class RequestsTransport:
    """HTTP through one reused ``requests.Session``; certificates always checked."""

    def __init__(self, session: requests.Session | None = None) -> None:
        self._own = session is None
        self._sockets = _Sockets()
        self.session = session if session is not None else requests.Session()
        if self._own:
            try:
                https = _AbortableAdapter(self._sockets, truststore=True)
            except ImportError:  # certifi's bundle, as requests' default adapter does
                log.info("truststore not available; using certifi's CA bundle")
                https = _AbortableAdapter(self._sockets, truststore=False)
            self.session.mount("https://", https)
            self.session.mount("http://", _AbortableAdapter(self._sockets, truststore=False))

    def send(self, request: WireRequest, *, timeout: tuple[float, float],
             deadline: Deadline) -> WireResponse:
        connect_timeout, read_timeout = timeout
        try:
            deadline.check()
            response = self.session.request(
                request.method, request.url, headers=request.headers, data=request.body,
                timeout=(max(0.001, min(connect_timeout, deadline.remaining())),
                         max(0.001, min(read_timeout, deadline.remaining()))),
                stream=True, allow_redirects=False,
            )
            try:
                body = _read_all(response, deadline)
            finally:
                response.close()
        except DeadlineHitError as exc:
            raise _deadline_error(request.host, deadline) from exc
        except KioskError:
            raise
        except (requests.RequestException, u3.HTTPError, OSError) as exc:
            error = map_exception(exc, request.host, timeout)
            if isinstance(error, TimeoutError_) and deadline.remaining() <= 0.01:
                # The read timeout was shortened to what was left of the deadline: say which.
                raise _deadline_error(request.host, deadline) from exc
            raise error from exc
        return WireResponse(response.status_code, response.headers, body)

    def close(self) -> None:
        if self._own:
            self.session.close()

    def abort(self) -> None:
        """Cut the exchanges in flight, from any thread: each sending thread gets an error now.

        Only a session this transport made is tracked; a given one is left as it is.
        """
        self._sockets.cut()

    def unsent(self) -> int:
        """Bytes handed over but not yet taken by the network (see _Sockets.unsent)."""
        return self._sockets.unsent()


def _read_all(response: requests.Response, deadline: Deadline) -> bytes:
    # read1 returns what has arrived instead of waiting for a full chunk, so a reply that
    # trickles in a byte at a time still meets the deadline check between reads.
    raw = response.raw
    chunks: list[bytes] = []
    size = 0
    while True:
        deadline.check()
        chunk = raw.read1(READ_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise ProtocolError(messages.REPLY_TOO_LARGE(megabytes=MAX_REPLY_BYTES // (1024 * 1024)))
        chunks.append(chunk)
    return b"".join(chunks)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes, contexts, ``reason`` and exception arguments, each once."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        stack.extend(a for a in getattr(item, "args", ()) if isinstance(a, BaseException))
        reason = getattr(item, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
        stack.extend(c for c in (item.__cause__, item.__context__) if c is not None)


def _deadline_error(host: str, deadline: Deadline) -> DeadlineError:
    return DeadlineError(messages.DEADLINE_PASSED(host=host, seconds=deadline.seconds))


def map_exception(exc: BaseException, host: str, timeout: tuple[float, float]) -> KioskError:
    """The kiosk error for a requests / urllib3 / socket exception."""
    chain = list(_chain(exc))

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    if has(ssl.SSLError, ssl.CertificateError, u3.SSLError, requests.exceptions.SSLError):
        # OpenSSL's reason may quote the peer's certificate: cleaned like any server text.
        reason = clean_text(next((str(e) for e in chain if isinstance(e, ssl.SSLError)),
                                 "handshake failed"))
        return TLSError(messages.TLS_FAILED(host=host, reason=reason))
    if has(u3.NameResolutionError, socket.gaierror):
        return DNSError(messages.DNS_FAILED(host=host))
    if has(ConnectionRefusedError):
        return RefusedError(messages.CONNECTION_REFUSED(host=host))
    if has(requests.exceptions.ConnectTimeout) or (
        has(u3.ConnectTimeoutError) and not has(u3.NewConnectionError)
    ):
        return ConnectTimeoutError(messages.CONNECT_TIMEOUT(host=host, seconds=timeout[0]))
    if has(u3.NewConnectionError, requests.exceptions.ProxyError):
        said = clean_text(str(chain[-1]))  # a proxy's answer can be quoted here
        return ConnectError(messages.CONNECT_FAILED(host=host, said=said))
    if has(u3.ReadTimeoutError, requests.exceptions.ReadTimeout, TimeoutError, socket.timeout):
        return ReadTimeoutError(messages.READ_TIMEOUT(host=host, seconds=timeout[1]))
    if has(u3.IncompleteRead, requests.exceptions.ChunkedEncodingError, u3.DecodeError):
        return TruncatedError(messages.REPLY_CUT_OFF(host=host))
    return ConnectionLostError(messages.CONNECTION_LOST(host=host))
