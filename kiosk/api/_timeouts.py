"""How long an upload may take: from its size and the rate measured on this link, not one number.

A field agent's link may carry 256 kbit/s or less; a counter's carries megabits. One fixed limit is
either too short for the first or keeps the second waiting on a dead link. So:

- the overall deadline is the connect timeout, plus the body at the measured rate (twice: a
  mobile link's rate halves from minute to minute), plus the read timeout (the service's own
  time to answer);
- the read timeout starts when the program has handed the body over, but the kernel's send
  buffer may still hold most of it (megabytes fit): the body's time on the wire is added to it;
- until a rate has been measured, the slowest rate still worth waiting for (256 kbit/s) is assumed;
- a stall is not a slow link: when no byte of the body is taken by the network for ``stall_s``,
  the upload ends at once ("could not check") instead of waiting out the deadline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# The slowest upload rate still worth waiting for (256 kbit/s), assumed before one is measured.
MIN_UPLOAD_RATE = 32 * 1024
# A measured rate below this is not believed (a burst of loss): the deadline would run to hours.
RATE_FLOOR = 4 * 1024
# The body is given this many times its expected time: a mobile link's rate varies that much.
RATE_MARGIN = 2.0
# No byte of the body taken by the network for this long: the link is stalled, not slow.
STALL_S = 15.0
# Weight of the newest upload in the measured rate (an exponential moving average).
EWMA_WEIGHT = 0.5
# Uploads shorter than this say little about the rate (they fit in the socket buffers).
MIN_SAMPLE_S = 0.2


class RateMeter:
    """The upload rate of this link, from the uploads that finished (bytes per second)."""

    def __init__(self) -> None:
        self._rate: float | None = None
        self._lock = threading.Lock()

    @property
    def measured(self) -> float | None:
        """The measured rate, None before any upload long enough to tell."""
        return self._rate

    def add(self, nbytes: int, seconds: float) -> None:
        """One finished upload: ``nbytes`` taken by the network in ``seconds``."""
        if seconds < MIN_SAMPLE_S or nbytes <= 0:
            return
        rate = nbytes / seconds
        with self._lock:
            self._rate = rate if self._rate is None else (
                EWMA_WEIGHT * rate + (1 - EWMA_WEIGHT) * self._rate)

    def rate(self) -> float:
        """The rate to plan with: the measured one (not below RATE_FLOOR), else MIN_UPLOAD_RATE."""
        measured = self._rate
        return MIN_UPLOAD_RATE if measured is None else max(RATE_FLOOR, measured)


def upload_seconds(body_bytes: int, meter: RateMeter) -> float:
    """The time a body is given on the wire: twice its time at the rate to plan with."""
    return RATE_MARGIN * body_bytes / meter.rate()


def call_deadline(body_bytes: int, meter: RateMeter, *, connect_s: float, read_s: float) -> float:
    """The overall deadline of a call whose body is ``body_bytes``, on the link ``meter`` measured."""
    return connect_s + upload_seconds(body_bytes, meter) + read_s


class StallWatch:
    """Watches one upload's progress; calls ``on_stall`` when it stops for ``stall_s``.

    The bytes the network has taken are ``handed`` (set by the sender as it hands the body to
    the socket) less ``unsent()`` (what still waits in the socket's send queue). A thread of its own looks every
    ``tick_s`` and reports progress that moved. Once the whole body is taken the service is
    judging: then ``answer_s`` (the read timeout) counts from that moment, not from when the
    program handed the body over, and its end cuts the exchange too (``late``). ``clock`` and ``wait`` are injectable, so
    a test drives it without sleeping: ``check()`` is one look.
    """

    def __init__(self, total: int, unsent: Callable[[], int], *, stall_s: float | None,
                 on_stall: Callable[[], None], progress: Callable[[int, int], None] | None,
                 clock: Callable[[], float], answer_s: float | None = None,
                 tick_s: float = 0.25) -> None:
        self.total, self._unsent, self.stall_s, self.answer_s = total, unsent, stall_s, answer_s
        self.handed = 0
        self._on_stall, self._progress, self._clock, self._tick = on_stall, progress, clock, tick_s
        self.started = clock()
        self._last_bytes = 0
        self._last_move = self.started
        self.stalled = False
        self.late = False  # no answer within answer_s of the body being taken whole
        self.done_at: float | None = None  # when the whole body was taken
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # looked at from the watch's thread and the sending one

    def check(self) -> bool:
        """One look: report progress, detect a stall; False once there is nothing left to watch."""
        with self._lock:
            return self._check(stall=True)

    def _check(self, *, stall: bool) -> bool:
        if self.stalled or self.late:
            return False
        now = self._clock()
        taken = min(self.total, max(0, self.handed - self._unsent()))
        if taken > self._last_bytes:
            self._last_bytes, self._last_move = taken, now
            if self._progress is not None:
                self._progress(taken, self.total)
        if taken >= self.total:
            if self.done_at is None:
                self.done_at = now
            if stall and self.answer_s is not None and now - self.done_at >= self.answer_s:
                self.late = True  # the read timeout, counted from when the body really went
                self._on_stall()
                return False
            return self.answer_s is not None
        if stall and self.stall_s is not None and now - self._last_move >= self.stall_s:
            self.stalled = True
            self._on_stall()
            return False
        return True

    def start(self) -> None:
        """Look every ``tick_s`` on a thread of its own until stopped, done or stalled."""
        def run() -> None:
            while not self._stop.wait(self._tick) and self.check():
                pass

        self._thread = threading.Thread(target=run, name="upload-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop looking (the exchange ended); one last look records a body taken whole."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
        with self._lock:
            self._check(stall=False)  # the exchange is over: nothing left to cut

    @property
    def seconds(self) -> float | None:
        """How long the network took to take the whole body, None when it did not."""
        return None if self.done_at is None else self.done_at - self.started


__all__ = ["MIN_UPLOAD_RATE", "STALL_S", "RateMeter", "StallWatch", "call_deadline",
           "upload_seconds"]
