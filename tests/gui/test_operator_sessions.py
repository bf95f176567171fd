"""The operator's desk: today's sessions from the audit log (masked) and the CSV export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.config import AuditLog, AuditRecord
from tests.gui.conftest import MemorySettings
from tests.gui.test_gui_window import click

ID = "11010519491231002X"


def _audit(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "audit.sqlite3")
    now = datetime.now(UTC)
    yesterday = (now - timedelta(days=1, hours=1)).isoformat(timespec="seconds")
    log.record(AuditRecord(mode="idcard", outcome="pass", seq="aaaaaaaa1111", id_masked=ID,
                           consent="yes", time=yesterday))
    log.record(AuditRecord(mode="idcard", outcome="pass", seq="bbbbbbbb2222", id_masked=ID,
                           consent="yes"))
    log.record(AuditRecord(mode="photo", outcome="error", code=-5802, seq="cccccccc3333",
                           id_masked=ID, consent="guardian"))
    log.record(AuditRecord(mode="idcard", outcome="declined", seq="dddddddd4444", consent="no"))
    return log


def test_today_s_sessions_are_listed_masked_newest_first(qtbot: Any, make_window: Any,
                                                         tmp_path: Path) -> None:
    w = make_window(settings=MemorySettings(), audit=_audit(tmp_path))
    click(qtbot, w.welcome.operator)  # no PIN in this test: the panel opens at once
    assert w.operator.sessions.isVisible()
    click(qtbot, w.operator.sessions)
    assert w.current() == "sessions"
    table = w.sessions_screen.table
    rows = [[table.item(i, j).text() for j in range(table.columnCount())]
            for i in range(table.rowCount())]
    assert [r[5] for r in rows] == ["dddddddd", "cccccccc", "bbbbbbbb"], "today only, newest first"
    assert rows[1][2] == "未能完成核验" and rows[1][3] == "-5802" and rows[1][6] == "监护人"
    assert rows[2][4] == "110105********002X" and ID not in str(rows)
    assert w.sessions_screen.summary.text() == "今天 3 次核验，1 次通过"
    click(qtbot, w.sessions_screen.back)
    assert w.current() == "operator"


def test_the_export_writes_every_row_and_says_where(qtbot: Any, make_window: Any,
                                                    tmp_path: Path) -> None:
    w = make_window(settings=MemorySettings(), audit=_audit(tmp_path))
    click(qtbot, w.welcome.operator)
    click(qtbot, w.operator.sessions)
    out = tmp_path / "export.csv"
    w.export_to(out)
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 4
    assert str(out) in w.sessions_screen.message.text()
    w.export_to(tmp_path / "no-such-folder" / "x.csv")
    assert "无法写入" in w.sessions_screen.message.text()


def test_without_an_audit_log_the_button_is_not_offered(qtbot: Any, make_window: Any) -> None:
    w = make_window(settings=MemorySettings())
    click(qtbot, w.welcome.operator)
    assert not w.operator.sessions.isVisible()
