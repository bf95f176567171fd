"""The background sender: the outbox's rows to the fleet service, and a heartbeat every minute.

It runs on its own daemon thread and touches nothing the verification waits for: the audit row
is already committed (with its outbox copy) before the sender sees it, and a slow or dead service
only makes the sender wait longer before its next try. Rows go in outbox order, in batches; the
service keeps each uid once, so a batch sent twice (a reply lost on the way) is harmless.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from kiosk.config import Paths
from kiosk.fleet import health, protocol
from kiosk.fleet.membership import Membership, load
from kiosk.fleet.outbox import Outbox, Pending

log = logging.getLogger("kiosk.fleet.sender")
BATCH = 200
POLL_S = 5.0  # how soon a new row leaves when all is well
MAX_BACKOFF_S = 300.0


@dataclass
class Round:
    """What one flush did: rows delivered, rows refused, and whether to back off (and how long)."""

    sent: int = 0
    refused: int = 0
    failed: bool = False
    retry_after: float | None = None
    status: str = ""


class Sender:
    """Delivers one kiosk's outbox and heartbeats; ``run`` is the thread's loop."""

    def __init__(self, paths: Paths, member: Membership, *, session: Any = None,
                 clock: Callable[[], float] = time.time, batch: int = BATCH,
                 beat: Callable[[float, int], dict[str, Any]] | None = None,
                 timeout: tuple[float, float] = (5.0, 20.0)) -> None:
        self.paths = paths
        self.member = member
        self.outbox = Outbox(paths.audit_db)
        self.session = session or requests.Session()
        self.clock = clock
        self.batch = batch
        self.timeout = timeout
        self.stop_event = threading.Event()
        self._wake = threading.Event()
        self._beat_now = False
        # What the GUI reports (its self-test, a failed device) rides on the next heartbeat.
        self.reported = health.Reported(wake=self.beat_soon, clock=clock)
        self._beat = beat or (lambda now, waiting: health.beat(paths, now, waiting,
                                                               reported=self.reported))
        self.thread: threading.Thread | None = None
        self.failures = 0

    def _post(self, path: str, payload: Any) -> requests.Response:
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = protocol.sign(self.member.key, "POST", protocol.API + path, body, now=self.clock())
        headers[protocol.HEADER_KIOSK] = self.member.kiosk_id
        headers["Content-Type"] = "application/json"
        return self.session.post(self.member.url + protocol.API + path, data=body,
                                 headers=headers, timeout=self.timeout)

    def _failed(self, done: Round, reply: requests.Response | None, exc: Exception | None) -> Round:
        done.failed = True
        if reply is None:
            done.status = type(exc).__name__ if exc else "error"
            return done
        done.status = f"HTTP {reply.status_code}"
        if reply.status_code == 401:  # unknown, revoked or replayed: the rows stay, we retry
            log.warning("fleet service refused this kiosk's key: %s", _reason(reply))
        with contextlib.suppress(ValueError):
            done.retry_after = float(reply.headers.get("Retry-After", ""))
        return done

    def flush(self) -> Round:
        """Send every waiting row, oldest first, until the outbox is empty or a call fails."""
        done = Round()
        while not self.stop_event.is_set():
            rows = self.outbox.take(self.batch)
            if not rows:
                return done
            if not self._send(rows, done):
                return done
        return done

    def _send(self, rows: list[Pending], done: Round) -> bool:
        try:
            reply = self._post("/audit", {"rows": [r.to_send() for r in rows]})
        except requests.RequestException as exc:
            self._failed(done, None, exc)
            return False
        if reply.status_code == 200:
            self.outbox.delivered([r.seq for r in rows])
            done.sent += len(rows)
            return True
        if reply.status_code == 422:
            if len(rows) > 1:  # find the row it was about: the others still go
                return all(self._send([r], done) for r in rows)
            reason = _reason(reply)
            log.error("fleet service refused audit row %s for good: %s", rows[0].uid[:8], reason)
            self.outbox.refuse(rows[0].seq, reason)
            done.refused += 1
            return True
        self._failed(done, reply, None)
        return False

    def heartbeat(self) -> bool:
        """Send one heartbeat; True when the service took it."""
        waiting, _ = self.outbox.counts()
        try:
            reply = self._post("/heartbeat", self._beat(self.clock(), waiting))
        except requests.RequestException:
            return False
        if reply.status_code == 401:
            log.warning("fleet heartbeat refused: %s", _reason(reply))
        return reply.status_code == 200

    def backoff(self, done: Round) -> float:
        """Seconds until the next try: POLL_S when all went, else doubling up to MAX_BACKOFF_S."""
        if not done.failed:
            self.failures = 0
            return POLL_S
        self.failures += 1
        wait = min(MAX_BACKOFF_S, 2.0 ** self.failures) * random.uniform(0.8, 1.2)
        return max(wait, done.retry_after or 0.0)

    def run(self) -> None:
        """The loop: heartbeat when due, flush, wait; until stop()."""
        next_beat = 0.0
        while not self.stop_event.is_set():
            try:
                if self._beat_now or time.monotonic() >= next_beat:
                    self._beat_now = False
                    next_beat = time.monotonic() + self.member.heartbeat_s
                    self.heartbeat()
                wait = self.backoff(self.flush())
            except Exception:  # the sender must outlive any surprise; the kiosk goes on anyway
                log.exception("fleet sender round failed")
                wait = MAX_BACKOFF_S / 10
            self._wake.wait(min(wait, max(0.0, next_beat - time.monotonic())))
            self._wake.clear()

    def wake(self) -> None:
        """Try now (a new row, or the network is back)."""
        self._wake.set()

    def beat_soon(self) -> None:
        """Send a heartbeat now rather than at the minute (the health just changed)."""
        self._beat_now = True
        self._wake.set()

    def start(self) -> Sender:
        """Run on a daemon thread."""
        self.thread = threading.Thread(target=self.run, name="fleet-sender", daemon=True)
        self.thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop and wait for the thread."""
        self.stop_event.set()
        self._wake.set()
        if self.thread is not None:
            self.thread.join(timeout)


def _reason(reply: requests.Response) -> str:
    try:
        return str(reply.json().get("reason", ""))[:300]
    except ValueError:
        return f"HTTP {reply.status_code}"


def start_background(paths: Paths | None = None) -> Sender | None:
    """Start the sender when this kiosk has joined a fleet; None (and nothing runs) otherwise."""
    paths = paths or Paths.default()
    try:
        member = load(paths)
    except Exception as exc:  # a broken keyring must not stop the kiosk
        log.warning("fleet membership not readable (%s): not reporting", type(exc).__name__)
        return None
    return Sender(paths, member).start() if member is not None else None
