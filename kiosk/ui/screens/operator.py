"""The operator's PIN screen and desk: settings by section, self-test, sessions, the way out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
)

from kiosk.ui.messages import LANGUAGE_NAMES
from kiosk.ui.screens import Screen
from kiosk.ui.screens.desk_settings import SECTIONS, DeskSettings
from kiosk.ui.screens.self_test import SelfTestPage
from kiosk.ui.widgets import button, label, set_role

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
    """The operator's desk: every setting by section, the self-test, today's sessions, the way out.

    Secrets are write-only. Save stores the valid changes at once and marks each refused value
    under its field.
    """

    saved = Signal(dict)  # key -> text; the secret key and the PIN only when typed
    closed = Signal()
    quit_requested = Signal()
    reset_attempts = Signal()  # clear the attempt limit's counts (everyone locked out may try)
    sessions_requested = Signal()  # today's sessions from the audit log
    self_test_requested = Signal()  # run the doctor's checks (the self-test page was opened)

    def __init__(self, lang: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self._lang = lang
        self._refused: list[str] = []
        self.title = label(role="title")
        self.form = DeskSettings(lang, self)
        rows = self.form.rows
        self.mode, self.camera, self.mic = rows["mode"].widget, rows["camera"].widget, rows["mic"].widget
        self.endpoint = rows["endpoint"].widget
        self.secret_key, self.new_pin = rows["secret_key"].widget, rows["operator_pin"].widget
        self.self_test = SelfTestPage(lang)
        self.pages = QStackedWidget()
        self.nav: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        nav = QVBoxLayout()
        nav.setSpacing(8)
        for name, page in [*self.form.pages.items(), ("self-test", self.self_test)]:
            b = button("", "nav", name=f"desk-{name}")
            b.setCheckable(True)
            group.addButton(b)
            b.clicked.connect(lambda _=False, n=name: self.show_page(n))
            nav.addWidget(b)
            self.nav[name] = b
            self.pages.addWidget(page)
        nav.addStretch()
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addLayout(nav)
        body.addWidget(self.pages, 1)
        self.message = label()
        self.message.setObjectName("operator-message")
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
        box.addLayout(body, 1)
        box.addWidget(self.message)
        box.addLayout(row)
        self.show_page("service")
        self.retranslate()

    def load(self, values: dict[str, Any], cameras: list[str], mics: list[str]) -> None:
        """Fill the form from the current settings (desk_settings.current_values) and the devices."""
        self.form.load(values, cameras, mics)
        self.message.setText("")
        self.show_page("service")
        self.retranslate()

    def page(self) -> str:
        """The name of the page shown (a settings section, or "self-test")."""
        return next(n for n, b in self.nav.items() if b.isChecked())

    def show_page(self, name: str) -> None:
        """Show a settings section or the self-test (which starts a run when none was made)."""
        self.nav[name].setChecked(True)
        target = self.self_test if name == "self-test" else self.form.pages[name]
        self.pages.setCurrentWidget(target)
        self.save.setVisible(name != "self-test")
        if name == "self-test" and not self.self_test.checks() and not self.self_test.running():
            self.self_test_requested.emit()

    def show_message(self, text: str, ok: bool) -> None:
        """Saved, or what was refused and why."""
        set_role(self.message, "ok" if ok else "error")
        self.message.setText(text)

    def set_quit_visible(self, visible: bool) -> None:
        """Only the kiosk mode needs a way out."""
        self.quit.setVisible(visible)

    def committed(self, changes: dict[str, str]) -> None:
        """The window stored ``changes``: they are what the form compares with from now on."""
        self.form.accepted(changes)
        if self._refused:
            self.show_message(self.tr("Saved, except the values marked in red: correct them and "
                                      "save again."), False)

    def _save(self) -> None:
        changes, self._refused = self.form.changes()
        if self._refused:
            first = self._refused[0]
            section = next(n for n, keys in SECTIONS if first in keys)
            self.show_page(section)  # the first refused value in sight
            self.form.rows[first].widget.setFocus()
            if not changes:
                self.show_message(self.tr("Nothing saved: correct the values marked in red."), False)
                return
        self.saved.emit(changes)

    def _choice_name(self, key: str, value: str) -> str:
        names = {
            "mode": {"photo": self.tr("Photo compared with the ID record"),
                     "card": self.tr("Video compared with the card photo"),
                     "idcard": self.tr("Video compared with the ID record"),
                     "live": self.tr("Video, liveness only (no identity compared)")},
            "language": {**LANGUAGE_NAMES, "auto": self.tr("As the system")},
        }
        return names.get(key, {}).get(value, value)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Operator desk"))
        names = {
            "endpoint": self.tr("Service URL"), "appid": self.tr("AppId"), "secret_id": self.tr("SecretId"),
            "secret_key": self.tr("SecretKey"), "bucket": self.tr("Bucket"), "mode": self.tr("Mode"),
            "camera": self.tr("Camera"), "mic": self.tr("Microphone"),
            "clip_seconds": self.tr("Clip length (s)"), "clip_format": self.tr("Clip format"),
            "threshold": self.tr("Similarity threshold"), "attempt_limit": self.tr("Attempt limit"),
            "attempt_window": self.tr("Attempt window (min)"), "show_score": self.tr("Show the score"),
            "result_seconds": self.tr("Result shown (s)"), "record_tone": self.tr("Recording tone"),
            "keep_clips_days": self.tr("Keep clips (days)"),
            "consent_notice": self.tr("Consent notice file"), "idle_timeout": self.tr("Idle timeout (s)"),
            "language": self.tr("Language"), "card_reader": self.tr("ID card reader"),
            "operator_pin": self.tr("New PIN"),
        }
        for key, row in self.form.rows.items():
            row.name.setText(names[key])
            row.widget.setAccessibleName(names[key])
            row.retranslate()
            if isinstance(row.widget, QComboBox) and not row.widget.isEditable():
                for i in range(row.widget.count()):
                    row.widget.setItemText(i, self._choice_name(key, str(row.widget.itemData(i))))
            if isinstance(row.widget, QCheckBox):
                row.widget.setText(self.tr("On"))
        key_row = self.form.rows["secret_key"]
        assert isinstance(self.secret_key, QLineEdit) and isinstance(self.new_pin, QLineEdit)
        self.secret_key.setPlaceholderText(self.tr("(stored; type to replace)") if key_row.has_secret
                                           else self.tr("(not set)"))
        self.new_pin.setPlaceholderText(self.tr("4-12 digits; empty keeps the PIN"))
        sections = {"service": self.tr("Service"), "capture": self.tr("Capture"),
                    "checks": self.tr("Checks"), "privacy": self.tr("Session and privacy"),
                    "kiosk": self.tr("Kiosk"), "self-test": self.tr("Self-test")}
        for name, b in self.nav.items():
            b.setText(sections[name])
        self.nav["self-test"].setAccessibleName(self.tr(
            "Self-test: camera, microphone, ffmpeg, service, TLS, signature and clock"))
        self.back.setText(self.tr("Back"))
        self.quit.setText(self.tr("Quit the kiosk"))
        self.quit.setAccessibleName(self.tr("Quit the kiosk application"))
        self.save.setText(self.tr("Save"))
        self.save.setAccessibleName(self.tr("Save the settings"))
        self.sessions.setText(self.tr("Today's sessions"))
        self.sessions.setAccessibleName(self.tr("Today's sessions from the audit log"))
        self.reset_limits.setText(self.tr("Reset attempt limits"))
        self.reset_limits.setAccessibleName(self.tr(
            "Reset attempt limits: everyone stopped after repeated failures may try again"))

    def clear(self) -> None:
        self.form.clear_secrets()
        self.self_test.clear()
