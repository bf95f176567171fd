"""The ID number field: 18 characters shown grouped 6-8-4 (region, birth date, sequence + check).

The grouping is display only. ``number()`` is the bare 18 characters, the one value the screen
validates and submits, so a space never reaches the checks, the audit or the service. The field
re-groups itself after every edit (typing, pasting, deleting in the middle, the on-screen keypad)
and keeps the cursor after the same bare character it followed.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

ID_LENGTH = 18
GROUPS = (6, 8, 4)  # GB 11643-1999: address code, birth date, sequence code + check character
_BREAKS = (GROUPS[0], GROUPS[0] + GROUPS[1])  # bare positions a space comes before
ALLOWED = "0123456789X"
TEXT_MARGIN_PX = 40  # the style sheet's padding (2 x 12 px), its 3 px focus border, the cursor


def bare(text: str) -> str:
    """The ID characters of ``text``: full-width digits made ASCII, x upper-cased, the rest dropped.

    A Chinese input method types full-width digits; a pasted number may carry spaces or dashes.
    Nothing but digits and X can be part of a number, so nothing else is kept.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch in ALLOWED)


def grouped(number: str) -> str:
    """``number`` (bare) with a space after the 6th and the 14th character: 110105 19491231 002X."""
    parts, start = [], 0
    for size in GROUPS:
        if start < len(number):
            parts.append(number[start:start + size])
        start += size
    return " ".join(parts)


def display_position(count: int) -> int:
    """Where the cursor goes in the grouped text to follow ``count`` bare characters."""
    return count + sum(1 for b in _BREAKS if count > b)


class IdNumberEdit(QLineEdit):
    """A line edit that shows the ID number grouped and gives it back bare."""

    number_changed = Signal(str)  # the bare number, each time it changes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(ID_LENGTH + len(_BREAKS))
        # Digits and X only: no predictions, no Chinese composition on the way in.
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase
                                 | Qt.InputMethodHint.ImhNoPredictiveText
                                 | Qt.InputMethodHint.ImhLatinOnly)
        self._number = ""
        self._regrouping = False
        self.textChanged.connect(self._regroup)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Wide enough for a whole grouped number, however narrow the layout makes the field.
        hint = super().minimumSizeHint()
        text = self.fontMetrics().horizontalAdvance(grouped("8" * ID_LENGTH))
        return QSize(max(hint.width(), text + TEXT_MARGIN_PX), hint.height())

    def number(self) -> str:
        """The bare 18 (or fewer, while typing) characters: what is validated and submitted."""
        return self._number

    def set_number(self, text: str) -> None:
        """Put a number in (from a card reader, a test, a screenshot); the cursor goes to its end."""
        self.setText(bare(text)[:ID_LENGTH])
        self.setCursorPosition(len(self.text()))

    def type_key(self, key: str) -> None:
        """Type one character at the cursor (the on-screen keypad); ignored once 18 are in."""
        if len(self._number) < ID_LENGTH or self.hasSelectedText():
            self.insert(key)

    def erase(self) -> None:
        """Delete the character before the cursor, stepping over a group's space."""
        if not self.hasSelectedText():
            pos = self.cursorPosition()
            if pos > 0 and self.text()[pos - 1] == " ":
                self.setCursorPosition(pos - 1)
        self.backspace()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # The spaces are not characters of the number: Backspace and Delete step over them, so
        # one key press always removes one character.
        if not self.hasSelectedText() and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            pos, text = self.cursorPosition(), self.text()
            if event.key() == Qt.Key.Key_Backspace and pos > 0 and text[pos - 1] == " ":
                self.setCursorPosition(pos - 1)
            elif event.key() == Qt.Key.Key_Delete and pos < len(text) and text[pos] == " ":
                self.setCursorPosition(pos + 1)
        super().keyPressEvent(event)

    def _regroup(self, text: str) -> None:
        if self._regrouping:
            return
        # A paste over a selection may bring more than 18: the first 18 are kept.
        number = bare(text)[:ID_LENGTH]
        follows = min(len(bare(text[:self.cursorPosition()])), len(number))
        shown = grouped(number)
        if shown != text:
            self._regrouping = True
            try:
                self.setText(shown)
            finally:
                self._regrouping = False
        self.setCursorPosition(display_position(follows))
        if number != self._number:
            self._number = number
            self.number_changed.emit(number)
