"""The voice test on the capture screen: "I am ready" follows the face and the voice and says what is
missing; after 10 s without a voice the person is told what to do and staff may skip the test."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kiosk.flow.events import Mode
from kiosk.ui.screens.capture import HINT_HOLD_S, VOICE_HELP_AFTER_S, CaptureScreen
from tests.gui.conftest import wait_ready
from tests.gui.test_gui_window import click, fill_details

READY, NO_FACE, NO_VOICE, NEITHER = ("I am ready", "First place your face in the oval",
                                     "First say: hello", "Face in the oval, then say hello")


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _screen(qtbot: Any) -> tuple[CaptureScreen, Clock]:
    screen = CaptureScreen()
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    clock = Clock()
    screen._clock = clock
    screen.show_guide()
    return screen, clock


def tick(screen: CaptureScreen, clock: Clock, fits: bool, voice: str, waited: float) -> None:
    """One Guidance as RunScreens hands it on: the voice first, then the face."""
    clock.t += 0.1
    screen.set_voice(voice, waited)
    screen.set_feedback(fits, "" if fits else "come a little closer")


def ready(screen: CaptureScreen) -> tuple[bool, str]:
    assert screen.go.accessibleName() == screen.go.text(), "the label is what a screen reader says"
    return screen.go.isEnabled(), screen.go.text()


def test_ready_waits_for_the_face_and_the_voice_and_names_what_is_missing(qtbot: Any) -> None:
    screen, clock = _screen(qtbot)
    tick(screen, clock, False, "silent", 0.5)
    assert ready(screen) == (False, NEITHER)
    tick(screen, clock, True, "silent", 1.0)
    assert ready(screen) == (False, NO_VOICE)
    clock.t += HINT_HOLD_S  # the title's new instruction holds
    tick(screen, clock, True, "silent", 1.0)
    assert screen.guide_title.text() == "Please say: hello", "the instruction now is the voice"
    tick(screen, clock, True, "quiet", 1.5)
    assert ready(screen) == (False, NO_VOICE)
    tick(screen, clock, True, "passed", 1.5)
    assert ready(screen) == (True, READY)
    assert screen.voice_note.text() == "✓ Your voice is clear"
    assert screen.focusWidget() is screen.go, "Ready takes the focus once it can be pressed"
    # The face leaves: Ready holds for HINT_HOLD_S (no flicker at the oval's edge), then says why.
    tick(screen, clock, False, "passed", 1.5)
    assert ready(screen) == (True, READY)
    clock.t += HINT_HOLD_S
    tick(screen, clock, False, "passed", 1.5)
    assert ready(screen) == (False, NO_FACE)
    tick(screen, clock, True, "passed", 1.5)
    assert ready(screen) == (True, READY), "a face back in the oval enables it at once"


def test_noise_or_silence_never_enable_ready(qtbot: Any) -> None:
    screen, clock = _screen(qtbot)
    for state, note in (("silent", 'Say "hello" to test the microphone'),
                        ("noisy", "Too much noise around you"), ("quiet", "Your voice is too quiet")):
        for k in range(5):
            tick(screen, clock, True, state, 1.0 + k)
            assert ready(screen) == (False, NO_VOICE)
        assert screen.voice_note.text() == note
    with qtbot.assertNotEmitted(screen.ready, wait=50):
        qtbot.mouseClick(screen.go, Qt.MouseButton.LeftButton)


def test_after_ten_seconds_without_a_voice_the_person_is_told_and_staff_may_skip(qtbot: Any) -> None:
    screen, clock = _screen(qtbot)
    tick(screen, clock, True, "silent", VOICE_HELP_AFTER_S - 0.1)
    assert not screen.skip_voice.isVisible()
    tick(screen, clock, True, "silent", VOICE_HELP_AFTER_S)
    assert screen.skip_voice.isVisible()
    assert screen.skip_voice.accessibleName() == "Skip the voice test (staff only)"
    assert screen.skip_voice.height() >= 44 and screen.skip_voice.width() >= 44
    clock.t += HINT_HOLD_S  # the title's new instruction holds
    tick(screen, clock, True, "silent", VOICE_HELP_AFTER_S + 0.6)
    assert screen.guide_title.text() == "Come closer to the microphone and speak up"
    assert ready(screen) == (False, NO_VOICE)
    qtbot.mouseClick(screen.skip_voice, Qt.MouseButton.LeftButton)
    assert not screen.skip_voice.isVisible()
    assert ready(screen) == (True, READY)
    assert screen.voice_note.text() == "Voice test skipped by staff"
    tick(screen, clock, True, "silent", VOICE_HELP_AFTER_S + 1.0)
    assert ready(screen) == (True, READY), "skipped stays skipped for this preview"
    with qtbot.waitSignal(screen.ready, timeout=1000):
        qtbot.mouseClick(screen.go, Qt.MouseButton.LeftButton)
    screen.show_guide()  # the next person's preview
    tick(screen, clock, True, "silent", 0.1)
    assert ready(screen) == (False, NO_VOICE) and not screen.skip_voice.isVisible()


def test_photo_mode_has_no_voice_test(qtbot: Any) -> None:
    screen, clock = _screen(qtbot)
    tick(screen, clock, True, "", 0.0)
    assert ready(screen) == (True, READY)
    assert not screen.voice_note.isVisible() and not screen.skip_voice.isVisible()


def test_a_customer_whose_microphone_is_silent_goes_on_with_the_staff_skip(
        qtbot: Any, make_window: Any) -> None:
    w = make_window(voice="silent")
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.fits())
    assert not w.capture.go.isEnabled() and w.capture.go.text() == w.capture.tr("First say: hello")
    qtbot.waitUntil(w.capture.skip_voice.isVisible, timeout=5000)  # 10 s of the flow's listening
    click(qtbot, w.capture.skip_voice)
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert w.result.verdict.text() == "核验通过"


def test_noise_alone_never_lets_the_customer_on(qtbot: Any, make_window: Any) -> None:
    w = make_window(voice="noisy")
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.fits())
    qtbot.waitUntil(w.capture.skip_voice.isVisible, timeout=5000)
    assert not w.capture.go.isEnabled()
    qtbot.mouseClick(w.capture.go, Qt.MouseButton.LeftButton)  # a disabled button: nothing
    qtbot.wait(100)
    assert w.current() == "capture" and w.flows[0].running


def test_a_failed_microphone_tells_the_person_to_wait_and_names_it_for_staff(qtbot: Any) -> None:
    screen, clock = _screen(qtbot)
    tick(screen, clock, True, "passed", 1.0)
    assert ready(screen) == (True, READY)
    fault = "microphone 'default' (USB Microphone) was removed while in use"
    screen.set_voice("failed", 1.0, fault)
    wait = "The microphone is not working. Please wait: staff will help you."
    assert screen.guide_title.text() == wait, "said at once, not after the hint's hold"
    assert ready(screen) == (False, "The microphone is not working")
    assert screen.voice_note.text() == "✗ The microphone has stopped working"
    assert screen.mic_staff.isVisible() and screen.mic_staff.text() == f"For staff: {fault}"
    assert screen.mic_staff.accessibleName() == screen.mic_staff.text()
    assert not screen.hint.isVisible(), "no 'press I am ready' under it"
    for k in range(3):  # the face leaves, the checker asks for it: the microphone stays the news
        clock.t += HINT_HOLD_S
        screen.set_voice("failed", 2.0 + VOICE_HELP_AFTER_S * k, fault)
        screen.set_feedback(False, "come a little closer")
    assert screen.guide_title.text() == wait
    assert not screen.skip_voice.isVisible(), "skipping the test would not mend the microphone"
    assert ready(screen) == (False, "The microphone is not working")
    with qtbot.assertNotEmitted(screen.ready, wait=50):
        qtbot.mouseClick(screen.go, Qt.MouseButton.LeftButton)
    screen.show_guide()  # the next person's preview, with a microphone that works again
    tick(screen, clock, True, "silent", 0.1)
    assert ready(screen) == (False, NO_VOICE) and not screen.mic_staff.isVisible()
    assert screen.hint.isVisible()
