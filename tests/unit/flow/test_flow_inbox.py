"""The worker's one inbox: cancel ends any call at once, events carry their run, nothing polls."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from kiosk.flow import (
    CodeReceived,
    Details,
    Finished,
    Flow,
    FlowSettings,
    Guidance,
    GuidancePolicy,
    Mode,
    Step,
    StepChanged,
)
from kiosk.flow.events import Event
from kiosk.media.types import STALL_S
from tests.unit.flow.fakes import (
    FakeCapture,
    FakeChecks,
    FakeClient,
    FakeClock,
    FakeWait,
    FakeWorkspace,
    Recorder,
)

ID, NAME = "11010519491231002X", "王芳"
COUNTER = GuidancePolicy(auto_continue=False)
IDCARD = Details(Mode.IDCARD, ID, NAME)
PHOTO = Details(Mode.PHOTO, ID, NAME, photo=b"\xff\xd8face")


class HangingClient(FakeClient):
    """A service that never answers ``hang`` (call names) until abort(), or at all (``deaf``).

    ``deaf`` stands for a connection abort() did not reach: the call then holds its thread until
    the test ends it.
    """

    def __init__(self, hang: set[str], *, deaf: bool = False) -> None:
        super().__init__()
        self.hang, self.deaf = hang, deaf
        self.waiting = threading.Event()  # a call is waiting for its reply
        self.cut = threading.Event()  # abort() (or the test's end) releases the calls
        self.ended: list[str] = []

    def _wait_reply(self, name: str) -> None:
        if name in self.hang:
            self.waiting.set()
            self.cut.wait(30)
            self.ended.append(name)

    def livegetfour(self, seq: str | None = None) -> str:
        self._wait_reply("livegetfour")
        return super().livegetfour(seq)

    def idcardcompare(self, *args: Any, **kw: Any) -> Any:
        self._wait_reply("idcardcompare")
        return super().idcardcompare(*args, **kw)

    def idcardlivedetectfour(self, *args: Any, **kw: Any) -> Any:
        reply = super().idcardlivedetectfour(*args, **kw)  # the body is sent: now the reply
        self._wait_reply("idcardlivedetectfour")
        return reply

    def abort(self) -> None:
        super().abort()
        if not self.deaf:
            self.cut.set()


def make_flow(tmp_path: Any, client: FakeClient, listener: Any = None, *,
              clock: FakeClock | None = None, **settings: Any) -> Flow:
    clock = clock or FakeClock()
    s = FlowSettings(**{"guidance": GuidancePolicy.headless(), **settings})
    return Flow(client, lambda: FakeCapture(clock), lambda: FakeWorkspace(tmp_path), s,
                listener or Recorder(), checks_factory=FakeChecks, clock=clock,
                wait=FakeWait(clock))


def cancel_and_time(flow: Flow) -> tuple[Any, float]:
    started = time.monotonic()
    flow.cancel()
    result = flow.wait(10)
    return result, time.monotonic() - started


@pytest.mark.parametrize(("details", "call"), [
    (IDCARD, "livegetfour"), (PHOTO, "idcardcompare"), (IDCARD, "idcardlivedetectfour"),
])
def test_cancel_aborts_the_call_and_ends_the_run_at_once(tmp_path: Any, details: Details,
                                                        call: str) -> None:
    client = HangingClient({call})
    flow = make_flow(tmp_path, client)
    flow.start(details)
    assert client.waiting.wait(10), "the call never started"
    result, took = cancel_and_time(flow)
    assert result is not None and result.cancelled and took < 1.0
    assert client.aborts == 1 and client.ended == [call]  # abort() ended the call too
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("details", "call"), [
    (IDCARD, "livegetfour"), (PHOTO, "idcardcompare"), (IDCARD, "idcardlivedetectfour"),
])
def test_a_call_the_abort_missed_no_longer_holds_the_run(tmp_path: Any, details: Details,
                                                        call: str) -> None:
    client = HangingClient({call}, deaf=True)
    flow = make_flow(tmp_path, client)
    flow.start(details)
    assert client.waiting.wait(10)
    result, took = cancel_and_time(flow)
    try:
        assert result is not None and result.cancelled and took < 2.0
        assert client.ended == [], "the call is still waiting, the run is not"
        assert list(tmp_path.iterdir()) == []
    finally:
        client.cut.set()


def test_after_a_reset_during_a_slow_reply_the_next_start_is_not_held(tmp_path: Any) -> None:
    # The idle reset cancels a run waiting for its reply; the next person's start used to wait
    # for that reply's 60 s read timeout.
    client = HangingClient({"idcardlivedetectfour"}, deaf=True)
    listener = Recorder()
    flow = make_flow(tmp_path, client, listener)
    first = flow.start(IDCARD)
    assert client.waiting.wait(10)
    started = time.monotonic()
    flow.cancel()
    assert flow.wait(5) is not None and not flow.running
    client.hang = set()
    second = flow.start(IDCARD)
    assert second and second != first and time.monotonic() - started < 2.0
    result = flow.wait(10)
    client.cut.set()
    assert result is not None and result.passed
    assert [f.seq for f in listener.of(Finished)] == [first, second]


def test_every_event_carries_its_run(tmp_path: Any) -> None:
    listener = Recorder()
    client = HangingClient({"idcardlivedetectfour"})
    flow = make_flow(tmp_path, client, listener)
    first = flow.start(IDCARD)
    assert client.waiting.wait(10)
    flow.cancel()
    flow.wait(10)
    client.hang = set()
    second = flow.retry()
    assert second and flow.wait(10).passed  # type: ignore[union-attr]
    runs = [e.seq for e in listener.events]
    assert all(isinstance(e, Event) for e in listener.events)
    cut = runs.index(second)
    assert set(runs[:cut]) == {first} and set(runs[cut:]) == {second}
    assert isinstance(listener.events[cut], StepChanged) and listener.events[cut].previous is None
    assert listener.of(Finished)[-1].result.seq == second


def test_the_worker_wakes_per_camera_frame_not_on_a_grid(tmp_path: Any) -> None:
    # A 2 fps camera at a counter (no deadline in GUIDE): the worker sleeps between pictures.
    clock = FakeClock()
    wait = FakeWait(clock)
    listener = Recorder()
    cams: list[FakeCapture] = []

    def capture() -> FakeCapture:
        cams.append(FakeCapture(clock, fps=2.0))
        return cams[-1]

    flow = Flow(FakeClient(), capture, lambda: FakeWorkspace(tmp_path),
                FlowSettings(guidance=COUNTER), listener, checks_factory=FakeChecks, clock=clock,
                wait=wait)
    flow.start(IDCARD)
    assert wait_for(lambda: flow.step is Step.GUIDE and len(listener.of(Guidance)) >= 20)
    flow.cancel()
    assert flow.wait(10).cancelled  # type: ignore[union-attr]
    frames = len(cams[0].made)
    assert len(listener.of(Guidance)) >= frames - 2, "each picture went out"
    assert wait.calls <= frames + 5, (wait.calls, frames)


def test_a_ready_before_the_guidance_does_not_skip_it(tmp_path: Any) -> None:
    client = HangingClient({"livegetfour"})
    listener = Recorder()
    flow = make_flow(tmp_path, client, listener, guidance=COUNTER)
    flow.start(IDCARD)
    assert client.waiting.wait(10)
    flow.ready()  # pressed while the code is fetched
    client.cut.set()
    assert wait_for(lambda: len(listener.of(Guidance)) > 10)
    assert flow.step is Step.GUIDE
    flow.ready()
    assert flow.wait(10).passed  # type: ignore[union-attr]
    assert [e.code for e in listener.of(CodeReceived)] == ["1357"]


def test_a_camera_that_stops_is_lost_after_the_one_stall_timeout(tmp_path: Any) -> None:
    clock = FakeClock()
    flow = Flow(FakeClient(), lambda: FakeCapture(clock, frames=False),
                lambda: FakeWorkspace(tmp_path), FlowSettings(guidance=COUNTER), Recorder(),
                checks_factory=FakeChecks, clock=clock, wait=FakeWait(clock))
    flow.start(IDCARD)
    result = flow.wait(10)
    assert result is not None and result.outcome == "error" and "camera" in result.message_en
    waited = result.durations[Step.CODE] + result.durations[Step.GUIDE]
    assert waited == pytest.approx(STALL_S, abs=1e-6)


def wait_for(cond: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.001)
    return cond()
