"""The flow's pending port: a marker from the start of a run until its audit row is written."""

from __future__ import annotations

from typing import Any

from kiosk.flow import Details, Flow, FlowSettings, GuidancePolicy, Mode
from tests.unit.flow.conftest import ListAudit
from tests.unit.flow.fakes import (
    FakeCapture,
    FakeChecks,
    FakeClient,
    FakeClock,
    FakeWait,
    FakeWorkspace,
    Recorder,
)

ID = "11010519491231002X"


class Markers:
    """A PendingPort that records calls and what the audit held at each."""

    def __init__(self, audit: ListAudit) -> None:
        self.audit = audit
        self.calls: list[tuple[Any, ...]] = []

    def begin(self, seq: str, mode: str, id_masked: str = "") -> None:
        self.calls.append(("begin", seq, mode, id_masked, len(self.audit)))

    def step(self, seq: str, step: str) -> None:
        self.calls.append(("step", seq, step))

    def end(self, seq: str) -> None:
        self.calls.append(("end", seq, len(self.audit)))


def test_marker_spans_the_run_and_ends_after_the_audit_row(tmp_path) -> None:
    clock = FakeClock()
    audit = ListAudit()
    markers = Markers(audit)
    flow = Flow(FakeClient(), lambda: FakeCapture(clock), lambda: FakeWorkspace(tmp_path),
                FlowSettings(guidance=GuidancePolicy.headless()), Recorder(),
                checks_factory=FakeChecks, audit=audit, pending=markers, clock=clock,
                wait=FakeWait(clock))
    assert flow.start(Details(Mode.IDCARD, id_number=ID, name="王芳"))
    result = flow.wait(10)
    assert result is not None
    begin, *steps, end = markers.calls
    assert begin[0] == "begin" and begin[2:] == ("idcard", "110105********002X", 0)
    assert begin[1] == result.seq
    assert {s[2] for s in steps} >= {"code", "record", "upload"}
    assert end == ("end", result.seq, 1)  # removed only once the real row was written


def test_a_failing_marker_never_stops_the_verification(tmp_path) -> None:
    class Broken:
        def begin(self, *a: Any) -> None:
            raise OSError("disk full")

        step = end = begin

    clock = FakeClock()
    audit = ListAudit()
    flow = Flow(FakeClient(), lambda: FakeCapture(clock), lambda: FakeWorkspace(tmp_path),
                FlowSettings(guidance=GuidancePolicy.headless()), Recorder(),
                checks_factory=FakeChecks, audit=audit, pending=Broken(), clock=clock,
                wait=FakeWait(clock))
    flow.start(Details(Mode.IDCARD, id_number=ID, name="王芳"))
    result = flow.wait(10)
    assert result is not None and result.outcome == "passed"
    assert len(audit) == 1
