"""Consent and the attempt limit on the real window, flow and emulator, through a restart.

Each "restart" is a new window and a new flow on the same installation folders, as after the
kiosk was closed and started again. The audit export is what a supervisor reads afterwards.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from kiosk.checks.idcard import check_digit
from kiosk.config import AuditLog
from kiosk.config.attempts import AttemptLimit
from kiosk.flow.events import Mode
from tests.gui.conftest import SESSION_MS, VALID_ID
from tests.gui.test_gui_window import click

WRONG_NAME = "李娜"  # a valid name, but not this ID number's: the service says no


def _enter(qtbot: Any, w: Any, name: str) -> None:
    click(qtbot, w.welcome.start)
    qtbot.keyClicks(w.details.id_number, VALID_ID)
    w.details.name.setText(name)
    click(qtbot, w.details.go)
    qtbot.waitUntil(lambda: w.current() == "consent", timeout=5000)


def _photo_session(qtbot: Any, w: Any, name: str = WRONG_NAME) -> Any:
    _enter(qtbot, w, name)
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame(),
                    timeout=20_000)
    click(qtbot, w.capture.take)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=SESSION_MS)
    result = w.last_result
    click(qtbot, w.result.finish)
    return result


def _limited(qtbot: Any, w: Any) -> Any:
    _enter(qtbot, w, WRONG_NAME)
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=SESSION_MS)
    return w.last_result


def _export(w: Any, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "export.csv"
    AuditLog(w.paths.audit_db).export_csv(out)
    return list(csv.DictReader(out.open(encoding="utf-8")))


def test_the_limit_holds_through_a_restart_and_the_operator_resets_it(
        qtbot: Any, real_window: Any, tmp_path: Path) -> None:
    w = real_window(Mode.PHOTO)
    w.settings.save({"attempt_limit": "2"})
    first = _photo_session(qtbot, w)
    assert first.outcome in ("failed", "refused") and not first.locked
    second = _photo_session(qtbot, w)
    assert second.locked, "the second no reaches a limit of 2"
    # Restart: a new window and flow on the same folders.
    w2 = real_window(Mode.PHOTO, reset_attempts=lambda: AttemptLimit.of(w.paths).reset())
    third = _limited(qtbot, w2)
    assert third.outcome == "limited"
    assert w2.result.verdict.text() == "请到柜台办理"
    assert not w2.result.again.isVisible()
    assert not re.search(r"\d", w2.result.customer.text())
    assert "counter" not in w2.result.customer.text() and "柜台" in w2.result.customer.text()
    click(qtbot, w2.result.finish)
    # The operator resets the counts (no PIN is set in this test: the panel opens at once).
    click(qtbot, w2.welcome.operator)
    assert w2.current() == "operator" and w2.operator.reset_limits.isVisible()
    click(qtbot, w2.operator.reset_limits)
    assert w2.operator.message.text() == "已重置尝试次数。"
    click(qtbot, w2.operator.back)
    fourth = _photo_session(qtbot, w2)
    assert fourth.outcome in ("failed", "refused"), "a try is possible again"
    rows = _export(w2, tmp_path)
    assert [r["outcome"] for r in rows] == [first.outcome.replace("failed", "fail"),
                                           second.outcome.replace("failed", "fail"), "limited",
                                           fourth.outcome.replace("failed", "fail")]
    assert {r["consent"] for r in rows} == {"yes"} and rows[0]["notice"] == "kiosk-2026-12"
    assert rows[2]["seq"].startswith(third.seq[:8]) and len(third.seq) >= 8


def test_declining_captures_nothing_and_the_export_shows_it(
        qtbot: Any, real_window: Any, tmp_path: Path) -> None:
    w = real_window(Mode.IDCARD)
    _enter(qtbot, w, "王芳")
    click(qtbot, w.consent.decline)
    assert w.current() == "consent" and w.consent.finished.isVisible()
    qtbot.waitUntil(lambda: bool(_export(w, tmp_path)), timeout=10_000)
    # The audit row is written on the flow's worker before its Finished event reaches the window.
    qtbot.waitUntil(lambda: w.last_result is not None, timeout=10_000)
    assert w.last_result is not None and w.last_result.outcome == "declined"
    assert w.current() == "consent", "the decline screen stays until done"
    click(qtbot, w.consent.finished)
    assert w.current() == "welcome"
    (row,) = _export(w, tmp_path)
    assert (row["outcome"], row["consent"], row["notice"]) == ("declined", "no", "kiosk-2026-12")
    assert row["id_masked"] == VALID_ID[:6] + "********" + VALID_ID[-4:]


def test_a_guardian_consents_for_a_child_with_the_staff_pin(
        qtbot: Any, real_window: Any, tmp_path: Path) -> None:
    w = real_window(Mode.PHOTO)
    w.settings.save({"operator_pin": "2468"})
    first17 = "11010520200101001"  # born 2020: under 14
    child = first17 + check_digit(first17)
    click(qtbot, w.welcome.start)
    qtbot.keyClicks(w.details.id_number, child)
    w.details.name.setText("王芳")
    click(qtbot, w.details.go)
    qtbot.waitUntil(lambda: w.current() == "consent", timeout=5000)
    assert w.consent.guardian.isVisible() and w.consent.needs_guardian
    click(qtbot, w.consent.agree)
    assert w.current() == "pin"
    qtbot.keyClicks(w.pin.pin, "2468")
    click(qtbot, w.pin.ok)
    qtbot.waitUntil(lambda: w.current() == "capture", timeout=20_000)
    click(qtbot, w.capture.cancel)
    qtbot.waitUntil(lambda: bool(_export(w, tmp_path)), timeout=10_000)
    assert _export(w, tmp_path)[-1]["consent"] == "guardian"


def test_the_institutions_notice_and_show_score_come_from_the_stored_settings(
        qtbot: Any, real_window: Any, tmp_path: Path) -> None:
    notice = tmp_path / "notice.toml"
    notice.write_text('version = "bank-9"\nzh = "本行告知书"\nen = "Our bank notice"\n',
                      encoding="utf-8")
    w = real_window(Mode.PHOTO)
    w.settings.save({"consent_notice": str(notice), "show_score": "on"})
    _enter(qtbot, w, "王芳")
    assert w.consent.notice.text() == "本行告知书" and w.consent.notice_version == "bank-9"
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame(),
                    timeout=20_000)
    click(qtbot, w.capture.take)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=SESSION_MS)
    assert w.result.details.isVisible(), "show_score = on: the numbers are shown"
    assert _export(w, tmp_path)[-1]["notice"] == "bank-9"
