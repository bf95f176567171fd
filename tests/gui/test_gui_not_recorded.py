"""A verdict the audit could not record: shown marked "not recorded", and no next session until
the operator has seen it (the operator panel opened, behind the PIN when one is set)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt

from kiosk.flow.events import Finished, Mode
from tests.gui.conftest import VALID_ID, VALID_NAME, MemorySettings, wait_ready


def click(qtbot: Any, button: Any) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def unrecorded_session(qtbot: Any, w: Any) -> None:
    """One idcard session whose audit row could be written nowhere."""
    click(qtbot, w.welcome.start)
    qtbot.keyClicks(w.details.id_number, VALID_ID)
    w.details.name.setText(VALID_NAME)
    click(qtbot, w.details.go)
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "capture")
    flow = w.flows[-1]
    listener = flow.listener

    def unrecorded(event: Any) -> None:
        if isinstance(event, Finished):
            event = dataclasses.replace(event, result=dataclasses.replace(
                event.result, recorded=False, exit_code=2))
        listener(event)

    flow.listener = unrecorded
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)


def test_not_recorded_is_shown_and_blocks_the_next_session_until_the_operator(
        qtbot: Any, make_window: Any, languages: Any) -> None:
    w = make_window(settings=MemorySettings(pin="2468", mode=Mode.IDCARD.value))
    unrecorded_session(qtbot, w)
    # No verdict without its record: the customer reads "could not complete the check"; what the
    # service said is kept for staff (the detail behind the PIN, the operator panel's note).
    assert w.result.verdict.text() == "未能完成核验"
    assert w.result.customer.text() == "结果未能保存，未能完成核验。请联系工作人员。"
    assert "核验通过" in w.result.operator.text() or "verified" in w.result.operator.text()
    assert w.result.unrecorded.isVisible() and "未记录" in w.result.unrecorded.text()
    assert w.result.unrecorded.accessibleName()
    assert not w.result.again.isVisible()
    click(qtbot, w.result.finish)
    assert w.current() == "welcome"
    assert not w.welcome.start.isEnabled()
    assert w.welcome.hold.isVisible() and "工作人员" in w.welcome.hold.text()
    assert w.welcome.hold.accessibleName()
    w.begin()  # a keyboard shortcut or a stray signal cannot start one either
    assert w.current() == "welcome"
    w.reset()  # nor does the idle reset clear it
    assert not w.welcome.start.isEnabled()
    languages.switch("en")
    assert "not recorded" in w.welcome.hold.text().lower()
    languages.switch("zh")
    click(qtbot, w.welcome.operator)
    assert w.current() == "pin"
    w.pin.pin.setText("1111")
    w.pin.submit()
    click(qtbot, w.pin.back)
    assert not w.welcome.start.isEnabled(), "a wrong PIN does not count as seen"
    click(qtbot, w.welcome.operator)
    w.pin.pin.setText("2468")
    w.pin.submit()
    assert w.current() == "operator"
    assert "未记录" in w.operator.message.text()  # the operator is told what was not recorded
    click(qtbot, w.operator.back)
    assert w.current() == "welcome" and w.welcome.start.isEnabled()
    assert not w.welcome.hold.isVisible()


def test_a_recorded_verdict_shows_no_mark(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    click(qtbot, w.welcome.start)
    qtbot.keyClicks(w.details.id_number, VALID_ID)
    w.details.name.setText(VALID_NAME)
    click(qtbot, w.details.go)
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "capture")
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert not w.result.unrecorded.isVisible()
    click(qtbot, w.result.finish)
    assert w.welcome.start.isEnabled() and not w.welcome.hold.isVisible()
