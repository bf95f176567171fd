"""No verdict without its record: the audit row is written before Finished, or the Result says not.

With a real AuditLog: a row queued in the journal still counts as recorded; a row that could be
written nowhere gives a Result marked not recorded, exit status 2, and the verdict kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.config import AuditLog, AuditRecord
from kiosk.errors import NotRecorded
from kiosk.flow import Details, Finished, Flow, FlowSettings, GuidancePolicy, Mode
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


def run_flow(tmp_path: Path, audit: Any, **kw: Any) -> tuple[Any, Recorder]:
    clock = FakeClock()
    listener = Recorder()
    flow = Flow(FakeClient(), lambda: FakeCapture(clock), lambda: FakeWorkspace(tmp_path),
                FlowSettings(guidance=GuidancePolicy.headless()), listener,
                checks_factory=FakeChecks, audit=audit, clock=clock, wait=FakeWait(clock),
                **kw)
    assert flow.start(Details(Mode.IDCARD, id_number=ID, name="王芳"))
    result = flow.wait(10)
    assert result is not None
    return result, listener


class Nowhere:
    """An audit that can write neither the database nor the journal (a full disk)."""

    def __init__(self) -> None:
        self.tried: list[AuditRecord] = []

    def record(self, rec: AuditRecord) -> AuditRecord:
        self.tried.append(rec)
        raise NotRecorded("the audit row was not recorded: disk full",
                          "未记录：审计记录无法写入（磁盘已满）", fix_en="tell the operator")


def test_the_row_is_in_the_database_before_the_verdict_is_announced(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite3")
    seen: list[int] = []

    class Watch(Recorder):
        def __call__(self, event: Any) -> None:
            if isinstance(event, Finished):
                seen.append(len(log.rows()))
            super().__call__(event)

    clock = FakeClock()
    flow = Flow(FakeClient(), lambda: FakeCapture(clock), lambda: FakeWorkspace(tmp_path),
                FlowSettings(guidance=GuidancePolicy.headless()), Watch(),
                checks_factory=FakeChecks, audit=log, clock=clock, wait=FakeWait(clock))
    flow.start(Details(Mode.IDCARD, id_number=ID, name="王芳"))
    result = flow.wait(10)
    assert result is not None and result.passed and result.recorded
    assert seen == [1]


def test_nowhere_to_write_keeps_the_verdict_marked_not_recorded(tmp_path: Path) -> None:
    audit = Nowhere()
    result, listener = run_flow(tmp_path, audit)
    assert len(audit.tried) == 1
    assert result.outcome == "passed" and result.passed  # the person's verdict stands
    assert result.recorded is False and result.exit_code == 2
    assert result.to_json()["recorded"] is False
    (finished,) = listener.of(Finished)
    assert finished.result is result


def test_an_unexpected_audit_failure_is_not_recorded_too(tmp_path: Path) -> None:
    class Buggy:
        def record(self, rec: AuditRecord) -> AuditRecord:
            raise RuntimeError("bug")

    result, _ = run_flow(tmp_path, Buggy())
    assert result.recorded is False and result.exit_code == 2


def test_a_demo_flow_marks_its_rows_demo(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite3")
    result, _ = run_flow(tmp_path, log, demo=True)
    (rec,) = log.rows()
    assert rec.demo is True and rec.seq == result.seq and result.recorded
