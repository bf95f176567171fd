"""The capture screen's big title is the instruction to follow, and it does not flicker."""

from __future__ import annotations

from typing import Any

from kiosk.ui.screens.capture import HINT_HOLD_S, CaptureScreen


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _screen(qtbot: Any) -> tuple[CaptureScreen, Clock]:
    screen = CaptureScreen()
    qtbot.addWidget(screen)
    clock = Clock()
    screen._clock = clock
    screen.show_guide()
    return screen, clock


def test_the_title_is_the_instruction_and_the_small_line_says_what_for(qtbot: Any) -> None:
    screen, _ = _screen(qtbot)
    assert screen.guide_title.text() == "Place your face in the oval"
    screen.set_feedback(False, "come a little closer")
    assert screen.guide_title.text() == "come a little closer", "the first instruction at once"
    assert "green" in screen.hint.text()
    assert screen.guide_title.accessibleName() == "come a little closer"


def test_an_instruction_that_flickers_for_less_than_half_a_second_never_shows(qtbot: Any) -> None:
    screen, clock = _screen(qtbot)
    screen.set_feedback(False, "come a little closer")
    for _ in range(10):  # "too bright" on an evenly lit face, for one frame at a time
        clock.t += 0.1
        screen.set_feedback(False, "too bright")
        clock.t += 0.1
        screen.set_feedback(False, "come a little closer")
    assert screen.guide_title.text() == "come a little closer"


def test_a_new_instruction_that_holds_replaces_the_old_one(qtbot: Any) -> None:
    screen, clock = _screen(qtbot)
    screen.set_feedback(False, "come a little closer")
    screen.set_feedback(True, "")
    assert screen.guide_title.text() == "come a little closer"
    clock.t += HINT_HOLD_S
    screen.set_feedback(True, "")
    assert screen.guide_title.text() == "Good. Hold still."
    assert screen.video.fits(), "the oval's colour changes at once"
    screen.clear()
    assert screen.guide_title.text() == "Place your face in the oval"
