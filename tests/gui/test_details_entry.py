"""ID entry at a counter: the keypad in the real window, errors under the ID, the card reader."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from kiosk.flow.card_reader import Card, CardReaderError, SimulatedReader
from kiosk.flow.events import Mode
from kiosk.ui.card_reading import CardReading
from tests.gui.conftest import VALID_ID, VALID_NAME, MemorySettings
from tests.gui.test_gui_window import click


def top(widget: Any) -> int:
    """The widget's top edge in its window."""
    return int(widget.mapTo(widget.window(), QPoint(0, 0)).y())


def tap(qtbot: Any, w: Any, text: str) -> None:
    """Type on the on-screen keypad, one click per character."""
    for key in text:
        click(qtbot, w.details.keypad.keys[key])


@pytest.mark.slow
def test_the_sample_id_typed_on_the_keypad_reaches_the_camera_bare(
        qtbot: Any, real_window: Any) -> None:
    w = real_window(Mode.IDCARD)
    click(qtbot, w.welcome.start)
    assert w.details.keypad.isVisible()
    tap(qtbot, w, VALID_ID[:-1] + "7")  # a slip on the last key
    click(qtbot, w.details.keypad.keys["back"])
    tap(qtbot, w, VALID_ID[-1])
    assert w.details.id_number.text() == "110105 19491231 002X"
    w.details.name.setText(VALID_NAME)  # QtTest types ASCII only; Chinese comes from an IME
    click(qtbot, w.details.go)
    assert w.current() == "consent"
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "capture", timeout=20_000)
    assert w._details is not None and w._details.id_number == VALID_ID  # no spaces reach the run
    click(qtbot, w.capture.cancel)
    qtbot.waitUntil(lambda: w.current() == "welcome" and not w.flow().running, timeout=20_000)


@pytest.mark.parametrize("mode", [Mode.IDCARD, Mode.PHOTO, Mode.CARD])
def test_the_keypad_shows_where_an_id_number_is_asked(qtbot: Any, make_window: Any, mode: Mode) -> None:
    w = make_window(settings=MemorySettings(mode=mode.value))
    click(qtbot, w.welcome.start)
    assert w.details.keypad.isVisible() == mode.needs_identity
    assert not w.details.read_card.isVisible(), "no reader configured: no button"


def test_the_checksum_error_sits_under_the_id_field(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    click(qtbot, w.welcome.start)
    d = w.details
    tap(qtbot, w, "110105194912310021")  # the check character should be X
    assert d.id_feedback.isVisible() and "校验" in d.id_feedback.text()
    assert d.feedback.text() == "", "nothing about the ID under the name"
    qtbot.waitUntil(lambda: top(d.id_feedback) > 0)  # laid out
    assert top(d.id_number) < top(d.id_feedback) < top(d.name)
    assert d.id_number.property("valid") == "false" and not d.go.isEnabled()
    click(qtbot, d.keypad.keys["back"])
    tap(qtbot, w, "X")
    assert not d.id_feedback.isVisible() and d.id_number.property("valid") == "true"


def test_the_simulated_reader_fills_the_number_and_the_name(qtbot: Any, make_window: Any) -> None:
    reader = SimulatedReader()
    w = make_window(card_reader=reader)
    click(qtbot, w.welcome.start)
    d = w.details
    click(qtbot, d.read_card)
    qtbot.waitUntil(lambda: d.name.text() != "")
    assert d.id_number.number() == VALID_ID and d.name.text() == VALID_NAME
    assert d.id_number.text() == "110105 19491231 002X"
    assert reader.reads == 1 and d.go.isEnabled() and d.read_card.isEnabled()
    assert d.card_status.text() == d.tr("Card read. Check the details, then press Continue.")
    click(qtbot, d.go)
    assert w.current() == "consent" and w.gate._details.id_number == VALID_ID


@pytest.mark.parametrize(("error", "said"), [("no_card", "读卡器上没有身份证"),
                                             ("unplugged", "读卡器没有连接")])
def test_a_failing_reader_says_so_in_plain_words(qtbot: Any, make_window: Any, error: str,
                                                 said: str) -> None:
    w = make_window(card_reader=SimulatedReader(error=error))
    click(qtbot, w.welcome.start)
    d = w.details
    click(qtbot, d.read_card)
    qtbot.waitUntil(lambda: said in d.card_status.text())
    assert d.card_status.property("role") == "error" and d.card_status.isVisible()
    assert d.id_number.number() == "" and d.read_card.isEnabled()
    tap(qtbot, w, VALID_ID)  # the person can still type
    assert d.id_number.number() == VALID_ID


class SlowReader:
    """A reader that holds its card until the test lets it go (a reader waiting for a card)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.card: Card | CardReaderError = Card(VALID_ID, VALID_NAME)

    def read(self) -> tuple[str, str]:
        assert self.release.wait(10)
        if isinstance(self.card, CardReaderError):
            raise self.card
        return self.card


def test_a_slow_reader_never_freezes_the_screen(qtbot: Any, make_window: Any) -> None:
    reader = SlowReader()
    w = make_window(card_reader=reader)
    click(qtbot, w.welcome.start)
    d = w.details
    click(qtbot, d.read_card)
    # The GUI thread is free while the reader waits: keys still type, one read at a time.
    assert not d.read_card.isEnabled()
    assert d.card_status.text() == d.tr("Reading the card… keep it on the reader.")
    qtbot.keyClicks(d.id_number, "1101")
    assert d.id_number.number() == "1101"
    reader.release.set()
    qtbot.waitUntil(lambda: d.name.text() == VALID_NAME)
    assert d.id_number.number() == VALID_ID and d.read_card.isEnabled()


def test_a_reader_that_does_not_answer_is_given_up_on(qtbot: Any) -> None:
    reader = SlowReader()
    reading = CardReading(reader, wait_ms=50)
    got: list[object] = []
    reading.finished.connect(got.append)
    assert reading.start() and not reading.start(), "one read at a time"
    qtbot.waitUntil(lambda: bool(got))
    assert isinstance(got[0], CardReaderError) and "too long" in got[0].en
    with qtbot.waitSignal(reading.idle):
        reader.release.set()  # the late card is dropped, not shown
    assert got == [got[0]] and not reading.busy and reading.start()
    with qtbot.waitSignal(reading.finished) as late:
        pass
    assert late.args[0] == Card(VALID_ID, VALID_NAME)


def test_leaving_the_screen_drops_a_card_still_being_read(qtbot: Any, make_window: Any) -> None:
    reader = SlowReader()
    w = make_window(card_reader=reader)
    click(qtbot, w.welcome.start)
    click(qtbot, w.details.read_card)
    click(qtbot, w.details.cancel)
    assert w.current() == "welcome"
    with qtbot.waitSignal(w.details.reading.idle):
        reader.release.set()
    assert w.details.id_number.number() == "" and w.details.name.text() == ""
    assert w.details.read_card.isEnabled()


def test_keys_on_the_keypad_have_names_a_screen_reader_says(qtbot: Any, make_window: Any) -> None:
    w = make_window(card_reader=SimulatedReader())
    click(qtbot, w.welcome.start)
    d = w.details
    assert d.read_card.accessibleName()
    assert "5" in d.keypad.keys["5"].accessibleName()
    assert d.keypad.keys["back"].focusPolicy() == Qt.FocusPolicy.NoFocus


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768), (1920, 1080)])
def test_a_whole_grouped_number_fits_its_field_beside_the_keypad_and_photo(
        qtbot: Any, make_window: Any, size: tuple[int, int]) -> None:
    w = make_window(settings=MemorySettings(mode="photo"))
    w.resize(*size)
    click(qtbot, w.welcome.start)
    edit = w.details.id_number
    edit.set_number("88888888888888888X")  # 8 is the widest digit
    qtbot.waitUntil(lambda: w.details.photo.isVisible())
    room = edit.contentsRect().width() - 2 * 12  # the style sheet's padding
    assert edit.fontMetrics().horizontalAdvance(edit.text()) <= room
