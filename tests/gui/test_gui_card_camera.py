"""Card mode by camera: the card frame, the still taken from a `file:` camera showing a card, its
use and retake, the card-photo findings, and the file chooser that staff open with the PIN.

The real window runs the real flow, checks and emulator; the camera plays a short video of the
bundled card photo on a card, held up and swaying a little (tests/support/card_scene.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.flow.events import Mode
from tests.gui.conftest import SESSION_MS, MemorySettings, assert_workspace_gone, wait_ready
from tests.gui.test_gui_window import click
from tests.support.card_scene import write_card_video
from tests.support.media import SAMPLE_CLIP


@pytest.fixture(scope="module")
def videos(tmp_path_factory: Any) -> dict[str, Path]:
    """The card held sharp (after the sample person's first 3 s), out of focus, and with a
    reflection on it (4 s each)."""
    root = tmp_path_factory.mktemp("card-videos")
    return {
        "sharp": write_card_video(root / "card.mp4", seconds=4.0, before=SAMPLE_CLIP),
        "blurred": write_card_video(root / "blurred.mp4", seconds=4.0, blur=3.0),
        "glare": write_card_video(root / "glare.mp4", seconds=4.0, glare=True),
    }


def open_card_step(qtbot: Any, w: Any) -> None:
    click(qtbot, w.welcome.start)
    assert w.current() == "details"
    assert w.details.go.isEnabled(), "no file needed: the camera films the card"
    click(qtbot, w.details.go)
    assert w.current() == "consent", "the camera waits for consent"
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame(), timeout=20_000)
    assert w.capture.video.shape() == "card", "a card-shaped frame, not the face oval"


@pytest.mark.slow
def test_card_still_from_a_file_camera_goes_on_to_a_result(qtbot: Any, real_window: Any,
                                                           videos: dict[str, Path]) -> None:
    w = real_window(Mode.CARD, camera=f"file:{videos['sharp']}", mic=f"file:{SAMPLE_CLIP}")
    open_card_step(qtbot, w)
    # Nobody presses anything: the still is taken once the card has been sharp for a moment.
    # The sample person's face comes first: it is not the card, and no still is taken of it.
    qtbot.waitUntil(w.capture.reviewing, timeout=15_000)
    assert w.capture.use.isVisible() and w.capture.again.isVisible()
    assert not w.capture.still_findings.isVisible(), w.capture.still_findings.text()
    assert w.capture.video.shape() == "none" and w.capture.video.has_frame()
    # Retake films the card again; the second still is used.
    click(qtbot, w.capture.again)
    assert not w.capture.reviewing() and w.capture.video.shape() == "card"
    qtbot.waitUntil(w.capture.reviewing, timeout=10_000)
    click(qtbot, w.capture.use)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.phase() == 0, timeout=20_000)
    assert w.capture.video.shape() == "oval", "then the face, as in every video mode"
    # The file camera goes on to its end and starts over with the person: Ready once placed.
    wait_ready(qtbot, w, timeout=20_000)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() in ("result", "checks"), timeout=SESSION_MS)
    r = w.last_result
    assert r is not None
    # The card photo filmed from the card is the sample person's: the emulator compares it with
    # the recorded clip (the file starts over at the recording: the person) and says yes.
    assert r.passed, r.text("en")
    assert r.similarity is not None and r.similarity >= r.threshold
    assert_workspace_gone(w)


@pytest.mark.slow
@pytest.mark.parametrize(("video", "hint"), [("blurred", "Blurred: hold the card still"),
                                              ("glare", "Light reflects on the card: tilt it a little")])
def test_blur_and_glare_take_no_still_and_say_why(qtbot: Any, real_window: Any, languages: Any,
                                                   videos: dict[str, Path], video: str,
                                                   hint: str) -> None:
    languages.switch("en")
    w = real_window(Mode.CARD, camera=f"file:{videos[video]}", mic=f"file:{SAMPLE_CLIP}",
                    default_lang="en")
    open_card_step(qtbot, w)
    qtbot.waitUntil(lambda: w.capture.photo_title.text() == hint, timeout=10_000)
    qtbot.wait(1500)  # twice the hold time: still no still taken
    assert not w.capture.reviewing()
    assert not w.capture.video.fits(), "the card frame stays white"
    # "Take the photo" still takes one on demand; Retake goes back to the live picture.
    click(qtbot, w.capture.take)
    qtbot.waitUntil(w.capture.reviewing, timeout=10_000)
    click(qtbot, w.capture.again)
    assert not w.capture.reviewing()
    click(qtbot, w.capture.cancel)
    assert w.current() == "welcome"


def test_the_file_chooser_asks_the_pin_in_card_mode(qtbot: Any, make_window: Any) -> None:
    w = make_window(settings=MemorySettings(mode="card", pin="2468"))
    chosen: list[bool] = []
    w.choose_photo = lambda: chosen.append(True)  # the dialog itself would wait for a person
    click(qtbot, w.welcome.start)
    click(qtbot, w.details.photo_file)
    assert w.current() == "pin" and chosen == [], "no file dialog before the PIN"
    click(qtbot, w.pin.back)
    assert w.current() == "details" and chosen == []
    click(qtbot, w.details.photo_file)
    qtbot.keyClicks(w.pin.pin, "2468")
    click(qtbot, w.pin.ok)
    assert w.current() == "details" and chosen == [True]


def test_the_photo_mode_chooser_needs_no_pin(qtbot: Any, make_window: Any) -> None:
    w = make_window(settings=MemorySettings(mode="photo", pin="2468"))
    chosen: list[bool] = []
    w.choose_photo = lambda: chosen.append(True)
    click(qtbot, w.welcome.start)
    click(qtbot, w.details.photo_file)
    assert w.current() == "details" and chosen == [True]
