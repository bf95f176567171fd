"""The first screen: what is about to happen, a start button and the language switch."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.ui.messages import LANGUAGE_NAMES
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import button, label, set_role


class WelcomeScreen(Screen):
    """Welcome: start, the language switch, and the operator's way in."""

    start_requested = Signal()
    language_requested = Signal(str)
    operator_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._mode = "idcard"
        self.title = label(role="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = label()
        self.intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mode_label = label(role="muted")
        self.mode_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start = button("", "primary", name="start")
        self.start.setMinimumWidth(360)
        self.start.clicked.connect(self.start_requested)
        # Shown, with start disabled, while a result that was not recorded waits for the operator.
        self.hold = label(role="error")
        self.hold.setObjectName("hold")
        self.hold.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hold.hide()
        # Whether the service answers (kiosk.ui.service_probe): said before anyone starts.
        self.service = label(role="muted")
        self.service.setObjectName("service-status")
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._service_state = "unknown"
        # Language names are written in their own language and never translated.
        self.zh = button(LANGUAGE_NAMES["zh"], "small", name="lang-zh")
        self.en = button(LANGUAGE_NAMES["en"], "small", name="lang-en")
        self.zh.clicked.connect(lambda: self.language_requested.emit("zh"))
        self.en.clicked.connect(lambda: self.language_requested.emit("en"))
        self.operator = button("", "small", name="operator")
        self.operator.clicked.connect(self.operator_requested)

        langs = QHBoxLayout()
        langs.addStretch()
        langs.addWidget(self.zh)
        langs.addWidget(self.en)
        langs.addStretch()
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(self.operator)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 32, 48, 24)
        box.addStretch(2)
        box.addWidget(self.title)
        box.addSpacing(16)
        box.addWidget(self.intro)
        box.addSpacing(8)
        box.addWidget(self.mode_label)
        box.addSpacing(32)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.start)
        row.addStretch()
        box.addLayout(row)
        box.addWidget(self.hold)
        box.addWidget(self.service)
        box.addSpacing(24)
        box.addLayout(langs)
        box.addStretch(3)
        box.addLayout(bottom)
        self.retranslate()

    def set_mode(self, mode: str) -> None:
        """Say which kind of verification the start button begins."""
        self._mode = mode
        self.retranslate()

    def set_hold(self, text: str, name: str = "") -> None:
        """Disable start and say why (``text``); an empty text enables it again."""
        self.hold.setText(text)
        self.hold.setAccessibleName(name or text)
        self.hold.setVisible(bool(text))
        self.start.setEnabled(not text)

    def set_service(self, state: str) -> None:
        """Say whether the service answers: ok, unreachable, misconfigured (unknown: nothing)."""
        self._service_state = state
        set_role(self.service, {"ok": "ok", "unknown": "muted"}.get(state, "warning"))
        self.retranslate()

    def _service_text(self) -> str:
        return {
            "ok": self.tr("The verification service is connected."),
            "unreachable": self.tr(
                "The verification service cannot be reached just now, so checks may not "
                "complete. Please ask a member of staff."),
            "misconfigured": self.tr(
                "This kiosk is not set up to use the verification service. Please ask a member "
                "of staff."),
        }.get(self._service_state, "")

    def mode_text(self, mode: str) -> str:
        """The mode's name for people."""
        names = {
            "photo": self.tr("Photo compared with the ID record"),
            "card": self.tr("Video compared with the card photo"),
            "idcard": self.tr("Video compared with the ID record"),
            "live": self.tr("Video, liveness only (no identity compared)"),
        }
        return names.get(mode, mode)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Identity verification"))
        if self._mode == "photo":
            self.intro.setText(self.tr("Enter your ID details, then look at the camera for a photo."))
        elif self._mode == "live":
            self.intro.setText(self.tr(
                "You will look at the camera and read four digits aloud. It takes about one "
                "minute."))
        else:
            self.intro.setText(self.tr(
                "You will enter your details, look at the camera and read four digits aloud. "
                "It takes about one minute."))
        self.mode_label.setText(self.mode_text(self._mode))
        self.start.setText(self.tr("Start"))
        self.operator.setText(self.tr("Operator"))
        self.service.setText(self._service_text())
        self.service.setAccessibleName(self.service.text())
        self.service.setVisible(bool(self.service.text()))
        self.operator.setAccessibleName(self.tr("Operator settings (PIN required)"))
