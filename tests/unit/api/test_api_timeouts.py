"""Timeouts from the body's size and the link's measured rate; a stall found on an injected clock."""

from __future__ import annotations

import pytest

from kiosk.api._timeouts import (
    MIN_UPLOAD_RATE,
    RATE_FLOOR,
    RateMeter,
    StallWatch,
    call_deadline,
    upload_seconds,
)


def test_before_any_upload_the_slowest_rate_worth_waiting_for_is_assumed() -> None:
    meter = RateMeter()
    assert meter.measured is None and meter.rate() == MIN_UPLOAD_RATE
    assert upload_seconds(320 * 1024, meter) == pytest.approx(20.0)  # 10 s at 256 kbit/s, twice


def test_the_deadline_grows_with_the_body_and_shrinks_with_a_faster_link() -> None:
    meter = RateMeter()
    small = call_deadline(100_000, meter, connect_s=5, read_s=60)
    large = call_deadline(1_000_000, meter, connect_s=5, read_s=60)
    assert large - small == pytest.approx(2 * 900_000 / MIN_UPLOAD_RATE)
    meter.add(1_000_000, 2.0)  # 500 kB/s measured
    assert call_deadline(1_000_000, meter, connect_s=5, read_s=60) == pytest.approx(5 + 4.0 + 60)


def test_a_link_slower_than_assumed_gets_more_time_down_to_a_floor() -> None:
    meter = RateMeter()
    meter.add(80_000, 10.0)  # 8 kB/s: a bad cell
    assert upload_seconds(80_000, meter) == pytest.approx(20.0)
    meter.add(1_000, 10.0)  # a burst of loss: not believed below the floor
    assert meter.rate() == RATE_FLOOR


def test_the_rate_follows_the_link_and_ignores_uploads_too_short_to_tell() -> None:
    meter = RateMeter()
    meter.add(50_000, 0.01)  # swallowed by the socket buffers: says nothing
    assert meter.measured is None
    meter.add(100_000, 1.0)
    meter.add(300_000, 1.0)
    assert meter.measured == pytest.approx(200_000)  # the newest counts half


class Wire:
    """What the sender handed over and what still waits in the socket, on a fake clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.unsent = 0
        self.stalls = 0
        self.reports: list[tuple[int, int]] = []

    def watch(self, total: int, stall_s: float | None = 2.0) -> StallWatch:
        return StallWatch(total, lambda: self.unsent, stall_s=stall_s, on_stall=self.stall,
                          progress=lambda s, t: self.reports.append((s, t)), clock=lambda: self.now)

    def stall(self) -> None:
        self.stalls += 1


def test_progress_counts_what_the_network_took_not_what_was_handed_over() -> None:
    wire = Wire()
    watch = wire.watch(100_000)
    watch.handed, wire.unsent = 100_000, 90_000  # all handed over, 90 kB still in the kernel
    assert watch.check() and wire.reports == [(10_000, 100_000)]
    wire.now, wire.unsent = 1.0, 40_000
    assert watch.check() and wire.reports[-1] == (60_000, 100_000)
    wire.now, wire.unsent = 2.5, 0
    assert not watch.check()  # all taken: nothing left to watch
    assert watch.seconds == 2.5 and wire.stalls == 0


def test_no_progress_for_the_stall_limit_cuts_the_upload_once() -> None:
    wire = Wire()
    watch = wire.watch(100_000, stall_s=2.0)
    watch.handed, wire.unsent = 50_000, 20_000
    assert watch.check()
    wire.now = 1.9
    assert watch.check() and wire.stalls == 0  # slow is not stalled
    wire.now = 2.0
    assert not watch.check() and watch.stalled and wire.stalls == 1
    wire.now = 10.0
    assert not watch.check() and wire.stalls == 1
    watch.stop()
    assert wire.stalls == 1 and watch.seconds is None  # the body was never taken whole


def test_a_slow_answer_after_the_whole_body_is_not_a_stall() -> None:
    wire = Wire()
    watch = wire.watch(1_000, stall_s=1.0)
    watch.handed = 1_000
    assert not watch.check()
    wire.now = 30.0  # the service takes its time: the deadline covers that, not the stall limit
    watch.stop()
    assert wire.stalls == 0 and watch.seconds == 0.0


def test_without_a_stall_limit_nothing_is_ever_cut() -> None:
    wire = Wire()
    watch = wire.watch(1_000, stall_s=None)
    wire.now = 1e6
    assert watch.check() and wire.stalls == 0


def test_the_read_timeout_counts_from_when_the_network_took_the_last_byte() -> None:
    wire = Wire()
    watch = StallWatch(100_000, lambda: wire.unsent, stall_s=2.0, on_stall=wire.stall,
                       progress=None, clock=lambda: wire.now, answer_s=5.0)
    watch.handed, wire.unsent = 100_000, 100_000  # handed over at 0 s; the kernel holds it all
    assert watch.check()
    wire.now, wire.unsent = 1.5, 50_000
    assert watch.check()
    wire.now, wire.unsent = 3.0, 0  # taken whole at 3 s: the answer's wait starts here
    assert watch.check()
    wire.now = 7.9
    assert watch.check() and not watch.late
    wire.now = 8.0
    assert not watch.check() and watch.late and wire.stalls == 1 and not watch.stalled
