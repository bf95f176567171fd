"""The operator's PIN screen and panel: mode, camera, microphone, endpoint and credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QHBoxLayout, QLineEdit, QVBoxLayout

from kiosk.ui.screens import Screen
from kiosk.ui.widgets import button, label

MODES = ("idcard", "card", "photo", "live")
LOCK_AFTER = 5  # wrong PINs in a row before the screen locks for LOCK_SECONDS
LOCK_SECONDS = 60.0


class PinScreen(Screen):
    """Asks the operator PIN; locks for a minute after five wrong ones."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, check: Callable[[str], bool], clock: Callable[[], float]) -> None:
        super().__init__()
        self._check = check
        self._clock = clock
        self._wrong = 0
        self._locked_until = 0.0
        self._state = ""
        self.title = label(role="title")
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.returnPressed.connect(self.submit)
        self.message = label(role="error")
        self.message.setObjectName("pin-message")
        self.back = button("", name="back")
        self.ok = button("", "primary", name="pin-ok")
        self.back.clicked.connect(self.cancelled)
        self.ok.clicked.connect(self.submit)
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch()
        row.addWidget(self.ok)
        box = QVBoxLayout(self)
        box.setContentsMargins(200, 64, 200, 64)
        box.addStretch()
        box.addWidget(self.title)
        box.addWidget(self.pin)
        box.addWidget(self.message)
        box.addStretch()
        box.addLayout(row)
        self.retranslate()

    def open(self) -> None:
        """Show an empty PIN field with the focus in it."""
        self.pin.clear()
        self._state = ""
        self.retranslate()
        self.pin.setFocus()

    def submit(self) -> None:
        """Check the PIN typed; never says which digits were wrong."""
        if self._clock() < self._locked_until:
            self._state = "locked"
        elif self._check(self.pin.text()):
            self._wrong = 0
            self._state = ""
            self.pin.clear()
            self.accepted.emit()
            return
        else:
            self._wrong += 1
            self._state = "wrong"
            if self._wrong >= LOCK_AFTER:
                self._locked_until = self._clock() + LOCK_SECONDS
                self._wrong = 0
                self._state = "locked"
        self.pin.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Operator PIN"))
        self.message.setText({
            "wrong": self.tr("Wrong PIN. Try again."),
            "locked": self.tr("Too many wrong PINs. Wait a minute, then try again."),
        }.get(self._state, ""))
        self.back.setText(self.tr("Back"))
        self.ok.setText(self.tr("OK"))

    def clear(self) -> None:
        self.pin.clear()


class OperatorPanel(Screen):
    """Settings an operator changes at the counter; secrets are write-only."""

    saved = Signal(dict)  # key -> text; the secret key only when a new one was typed
    closed = Signal()
    quit_requested = Signal()
    reset_attempts = Signal()  # clear the attempt limit's counts (everyone locked out may try)
    sessions_requested = Signal()  # today's sessions from the audit log

    def __init__(self) -> None:
        super().__init__()
        self.title = label(role="title")
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        self.camera = QComboBox()
        self.camera.setObjectName("camera")
        self.mic = QComboBox()
        self.mic.setObjectName("mic")
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("endpoint")
        self.appid = QLineEdit()
        self.appid.setObjectName("appid")
        self.secret_id = QLineEdit()
        self.secret_id.setObjectName("secret_id")
        self.secret_key = QLineEdit()
        self.secret_key.setObjectName("secret_key")
        self.secret_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin = QLineEdit()
        self.new_pin.setObjectName("new_pin")
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setMaxLength(12)
        self.message = label()
        self.message.setObjectName("operator-message")
        self.labels = [label(wrap=False) for _ in range(8)]
        card = QFrame()
        card.setProperty("role", "card")
        columns = QHBoxLayout(card)
        columns.setContentsMargins(24, 16, 24, 16)
        columns.setSpacing(32)
        fields = (self.mode, self.camera, self.mic, self.endpoint, self.appid, self.secret_id,
                  self.secret_key, self.new_pin)
        # Two columns of four: the panel fits 1366x768 with the DEMO banner above it.
        for half in (0, 4):
            form = QFormLayout()
            form.setVerticalSpacing(12)
            for lab, field in zip(self.labels[half:half + 4], fields[half:half + 4], strict=True):
                form.addRow(lab, field)
            # The left a little wider: the default service URL fits whole at 1366 in English.
            columns.addLayout(form, 10 if half == 0 else 9)
        self.back = button("", name="back")
        self.quit = button("", "danger", name="quit")
        self.save = button("", "primary", name="save")
        self.reset_limits = button("", name="reset-attempts")
        self.reset_limits.clicked.connect(self.reset_attempts)
        self.sessions = button("", name="sessions")
        self.sessions.clicked.connect(self.sessions_requested)
        self.back.clicked.connect(self.closed)
        self.quit.clicked.connect(self.quit_requested)
        self.save.clicked.connect(self._save)
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addWidget(self.quit)
        row.addWidget(self.reset_limits)
        row.addWidget(self.sessions)
        row.addStretch()
        row.addWidget(self.save)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 16, 48, 16)
        box.addWidget(self.title)
        box.addWidget(card, 1)
        box.addWidget(self.message)
        box.addLayout(row)
        self.retranslate()

    def load(self, values: dict[str, Any], cameras: list[str], mics: list[str]) -> None:
        """Fill the form from the current settings and the devices found."""
        self.mode.clear()
        for m in MODES:
            self.mode.addItem(self._mode_name(m), m)
        self.mode.setCurrentIndex(max(0, self.mode.findData(values.get("mode", "idcard"))))
        for combo, names, key in ((self.camera, cameras, "camera"), (self.mic, mics, "mic")):
            combo.clear()
            combo.addItems(names)
            current = str(values.get(key, ""))
            if current and current not in names:
                combo.addItem(current)
            combo.setCurrentText(current)
        self.endpoint.setText(str(values.get("endpoint", "")))
        self.appid.setText(str(values.get("appid", "")))
        self.secret_id.setText(str(values.get("secret_id", "")))
        for edit in (self.endpoint, self.appid, self.secret_id):
            edit.setCursorPosition(0)  # a long URL shows its start ("https://..."), not its end
        self.secret_key.clear()  # write-only: the stored key is never put back on screen
        self.secret_key.setPlaceholderText(self.tr("(kept; type to replace)")
                                           if values.get("has_secret_key") else "")
        self.new_pin.clear()
        self.message.setText("")
        self.mode.setFocus()

    def show_message(self, text: str, ok: bool) -> None:
        """Saved, or what was refused and why."""
        self.message.setProperty("role", "ok" if ok else "error")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def set_quit_visible(self, visible: bool) -> None:
        """Only the kiosk mode needs a way out."""
        self.quit.setVisible(visible)

    def _save(self) -> None:
        values: dict[str, str] = {
            "mode": str(self.mode.currentData()),
            "camera": self.camera.currentText(),
            "mic": self.mic.currentText(),
            "endpoint": self.endpoint.text().strip(),
            "appid": self.appid.text().strip(),
            "secret_id": self.secret_id.text().strip(),
        }
        if self.secret_key.text():
            values["secret_key"] = self.secret_key.text()
        if self.new_pin.text():
            values["operator_pin"] = self.new_pin.text()
        self.secret_key.clear()
        self.new_pin.clear()
        self.saved.emit(values)

    def _mode_name(self, mode: str) -> str:
        return {"photo": self.tr("Photo compared with the ID record"),
                "card": self.tr("Video compared with the card photo"),
                "idcard": self.tr("Video compared with the ID record"),
                "live": self.tr("Video, liveness only (no identity compared)")}[mode]

    def retranslate(self) -> None:
        self.title.setText(self.tr("Operator settings"))
        names = (self.tr("Mode"), self.tr("Camera"), self.tr("Microphone"), self.tr("Service URL"),
                 self.tr("AppId"), self.tr("SecretId"), self.tr("SecretKey"), self.tr("New PIN"))
        for lab, text in zip(self.labels, names, strict=True):
            lab.setText(text)
        for i in range(self.mode.count()):
            self.mode.setItemText(i, self._mode_name(str(self.mode.itemData(i))))
        self.new_pin.setPlaceholderText(self.tr("4-12 digits; empty keeps the PIN"))
        self.back.setText(self.tr("Back"))
        self.quit.setText(self.tr("Quit the kiosk"))
        self.save.setText(self.tr("Save"))
        self.sessions.setText(self.tr("Today's sessions"))
        self.sessions.setAccessibleName(self.tr("Today's sessions from the audit log"))
        self.reset_limits.setText(self.tr("Reset attempt limits"))
        self.reset_limits.setAccessibleName(self.tr(
            "Reset attempt limits: everyone stopped after repeated failures may try again"))

    def clear(self) -> None:
        self.secret_key.clear()
        self.new_pin.clear()
