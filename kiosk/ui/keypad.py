"""An on-screen keypad for the ID number: digits, X, delete, clear — for a touch screen with no keyboard."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.ui.id_entry import IdNumberEdit

# Telephone order, X where a phone has * (the check character is the only letter a number has).
ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("X", "0", "back"))
BACKSPACE_GLYPH = "\u232b"  # ⌫
# Keys grow with the screen up to this height: larger is no easier to hit, only farther to reach.
MAX_KEY_PX = 96


class Keypad(QWidget):
    """Buttons that type into an IdNumberEdit without taking its focus (so its cursor stays)."""

    def __init__(self, target: IdNumberEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("id-keypad")
        self._target = target
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for r, row in enumerate(ROWS):
            for c, key in enumerate(row):
                grid.addWidget(self._key(key), r, c)
        grid.addWidget(self._key("clear"), len(ROWS), 0, 1, 3)
        rows = len(ROWS) + 1
        self.setMaximumHeight(rows * MAX_KEY_PX + (rows - 1) * grid.spacing())
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.retranslate()

    def _key(self, key: str) -> QPushButton:
        b = QPushButton(BACKSPACE_GLYPH if key == "back" else key)
        b.setObjectName(f"key-{key}")
        b.setProperty("role", "key")
        # A key press must not move the focus: the field keeps its cursor, a keyboard still works.
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        b.setAutoRepeat(key == "back")  # held down, it deletes on, as a keyboard's does
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        self.keys[key] = b
        return b

    def press(self, key: str) -> None:
        """What a key does to the field: type, delete the character before the cursor, or clear."""
        if key == "back":
            self._target.erase()
        elif key == "clear":
            self._target.clear()
        else:
            self._target.type_key(key)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The keys' accessible names (a screen reader says what each does) and the clear key."""
        for key, b in self.keys.items():
            if key == "back":
                b.setAccessibleName(self.tr("delete last character"))
            elif key == "clear":
                b.setText(self.tr("Clear"))
                b.setAccessibleName(self.tr("clear the ID number"))
            elif key == "X":
                b.setAccessibleName(self.tr("letter X"))
            else:
                b.setAccessibleName(self.tr("digit %1").replace("%1", key))
