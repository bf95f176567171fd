"""The consent screen on its own: the notice, agree, decline and the way to staff, the guardian."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kiosk.config.consent import BUILT_IN, Notice
from kiosk.ui.screens.consent import ConsentScreen


def _screen(qtbot: Any, lang: str = "en") -> ConsentScreen:
    screen = ConsentScreen(lambda: lang)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    return screen


def test_agreeing_emits_agreed_and_nothing_else(qtbot: Any) -> None:
    screen = _screen(qtbot)
    screen.open(BUILT_IN, guardian=False)
    assert screen.notice.text() == BUILT_IN.en and screen.focusWidget() is screen.agree
    assert not screen.guardian.isVisible()
    seen: list[str] = []
    screen.declined.connect(lambda: seen.append("declined"))
    with qtbot.waitSignal(screen.agreed, timeout=1000):
        qtbot.mouseClick(screen.agree, Qt.MouseButton.LeftButton)
    assert seen == []


def test_declining_says_where_to_go_and_done_returns(qtbot: Any) -> None:
    screen = _screen(qtbot, "zh")
    screen.open(BUILT_IN, guardian=False)
    assert screen.notice.text() == BUILT_IN.zh
    with qtbot.waitSignal(screen.declined, timeout=1000):
        qtbot.mouseClick(screen.decline, Qt.MouseButton.LeftButton)
    assert screen.finished.isVisible() and not screen.agree.isVisible()
    assert "counter" in screen.title.text() and "Nothing was recorded" in screen.notice.text()
    assert screen.notice.isVisible()  # the words are on the screen, not only in the label
    assert screen.focusWidget() is screen.finished
    with qtbot.waitSignal(screen.done, timeout=1000):
        qtbot.keyClick(screen.finished, Qt.Key.Key_Space)


def test_a_guardian_consent_is_asked_for_under_fourteen(qtbot: Any) -> None:
    screen = _screen(qtbot)
    screen.open(Notice("bank-1", "本行告知", "Our notice"), guardian=True)
    assert screen.guardian.isVisible() and "under 14" in screen.guardian.text()
    assert "PIN" in screen.agree.text() and screen.needs_guardian
    assert screen.notice_version == "bank-1" and screen.notice.text() == "Our notice"
    screen.clear()
    assert not screen.needs_guardian and screen.notice_version == BUILT_IN.version


def test_every_control_has_an_accessible_name_that_says_what_it_does(qtbot: Any) -> None:
    screen = _screen(qtbot)
    screen.open(BUILT_IN, guardian=False)
    names = {b.objectName(): b.accessibleName() for b in
             (screen.agree, screen.decline, screen.back, screen.finished)}
    assert names == {
        "consent-agree": "I agree: start the camera",
        "consent-decline": "I decline: no camera, staff will verify me",
        "consent-back": "Back to the details",
        "consent-done": "Done: back to the start",
    }
