"""Limits on slow and numerous clients, which uvicorn does not enforce by itself.

uvicorn's keep-alive timer covers only the idle time between requests, and every received byte
resets it; nothing bounds the time a client takes to send its request head or its body, and
``limit_concurrency`` answers 503 only once a whole request head has arrived. So a client that
sends half a header and then nothing, or trickles an upload, holds a connection (and its file
descriptor) for as long as it likes. :class:`GuardedH11Protocol` adds three limits to uvicorn's
h11 protocol:

- the request head must be complete within ``header_timeout_s`` of the connection (or of the
  previous reply on a kept-alive connection), however it trickles in;
- while a body is being received, each ``rate_window_s`` must bring at least
  ``min_upload_rate`` bytes per second (time when the server itself stopped reading does not
  count against the client);
- at most ``max_connections`` connections at once; one more gets ``503`` and is closed at once.
  By default 64, fewer when the open-file limit is low (:func:`connection_cap`), so that a
  flood of clients cannot take the descriptors the requests being served need.

A connection cut for being slow is closed, with ``408`` when no request had started. The app
then sees a disconnect and deletes what the request had uploaded.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("kiosk.emulator")


def _raw_reply(status: str, text: str, *extra: str) -> bytes:
    """A whole HTTP reply written before (or instead of) h11's state machine has a request."""
    body = text.encode("ascii")
    head = [f"HTTP/1.1 {status}", "content-type: text/plain; charset=utf-8",
            f"content-length: {len(body)}", *extra, "connection: close", "", ""]
    return "\r\n".join(head).encode("ascii") + body


_REFUSED = _raw_reply("503 Service Unavailable", "too many connections", "retry-after: 1")
_TIMED_OUT = _raw_reply("408 Request Timeout", "request head too slow")

# A one-line warning per this many seconds at most, however many clients are refused.
WARN_EVERY_S = 60.0


@dataclass(frozen=True)
class Limits:
    """How long a client may take to send a request, and how many may be connected at once."""

    header_timeout_s: float = 10.0
    min_upload_rate: int = 4096  # bytes/s: a 1 MB clip at this rate takes about 4 minutes
    rate_window_s: float = 10.0
    max_connections: int | None = None  # None: DEFAULT_CONNECTIONS, or what the fd limit allows
    keep_alive_s: int = 5

    def resolved(self) -> Limits:
        """These limits with ``max_connections`` filled in (:func:`connection_cap`)."""
        if self.max_connections is not None:
            return self
        return replace(self, max_connections=connection_cap())


DEFAULT_CONNECTIONS = 64
# Descriptors kept for the process itself (listening socket, log, database, libraries), and
# what one request may hold: its socket, an upload file, the media analysis' file and pipes.
RESERVED_FDS = 32
FDS_PER_CONNECTION = 4


def connection_cap(soft_limit: int | None = None) -> int:
    """How many connections to serve at once under the open-file limit (RLIMIT_NOFILE)."""
    if soft_limit is None:
        try:
            import resource
        except ImportError:  # Windows: no such limit to respect
            return DEFAULT_CONNECTIONS
        soft_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if soft_limit == resource.RLIM_INFINITY:
            return DEFAULT_CONNECTIONS
    return max(1, min(DEFAULT_CONNECTIONS, (soft_limit - RESERVED_FDS) // FDS_PER_CONNECTION))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a head deadline, a minimum upload rate and a connection cap."""

    limits: ClassVar[Limits] = Limits(max_connections=DEFAULT_CONNECTIONS)
    _last_warning: ClassVar[float] = float("-inf")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._rate_timer: asyncio.TimerHandle | None = None
        self._body_bytes = 0
        self._window_bytes = 0

    @classmethod
    def with_limits(cls, limits: Limits) -> type[GuardedH11Protocol]:
        """A subclass bound to ``limits`` (uvicorn builds one protocol object per connection)."""
        return type("GuardedH11Protocol", (cls,), {"limits": limits.resolved()})

    # ---- uvicorn's hooks ----------------------------------------------------------------------
    # uvicorn's H11Protocol narrows asyncio's BaseTransport to Transport (and ignores the same).
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # A reply is written in two parts (head, body); with Nagle's algorithm the second
            # waited for the client's delayed ACK: every request on a kept-alive connection
            # took 40 ms more (measured: livegetfour 44 ms, 2 ms with this).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        cap = self.limits.max_connections or DEFAULT_CONNECTIONS
        if len(self.connections) > cap:
            self._warn(f"more than {cap} connections at once: "
                       "refusing new ones with 503")
            transport.write(_REFUSED)
            transport.close()
            return
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.SEND_BODY:
            self._body_bytes += len(data)
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        state = self.conn.their_state
        if state is not h11.IDLE and self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
            if state is h11.SEND_BODY:
                self._body_bytes = self._window_bytes = 0
                self._arm_rate_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_head_timer()  # the next request on a kept-alive connection

    # ---- the limits ---------------------------------------------------------------------------
    def _arm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.limits.header_timeout_s, self._head_timeout)

    def _head_timeout(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        log.info("closed a connection from %s: no complete request head within %.0f s",
                 _peer(self.client), self.limits.header_timeout_s)
        if self.conn.our_state is h11.IDLE:
            self.transport.write(_TIMED_OUT)
        self.transport.close()

    def _arm_rate_timer(self) -> None:
        self._rate_timer = self.loop.call_later(self.limits.rate_window_s, self._check_rate)

    def _check_rate(self) -> None:
        self._rate_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.SEND_BODY:
            return
        received = self._body_bytes - self._window_bytes
        self._window_bytes = self._body_bytes
        paused = self.flow is not None and self.flow.read_paused
        if not paused and received < self.limits.min_upload_rate * self.limits.rate_window_s:
            log.info("closed a connection from %s: upload slower than %d bytes/s (%d bytes in "
                     "%.0f s)", _peer(self.client), self.limits.min_upload_rate, received,
                     self.limits.rate_window_s)
            self.transport.close()
            return
        self._arm_rate_timer()

    def _cancel_timers(self) -> None:
        for timer in (self._head_timer, self._rate_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._rate_timer = None

    def _warn(self, message: str) -> None:
        now = time.monotonic()
        cls = type(self)
        if now - cls._last_warning >= WARN_EVERY_S:
            cls._last_warning = now
            log.warning("%s", message)


def _peer(client: tuple[str, int] | None) -> str:
    return f"{client[0]}:{client[1]}" if client else "?"


__all__ = ["GuardedH11Protocol", "Limits", "connection_cap"]
