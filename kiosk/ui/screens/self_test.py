"""The operator desk's self-test page: each of the doctor's checks as ok, warning or failed, with its fix."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.config.doctor import FAIL, OK, WARN, Check
from kiosk.texts import pick
from kiosk.ui.screens import Screen
from kiosk.ui.screens.desk_settings import ScrollPage
from kiosk.ui.widgets import button, label, set_role

_ROLES = {OK: "ok", WARN: "warning", FAIL: "error"}


class SelfTestPage(Screen):
    """The checks of the latest run, in the doctor's order; "Run again" starts a new run."""

    run_requested = Signal()

    def __init__(self, lang: Callable[[], str]) -> None:
        super().__init__()
        self._lang = lang
        self._checks: list[Check] = []
        self._running = False
        self.summary = label(role="lead")
        self.summary.setObjectName("self-test-summary")
        self.run_again = button("", "primary", name="self-test-run")
        self.run_again.clicked.connect(self.run_requested)
        self._list = QFrame()
        self._list.setProperty("role", "card")
        self._grid = QGridLayout(self._list)
        self._grid.setContentsMargins(24, 16, 24, 16)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(2, 1)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = ScrollPage()
        scroll.setWidget(self._list)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.run_again)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(scroll, 1)
        self._rows: list[tuple[QWidget, ...]] = []
        self.retranslate()

    def begin(self) -> None:
        """A run started: the list empties and fills as each check ends."""
        self._checks = []
        self._running = True
        self.retranslate()

    def add(self, check: Check) -> None:
        """One check's result."""
        self._checks.append(check)
        self.retranslate()

    def done(self) -> None:
        """The run ended."""
        self._running = False
        self.retranslate()

    def clear(self) -> None:
        """Forget the last run (the desk was left): the next visit runs the checks again."""
        self._checks = []
        self._running = False
        self.retranslate()

    def checks(self) -> list[Check]:
        """The results shown."""
        return list(self._checks)

    def running(self) -> bool:
        """Whether a run is under way."""
        return self._running

    def _status(self, status: str) -> str:
        return {OK: self.tr("OK"), WARN: self.tr("Warning"), FAIL: self.tr("Failed")}[status]

    def _name(self, name: str) -> str:
        return {
            "settings": self.tr("Settings file"), "secret store": self.tr("Secret key store"),
            "consent notice": self.tr("Consent notice"), "ffmpeg": self.tr("ffmpeg"),
            "cameras": self.tr("Cameras"), "microphones": self.tr("Microphones"),
            "camera frame": self.tr("Camera picture"), "microphone level": self.tr("Microphone level"),
            "display": self.tr("Display"), "endpoint": self.tr("Service and TLS"),
            "clock": self.tr("Clock"), "signature": self.tr("Signature"),
        }.get(name, name)

    def _fill(self) -> None:
        for widgets in self._rows:
            for w in widgets:
                self._grid.removeWidget(w)
                w.hide()
                w.setParent(None)  # gone now: a deleteLater waits for the event loop
        self._rows = []
        lang = self._lang()
        for i, c in enumerate(self._checks):
            status = label(self._status(c.status), wrap=False)
            status.setObjectName(f"status-{i}")
            set_role(status, _ROLES[c.status])
            name = label(self._name(c.name), wrap=False)
            detail = pick(lang, c.detail_zh or c.detail_en, c.detail_en)
            fix = pick(lang, c.fix_zh or c.fix_en, c.fix_en)
            if c.status != OK and fix:
                detail += "\n" + self.tr("Fix: %1").replace("%1", fix)
            text = label(detail)
            text.setObjectName(f"detail-{i}")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._grid.addWidget(status, i, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(name, i, 1, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(text, i, 2)
            self._rows.append((status, name, text))
            for w in (status, name, text):
                w.show()  # now: a widget added to a shown page is otherwise shown later (queued)

    def retranslate(self) -> None:
        counts = {s: sum(c.status == s for c in self._checks) for s in (OK, WARN, FAIL)}
        if self._running:
            summary = self.tr("Checking… %1 done").replace("%1", str(len(self._checks)))
        elif not self._checks:
            summary = self.tr("Not run yet")
        elif counts[FAIL] or counts[WARN]:
            summary = (self.tr("%1 failed, %2 warnings, %3 OK").replace("%1", str(counts[FAIL]))
                       .replace("%2", str(counts[WARN])).replace("%3", str(counts[OK])))
        else:
            summary = self.tr("All %1 checks OK").replace("%1", str(counts[OK]))
        self.summary.setText(summary)
        self.run_again.setText(self.tr("Run again"))
        self.run_again.setAccessibleName(self.tr("Run the self-test again"))
        self.run_again.setEnabled(not self._running)
        self._fill()


__all__ = ["SelfTestPage"]
