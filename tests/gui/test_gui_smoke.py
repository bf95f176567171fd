"""The window drives a scripted session through every screen (fast, no media)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.gui.conftest import VALID_ID, VALID_NAME, wait_ready


def enter_details(qtbot: Any, w: Any) -> None:
    qtbot.mouseClick(w.welcome.start, Qt.MouseButton.LeftButton)
    assert w.current() == "details"
    qtbot.keyClicks(w.details.id_number, VALID_ID)
    w.details.name.setText(VALID_NAME)  # QtTest types ASCII only; Chinese comes from an IME
    assert w.details.go.isEnabled()
    qtbot.mouseClick(w.details.go, Qt.MouseButton.LeftButton)
    assert w.current() == "consent", "the camera waits for consent"
    qtbot.mouseClick(w.consent.agree, Qt.MouseButton.LeftButton)


def test_scripted_session_reaches_a_pass(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    enter_details(qtbot, w)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame())
    qtbot.waitUntil(lambda: w.capture.video.fits())
    wait_ready(qtbot, w)
    qtbot.mouseClick(w.capture.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert w.result.verdict.text() == "核验通过"
