"""The person's details: ID number and name checked as they type, and the photo when a mode needs one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.checks.findings import Finding, blocking
from kiosk.texts import pick
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import PhotoBox, button, label

# (id_number, name) -> what kiosk.checks.check_identity finds
Validator = Callable[[str, str], Sequence[Finding]]

ID_LENGTH = 18
ID_CODES = frozenset({-5804})


def default_validator() -> Validator:
    """kiosk.checks.check_identity: the ID number and name rules, checked as they are typed."""
    from kiosk.checks import check_identity

    return lambda number, name: check_identity(number, name)


class DetailsScreen(Screen):
    """ID number + name for the ID modes, a photo for the photo and card modes."""

    submitted = Signal(str, str)  # id number, name (the photo is kept in photo_bytes)
    cancelled = Signal()
    photo_from_file = Signal()
    photo_from_camera = Signal()

    def __init__(self, validate: Validator | None = None, lang: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self._validate = validate or default_validator()
        self._lang = lang
        self._mode = "idcard"
        self.photo_bytes: bytes | None = None

        self.title = label(role="title")
        self.id_label = label(wrap=False)
        self.id_number = QLineEdit()
        self.id_number.setObjectName("id_number")
        self.id_number.setMaxLength(ID_LENGTH)
        self.id_number.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase)
        self.name_label = label(wrap=False)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setMaxLength(30)
        self.feedback = label(role="error")
        self.feedback.setObjectName("feedback")
        self.counter = label(role="muted")

        self.id_box = QFrame()
        self.id_box.setProperty("role", "card")
        form = QFormLayout(self.id_box)
        form.setContentsMargins(24, 24, 24, 24)
        form.setVerticalSpacing(16)
        form.addRow(self.id_label, self.id_number)
        form.addRow(QWidget(), self.counter)
        form.addRow(self.name_label, self.name)
        form.addRow(QWidget(), self.feedback)

        self.photo_box = QFrame()
        self.photo_box.setProperty("role", "card")
        self.photo_title = label()
        self.photo = PhotoBox()
        self.photo.setMinimumSize(240, 240)
        self.photo_file = button("", "small", name="photo-file")
        self.photo_camera = button("", "small", name="photo-camera")
        self.photo_file.clicked.connect(self.photo_from_file)
        self.photo_camera.clicked.connect(self.photo_from_camera)
        pv = QVBoxLayout(self.photo_box)
        pv.setContentsMargins(24, 24, 24, 24)
        pv.addWidget(self.photo_title)
        pv.addWidget(self.photo, 1)
        prow = QHBoxLayout()
        prow.addWidget(self.photo_file)
        prow.addWidget(self.photo_camera)
        pv.addLayout(prow)

        self.cancel = button("", name="cancel")
        self.go = button("", "primary", name="continue")
        self.cancel.clicked.connect(self.cancelled)
        self.go.clicked.connect(self._submit)
        self.id_number.textEdited.connect(self._upper)
        self.id_number.textChanged.connect(self.revalidate)
        self.name.textChanged.connect(self.revalidate)
        self.id_number.returnPressed.connect(self.name.setFocus)
        self.name.returnPressed.connect(self._submit)

        body = QHBoxLayout()
        body.addWidget(self.id_box, 3)
        body.addWidget(self.photo_box, 2)
        actions = QHBoxLayout()
        actions.addWidget(self.cancel)
        actions.addStretch()
        actions.addWidget(self.go)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 32, 48, 32)
        box.addWidget(self.title)
        box.addSpacing(16)
        box.addLayout(body, 1)
        box.addSpacing(16)
        box.addLayout(actions)
        self.retranslate()
        self.revalidate()

    def set_mode(self, mode: str) -> None:
        """Show the parts the mode needs: ID fields, a photo, or both."""
        self._mode = mode
        self.id_box.setVisible(self.needs_identity())
        self.photo_box.setVisible(self.needs_photo())
        self.retranslate()
        self.revalidate()

    def needs_identity(self) -> bool:
        """The ID modes compare with the ID record."""
        return self._mode in ("photo", "idcard")

    def needs_photo(self) -> bool:
        """The photo mode sends a photo; the card mode a card photo."""
        return self._mode in ("photo", "card")

    def set_photo(self, data: bytes | None) -> bool:
        """Use these picture bytes as the photo; False when they are not a picture."""
        ok = self.photo.set_image_bytes(data)
        self.photo_bytes = data if ok else None
        self.revalidate()
        return ok

    def _upper(self, text: str) -> None:
        # The check character is an upper-case X; a lower-case x is the same key on a keyboard.
        if "x" in text:
            pos = self.id_number.cursorPosition()
            self.id_number.setText(text.upper())
            self.id_number.setCursorPosition(pos)

    def findings(self) -> list[Finding]:
        """The identity check's findings once all 18 characters are in (none before)."""
        number, name = self.id_number.text().strip(), self.name.text().strip()
        if not self.needs_identity() or len(number) != ID_LENGTH:
            return []
        return list(self._validate(number, name))

    def revalidate(self) -> None:
        """Show checksum and date errors as the person types; enable Continue when all is right."""
        number, name = self.id_number.text().strip(), self.name.text().strip()
        lang = self._lang()
        blocked = blocking(self.findings())
        # A missing name is not an error while the person is still typing the number.
        shown = [f for f in blocked if name or f.code in ID_CODES]
        self.feedback.setText("\n".join(pick(lang, f.message_zh, f.message_en) for f in shown))
        full = len(number) == ID_LENGTH
        id_bad = any(f.code in ID_CODES for f in blocked)
        self._mark(self.id_number, None if not full else not id_bad)
        self.counter.setText(self.tr("%n of 18 characters", "", len(number)) if not full else "")
        ready = True
        if self.needs_identity():
            ready = full and bool(name) and not blocked
        # Without a photo the camera takes one after Continue (the card mode films the card).
        self.go.setEnabled(ready)

    @staticmethod
    def _mark(edit: QLineEdit, valid: bool | None) -> None:
        edit.setProperty("valid", "" if valid is None else ("true" if valid else "false"))
        edit.style().unpolish(edit)
        edit.style().polish(edit)

    def _submit(self) -> None:
        if self.go.isEnabled():
            self.submitted.emit(self.id_number.text().strip(), self.name.text().strip())

    def clear(self) -> None:
        self.id_number.clear()
        self.name.clear()
        self.photo.clear_image()
        self.photo_bytes = None
        self.revalidate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Your details"))
        self.id_label.setText(self.tr("ID number"))
        self.name_label.setText(self.tr("Name"))
        self.id_number.setPlaceholderText(self.tr("18 characters, as on the ID card"))
        self.name.setPlaceholderText(self.tr("As on the ID card"))
        self.photo_title.setText(self.tr("Card photo") if self._mode == "card"
                                 else self.tr("Your photo"))
        if self._mode == "photo":
            empty = self.tr("No photo: the camera takes one after Continue")
        elif self._mode == "card":
            empty = self.tr("After Continue, hold your ID card up to the camera")
        else:
            empty = self.tr("No photo yet")
        self.photo.setText("" if self.photo.has_image() else empty)
        # In the card mode the card is filmed; a file is for staff only (the window asks the PIN).
        self.photo_file.setText(self.tr("Staff: choose a file") if self._mode == "card"
                                else self.tr("Choose a file"))
        self.photo_camera.setText(self.tr("Use the camera"))
        self.cancel.setText(self.tr("Cancel"))
        self.go.setText(self.tr("Continue"))
        self.revalidate()
