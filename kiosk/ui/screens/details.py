"""The person's details: ID number and name checked as they type, and the photo when a mode needs one.

The ID number is shown grouped 6-8-4 (kiosk.ui.id_entry) and typed with a keyboard or the
on-screen keypad; a configured card reader fills the number and the name in one press.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.checks.findings import Finding, blocking
from kiosk.errors import KioskError
from kiosk.flow.card_reader import Card, CardReader
from kiosk.texts import pick
from kiosk.ui.card_reading import CardReading
from kiosk.ui.id_entry import ID_LENGTH, IdNumberEdit
from kiosk.ui.keypad import Keypad
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import PhotoBox, button, label, set_role

# (id_number, name) -> what kiosk.checks.check_identity finds
Validator = Callable[[str, str], Sequence[Finding]]

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

    def __init__(self, validate: Validator | None = None, lang: Callable[[], str] = lambda: "en",
                 card_reader: CardReader | None = None) -> None:
        super().__init__()
        self._validate = validate or default_validator()
        self._lang = lang
        self._mode = "idcard"
        self.photo_bytes: bytes | None = None

        self.title = label(role="title")
        self.id_label = label(wrap=False)
        self.id_number = IdNumberEdit()
        self.id_number.setObjectName("id_number")
        self.name_label = label(wrap=False)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setMaxLength(30)
        # The ID number's own errors sit under it; the name's (and a photo's) under the name.
        self.id_feedback = label(role="error")
        self.id_feedback.setObjectName("id-feedback")
        self.feedback = label(role="error")
        self.feedback.setObjectName("feedback")
        self.counter = label(role="muted")
        self.keypad = Keypad(self.id_number)

        # The card reader, when one is configured: one press fills the number and the name.
        self.reading: CardReading | None = None
        self.read_card = button("", name="read-card")
        self.read_card.clicked.connect(self.start_card_read)
        self.card_status = label(role="muted")
        self.card_status.setObjectName("card-status")
        self.set_card_reader(card_reader)

        self.id_box = QFrame()
        self.id_box.setProperty("role", "card")
        self.form = form = QFormLayout()
        form.setVerticalSpacing(16)
        form.addRow(self.id_label, self.id_number)
        form.addRow(QWidget(), self.counter)  # shown while typing; then the ID's errors below
        form.addRow(QWidget(), self.id_feedback)
        form.addRow(self.name_label, self.name)
        form.addRow(QWidget(), self.feedback)
        reader_row = QHBoxLayout()
        reader_row.addWidget(self.read_card)
        reader_row.addWidget(self.card_status, 1)
        fields = QVBoxLayout()
        fields.addLayout(reader_row)
        fields.addLayout(form)
        fields.addStretch()
        idv = QHBoxLayout(self.id_box)
        idv.setContentsMargins(24, 24, 24, 24)
        idv.setSpacing(24)
        idv.addLayout(fields, 1)
        pad = QVBoxLayout()
        pad.addWidget(self.keypad, 1)
        pad.addStretch(0)  # on a tall screen the keys stop growing and stay at the top
        idv.addLayout(pad)

        self.photo_box = QFrame()
        self.photo_box.setProperty("role", "card")
        self.photo_title = label()
        self.photo = PhotoBox()
        self.photo.setMinimumSize(240, 240)
        self.photo.setWordWrap(True)  # the placeholder, in a box the keypad leaves narrower
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
        self.id_number.number_changed.connect(self.revalidate)
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

    def findings(self) -> list[Finding]:
        """The identity check's findings once all 18 characters are in (none before)."""
        number, name = self.id_number.number(), self.name.text().strip()
        if not self.needs_identity() or len(number) != ID_LENGTH:
            return []
        return list(self._validate(number, name))

    def revalidate(self) -> None:
        """Show checksum and date errors as the person types; enable Continue when all is right."""
        number, name = self.id_number.number(), self.name.text().strip()
        lang = self._lang()
        blocked = blocking(self.findings())
        id_found = [f for f in blocked if f.code in ID_CODES]
        # A missing name is not an error while the person is still typing the number.
        name_found = [f for f in blocked if name and f.code not in ID_CODES]
        self.id_feedback.setText("\n".join(pick(lang, f.message_zh, f.message_en) for f in id_found))
        self.feedback.setText("\n".join(pick(lang, f.message_zh, f.message_en) for f in name_found))
        full = len(number) == ID_LENGTH
        self._mark(self.id_number, None if not full else not id_found)
        self.counter.setText(self.tr("%n of 18 characters", "", len(number)) if not full else "")
        self.form.setRowVisible(self.counter, not full)
        self.form.setRowVisible(self.id_feedback, bool(id_found))
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
            self.submitted.emit(self.id_number.number(), self.name.text().strip())

    # -- the card reader ------------------------------------------------------------------------
    def set_card_reader(self, reader: CardReader | None) -> None:
        """Use this reader (None: none, and no "Read ID card" button)."""
        if self.reading is not None:
            self.reading.forget()
            self.reading.finished.disconnect(self.show_card_outcome)
            self.reading.idle.disconnect(self._reader_idle)
        self.reading = CardReading(reader, parent=self) if reader is not None else None
        if self.reading is not None:
            self.reading.finished.connect(self.show_card_outcome)
            self.reading.idle.connect(self._reader_idle)
        self.read_card.setVisible(self.reading is not None)
        self.card_status.setVisible(self.reading is not None)
        self.read_card.setEnabled(True)

    def start_card_read(self) -> None:
        """Read the card on the reader (off the GUI thread); the fields fill when it answers."""
        if self.reading is None or not self.reading.start():
            return
        self.read_card.setEnabled(False)
        self._card_message(self.tr("Reading the card… keep it on the reader."), "muted")

    def show_card_outcome(self, outcome: object) -> None:
        """Fill the fields from a Card, or say why there is none (a KioskError)."""
        self.read_card.setEnabled(self.reading is not None and not self.reading.busy)
        if isinstance(outcome, Card):
            self.id_number.set_number(outcome.id_number)
            self.name.setText(outcome.name)
            self._card_message(self.tr("Card read. Check the details, then press Continue."), "ok")
            (self.go if self.go.isEnabled() else self.id_number).setFocus()
        elif isinstance(outcome, KioskError):
            self._card_message(outcome.text(self._lang()), "error")

    def _reader_idle(self) -> None:
        self.read_card.setEnabled(True)

    def _card_message(self, text: str, role: str) -> None:
        self.card_status.setText(text)
        if self.card_status.property("role") != role:
            set_role(self.card_status, role)

    def clear(self) -> None:
        if self.reading is not None:
            self.reading.forget()
            self.read_card.setEnabled(not self.reading.busy)
        self._card_message("", "muted")
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
        self.read_card.setText(self.tr("Read ID card"))
        self.read_card.setAccessibleName(self.tr("Read the ID card on the reader"))
        self.id_number.setAccessibleName(self.tr("ID number"))
        self.name.setAccessibleName(self.tr("Name"))
        self.cancel.setText(self.tr("Cancel"))
        self.go.setText(self.tr("Continue"))
        self.revalidate()
