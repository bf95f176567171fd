"""Property: any sequence of start/ready/snap/cancel/retry/wait ends clean, with no files left."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from kiosk.flow import (
    Details,
    Finished,
    Flow,
    FlowSettings,
    GuidancePolicy,
    Mode,
    Step,
    StepChanged,
)
from tests.unit.flow.fakes import (
    FakeCapture,
    FakeChecks,
    FakeClient,
    FakeClock,
    FakeWait,
    FakeWorkspace,
    Recorder,
    compare_reply,
    finding,
    live_reply,
)

ID, NAME = "11010519491231002X", "王芳"
DETAILS = {
    Mode.IDCARD: Details(Mode.IDCARD, ID, NAME),
    Mode.CARD: Details(Mode.CARD, card=b"\xff\xd8card"),
    Mode.PHOTO: Details(Mode.PHOTO, ID, NAME),
    Mode.LIVE: Details(Mode.LIVE),
}


class FlowStates(RuleBasedStateMachine):
    """Drives one Flow with random commands while its worker runs; checks the end state."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="flow-states-"))
        self.clock = FakeClock()
        self.client = FakeClient()
        self.checks = FakeChecks()
        self.captures: list[FakeCapture] = []
        self.listener = Recorder()
        self.accepted = 0

        def new_capture() -> FakeCapture:
            cap = FakeCapture(self.clock)
            self.captures.append(cap)
            return cap

        policy = GuidancePolicy(auto_continue=False, max_wait=20.0)
        self.flow = Flow(self.client, new_capture, lambda: FakeWorkspace(self.root),
                         FlowSettings(guidance=policy, clip_seconds=3.0), self.listener,
                         checks_factory=lambda: self.checks, clock=self.clock,
                         wait=FakeWait(self.clock))

    @rule(mode=st.sampled_from(list(Mode)))
    def start(self, mode: Mode) -> None:
        if self.flow.start(DETAILS[mode]):
            self.accepted += 1

    @rule()
    def ready(self) -> None:
        self.flow.ready()

    @rule()
    def snap(self) -> None:
        self.flow.snap()

    @rule()
    def cancel(self) -> None:
        self.flow.cancel()

    @rule()
    def retry(self) -> None:
        if self.flow.retry():
            self.accepted += 1

    @precondition(lambda self: self.accepted > 0)
    @rule()
    def finish(self) -> None:
        """Let the run go on to its end (ready at guidance, a stalled upload released)."""
        self.flow.ready()
        if self.client.gate is not None:
            self.client.gate.set()
        result = self.flow.wait(10)
        assert result is not None and not self.flow.running

    @rule(what=st.sampled_from(["none", "refuse", "block_clip", "block_id", "low", "upload_stall"]))
    def next_trouble(self, what: str) -> None:
        """What the next runs meet (set between commands, as a real service or person varies)."""
        # -5015: the camera's resolution, a staff matter: "could not check" (error, exit 2).
        self.client.refuse = -5015 if what == "refuse" else None
        self.client.reply = live_reply(40) if what == "low" else live_reply()
        self.client.compare = compare_reply(40.0) if what == "low" else compare_reply()
        self.checks.clip_findings = [finding(-5013)] if what == "block_clip" else []
        self.checks.identity_findings = [finding(-5801)] if what == "block_id" else []
        gate = self.client.gate
        self.client.gate = threading.Event() if what == "upload_stall" else None
        if gate is not None:
            gate.set()

    @precondition(lambda self: not self.flow.running)
    @invariant()
    def idle_means_clean(self) -> None:
        assert [p for p in self.root.iterdir()] == []
        assert all(c.stopped for c in self.captures)

    def teardown(self) -> None:
        try:
            self.flow.cancel()
            if self.client.gate is not None:
                self.client.gate.set()
            self.flow.wait(10)
            assert not self.flow.running, "the worker did not finish"
            finished = self.listener.of(Finished)
            assert len(finished) == self.accepted
            assert self.flow.step is (Step.RESULT if self.accepted else None)
            assert list(self.root.iterdir()) == [], "media left on disk"
            assert all(c.stopped for c in self.captures), "a camera left on"
            # Each run's events end with RESULT then Finished, and nothing follows a Finished
            # but the next run's first step.
            events = self.listener.events
            for i, e in enumerate(events):
                if isinstance(e, Finished):
                    prev = events[i - 1]
                    assert isinstance(prev, StepChanged) and prev.step is Step.RESULT
                    if i + 1 < len(events):
                        nxt = events[i + 1]
                        assert isinstance(nxt, StepChanged) and nxt.step is Step.DETAILS
            for r in (f.result for f in finished):
                assert r.outcome in ("passed", "failed", "blocked", "cancelled") or (
                    r.outcome == "error" and r.code == -5015 and r.exit_code == 2)
                assert r.message_en and r.message_zh
                assert r.passed == (r.exit_code == 0)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


FlowStates.TestCase.settings = settings(
    max_examples=40, stateful_step_count=12, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestFlowStates = FlowStates.TestCase
