"""The ID number field groups 6-8-4 as typed, keeps the cursor, and gives back the bare 18 characters."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kiosk.ui.id_entry import ID_LENGTH, IdNumberEdit, bare, display_position, grouped
from kiosk.ui.keypad import ROWS, Keypad

SAMPLE = "11010519491231002X"


@pytest.fixture
def edit(qtbot: Any) -> IdNumberEdit:
    e = IdNumberEdit()
    qtbot.addWidget(e)
    e.show()
    e.setFocus()
    return e


def test_grouping_rules() -> None:
    assert grouped(SAMPLE) == "110105 19491231 002X"
    assert grouped("110105") == "110105" and grouped("1101051") == "110105 1"
    assert grouped("11010519491231") == "110105 19491231"
    assert grouped("110105194912310") == "110105 19491231 0"
    assert bare(" １１0105-1949 1231 002x ") == SAMPLE  # full-width digits, a dash, spaces, x
    assert [display_position(n) for n in (0, 6, 7, 14, 15, 18)] == [0, 6, 8, 15, 17, 20]


def test_typing_groups_as_it_goes_and_keeps_the_bare_number(qtbot: Any, edit: IdNumberEdit) -> None:
    seen: list[str] = []
    edit.number_changed.connect(seen.append)
    qtbot.keyClicks(edit, "1101051")
    assert edit.text() == "110105 1" and edit.cursorPosition() == 8
    qtbot.keyClicks(edit, "9491231002x")  # a lower-case x is the same key
    assert edit.text() == "110105 19491231 002X"
    assert edit.number() == SAMPLE and edit.cursorPosition() == 20
    assert seen[-1] == SAMPLE and all(" " not in n for n in seen)
    qtbot.keyClicks(edit, "7")  # a full field takes no 19th character
    assert edit.number() == SAMPLE


def test_typing_in_the_middle_keeps_the_cursor_after_the_new_character(
        qtbot: Any, edit: IdNumberEdit) -> None:
    edit.set_number("11010519491231002")
    edit.setCursorPosition(6)  # after 110105, before the space
    qtbot.keyClicks(edit, "9")
    assert edit.number() == "110105919491231002"
    assert edit.text() == "110105 91949123 1002" and edit.cursorPosition() == 8


def test_deleting_in_the_middle_keeps_the_cursor_and_the_rest(qtbot: Any, edit: IdNumberEdit) -> None:
    edit.set_number(SAMPLE)
    edit.setCursorPosition(10)  # after "110105 194"
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.number() == "1101051991231002X"
    assert edit.text() == "110105 19912310 02X" and edit.cursorPosition() == 9
    qtbot.keyClick(edit, Qt.Key.Key_Delete)  # the character after the cursor: 9
    assert edit.number() == "110105191231002X" and edit.cursorPosition() == 9


def test_backspace_and_delete_step_over_a_groups_space(qtbot: Any, edit: IdNumberEdit) -> None:
    edit.set_number(SAMPLE)
    edit.setCursorPosition(7)  # just after the first space
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # removes the 5 before the space, not the space
    assert edit.number() == "1101019491231002X" and edit.text() == "110101 94912310 02X"
    assert edit.cursorPosition() == 5
    edit.set_number(SAMPLE)
    edit.setCursorPosition(6)  # just before the first space
    qtbot.keyClick(edit, Qt.Key.Key_Delete)  # removes the 1 after the space
    assert edit.number() == "1101059491231002X" and edit.cursorPosition() == 6


def test_pasting_a_grouped_or_bare_number_gives_the_same_value(qtbot: Any, edit: IdNumberEdit) -> None:
    clipboard = QGuiApplication.clipboard()
    for pasted in ("110105 19491231 002X", "11010519491231002x", "110105-19491231-002X"):
        edit.clear()
        clipboard.setText(pasted)
        edit.paste()
        assert edit.number() == SAMPLE, pasted
        assert edit.text() == "110105 19491231 002X" and edit.cursorPosition() == 20
    edit.selectAll()
    clipboard.setText("1101051949123100271234")  # too long over a selection: the first 18 stay
    edit.paste()
    assert edit.number() == "110105194912310027" and len(edit.number()) == ID_LENGTH


def test_pasting_into_the_middle_puts_the_cursor_after_the_pasted_part(
        qtbot: Any, edit: IdNumberEdit) -> None:
    edit.set_number("11010511231002X")
    edit.setCursorPosition(8)  # after "110105 1"
    QGuiApplication.clipboard().setText("949")
    edit.paste()
    assert edit.number() == "11010519491231002X"
    assert edit.cursorPosition() == display_position(10) == 11


def test_the_keypad_types_deletes_and_clears_without_taking_the_focus(
        qtbot: Any, edit: IdNumberEdit) -> None:
    pad = Keypad(edit)
    qtbot.addWidget(pad)
    pad.show()
    assert set(pad.keys) == {k for row in ROWS for k in row} | {"clear"}
    for key in SAMPLE:
        qtbot.mouseClick(pad.keys[key], Qt.MouseButton.LeftButton)
    assert edit.text() == "110105 19491231 002X" and edit.number() == SAMPLE
    qtbot.mouseClick(pad.keys["7"], Qt.MouseButton.LeftButton)
    assert edit.number() == SAMPLE, "a full number takes no more"
    edit.setCursorPosition(15)  # after the second group, before its space
    for _ in range(2):
        qtbot.mouseClick(pad.keys["back"], Qt.MouseButton.LeftButton)
    assert edit.number() == "110105194912002X" and edit.text() == "110105 19491200 2X"
    edit.setCursorPosition(16)  # just after the second space: delete steps over it
    qtbot.mouseClick(pad.keys["back"], Qt.MouseButton.LeftButton)
    assert edit.number() == "11010519491202X" and edit.cursorPosition() == 14
    qtbot.mouseClick(pad.keys["clear"], Qt.MouseButton.LeftButton)
    assert edit.text() == "" and edit.number() == ""
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in pad.keys.values())


def test_every_key_is_big_enough_and_says_what_it_does(qtbot: Any, edit: IdNumberEdit) -> None:
    from kiosk.ui.app import apply_style

    apply_style(qtbot_app())
    pad = Keypad(edit)
    qtbot.addWidget(pad)
    pad.show()
    names = {k: b.accessibleName() for k, b in pad.keys.items()}
    assert names["1"] == "digit 1" and names["X"] == "letter X"
    assert names["back"] == "delete last character" and names["clear"] == "clear the ID number"
    for key, b in pad.keys.items():
        assert b.width() >= 44 and b.height() >= 44, (key, b.size())


def qtbot_app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()
