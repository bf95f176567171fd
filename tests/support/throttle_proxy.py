"""A field agent's link on the loopback: a TCP proxy with a rate, latency, loss and a stall.

    with ThrottleProxy(upstream_port, rate=32_000, latency_s=0.3, loss=0.02, seed=1) as proxy:
        client = Client(proxy.url, ...)        # every byte up is paced, delayed, sometimes lost
        proxy.stall(after_bytes=50_000, seconds=30)   # the link stops carrying anything, once

Upward (kiosk -> service) the proxy reads the kiosk's bytes only as fast as ``rate`` allows, in
segments of one MSS, and with a small receive buffer: the kiosk's data waits in its own send
queue as it would behind a slow radio link, so what the kiosk counts as taken is what the link
took. Each segment reaches the service ``latency_s`` later; a lost one (probability ``loss``)
arrives one retransmission timeout later, and the segments behind it wait (TCP delivers in
order). Downward only the latency applies. A stall stops the upward reading for its seconds.
``completed(n)`` counts the connections that carried at least ``n`` bytes upward (whole uploads).
"""

from __future__ import annotations

import contextlib
import heapq
import random
import socket
import threading
import time
from types import TracebackType

MSS = 1460
RECV_BUFFER = 8 * 1024  # the proxy's receive buffer: little room, so the kiosk's data waits upstream of it
MIN_RTO_S = 0.2  # Linux's minimum retransmission timeout


class ThrottleProxy:
    """A proxy on 127.0.0.1 to ``upstream_port``; ``url`` is its http address."""

    def __init__(self, upstream_port: int, *, rate: float | None = None, latency_s: float = 0.0,
                 loss: float = 0.0, seed: int = 20) -> None:
        self.upstream_port = upstream_port
        self.rate, self.latency_s, self.loss = rate, latency_s, loss
        self._rng = random.Random(seed)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._stall_after: int | None = None
        self._stall_s = 0.0
        self.up_bytes: list[int] = []  # per connection, bytes carried upward
        self.stalled_at: float | None = None
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECV_BUFFER)  # accepted ones inherit it
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.1)
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads = [threading.Thread(target=self._accept, name="proxy-accept", daemon=True)]
        self._threads[0].start()

    def stall(self, *, after_bytes: int, seconds: float) -> None:
        """Once ``after_bytes`` have gone up (over all connections), carry nothing for ``seconds``."""
        with self._lock:
            self._stall_after, self._stall_s = after_bytes, seconds

    def completed(self, body_bytes: int) -> int:
        """Connections that carried at least ``body_bytes`` upward."""
        with self._lock:
            return sum(1 for n in self.up_bytes if n >= body_bytes)

    def close(self) -> None:
        """Stop accepting and end every connection."""
        self._stop.set()
        self._listener.close()
        for t in self._threads:
            t.join(2.0)

    def __enter__(self) -> ThrottleProxy:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    # ---- the pumps ----------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                index = len(self.up_bytes)
                self.up_bytes.append(0)
            for src, dst, up in ((client, upstream, True), (upstream, client, False)):
                t = threading.Thread(target=self._pump, args=(src, dst, up, index), daemon=True)
                t.start()
                self._threads.append(t)

    def _pump(self, src: socket.socket, dst: socket.socket, up: bool, index: int) -> None:
        """Read ``src`` (paced upward), deliver each piece to ``dst`` when its delay has passed."""
        src.settimeout(0.1)
        queue: list[tuple[float, int, bytes]] = []  # (due, order, data)
        order = 0
        next_read = time.monotonic()
        last_due = 0.0
        closed = False
        try:
            while not self._stop.is_set() and not (closed and not queue):
                now = time.monotonic()
                while queue and queue[0][0] <= now:
                    dst.sendall(heapq.heappop(queue)[2])
                if closed or now < next_read:
                    self._stop.wait(min(0.01, max(0.0, (queue[0][0] if queue else now + 0.01) - now)))
                    continue
                if up:
                    self._maybe_stall()
                try:
                    data = src.recv(MSS if up else 65536)
                except TimeoutError:
                    continue
                if not data:
                    closed = True
                    continue
                if up:
                    with self._lock:
                        self.up_bytes[index] += len(data)
                    if self.rate:
                        next_read = max(now, next_read) + len(data) / self.rate
                due = now + self.latency_s
                if up and self.loss and self._rng.random() < self.loss:
                    due += max(MIN_RTO_S, 2 * self.latency_s)  # lost: resent after a timeout
                last_due = due = max(due, last_due)  # in order: nothing overtakes a lost segment
                heapq.heappush(queue, (due, order, data))
                order += 1
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            src.close()  # each socket is one pump's source: closed once

    def _maybe_stall(self) -> None:
        with self._lock:
            due = self._stall_after is not None and sum(self.up_bytes) >= self._stall_after
            seconds = self._stall_s
            if due:
                self._stall_after = None
        if due:
            self.stalled_at = time.monotonic()
            self._stop.wait(seconds)
