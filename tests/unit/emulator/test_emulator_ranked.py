"""The emulator's job queue: requests' jobs run in the order the requests came, one per slot."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError, ThreadPoolExecutor

import pytest

from kiosk.emulator.ranked import RankedPool


def test_a_later_requests_jobs_wait_behind_an_earlier_requests_second_job() -> None:
    ran: list[str] = []
    gate = threading.Event()

    def job(name: str) -> str:
        if name == "hold":
            gate.wait(5)
        ran.append(name)
        return name

    with ThreadPoolExecutor(max_workers=1) as pool:
        ranked = RankedPool(pool, slots=1)
        first, second, third = ranked.ticket(), ranked.ticket(), ranked.ticket()
        held = ranked.submit(first, job, "hold")  # the one worker is busy
        # Submitted while it works, in the order a plain pool would interleave them:
        jobs = [ranked.submit(third, job, "third-clip"), ranked.submit(second, job, "second-clip"),
                ranked.submit(first, job, "first-card"), ranked.submit(second, job, "second-card")]
        gate.set()
        assert held.result(5) == "hold"
        assert [j.result(5) for j in jobs] == ["third-clip", "second-clip", "first-card",
                                               "second-card"]
        ranked.close()
    assert ran == ["hold", "first-card", "second-clip", "second-card", "third-clip"]


def test_never_more_jobs_in_the_executor_than_slots() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def job() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.02)
        with lock:
            running -= 1

    with ThreadPoolExecutor(max_workers=6) as pool:
        ranked = RankedPool(pool, slots=2)
        for f in [ranked.submit(ranked.ticket(), job) for _ in range(12)]:
            f.result(5)
        ranked.close()
    assert most == 2


def test_an_error_reaches_the_caller_and_close_cancels_what_waits() -> None:
    gate = threading.Event()

    def boom() -> None:
        raise ValueError("no face")

    with ThreadPoolExecutor(max_workers=1) as pool:
        ranked = RankedPool(pool, slots=1)
        with pytest.raises(ValueError, match="no face"):
            ranked.submit(0, boom).result(5)
        busy = ranked.submit(1, gate.wait, 5)
        waiting = ranked.submit(2, int, "7")
        for _ in range(500):  # until the feeder has handed the first to the executor
            if busy.running():
                break
            threading.Event().wait(0.01)
        ranked.close()
        gate.set()
        assert busy.result(5) is True
        with pytest.raises(CancelledError):
            waiting.result(5)
        with pytest.raises(RuntimeError):
            ranked.submit(3, int, "1")
