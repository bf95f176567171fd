"""Consent: what is captured and why, before the camera opens; 'I agree', or the way to staff.

Shown after the details and before any camera frame is taken (docs/consent.md). Declining ends
the session with no capture and sends the person to the counter. When the ID's birth date says
the person is under 14, agreeing is a guardian's act, confirmed by staff with the operator PIN.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.config.consent import BUILT_IN, Notice
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import button, label


class ConsentScreen(Screen):
    """The notice, 'I agree' and 'I decline'; after a decline, where to go instead."""

    agreed = Signal()  # with a guardian, only after the staff PIN (the window asks for it)
    declined = Signal()  # the person chose the other way: the window records it
    done = Signal()  # the decline was read: back to the welcome screen
    cancelled = Signal()

    def __init__(self, lang: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self._lang = lang
        self._notice = BUILT_IN
        self._guardian = False
        self._declined = False
        self._no_staff = False
        self.title = label(role="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.guardian = label(role="warning")
        self.guardian.setObjectName("guardian")
        self.guardian.hide()
        self.notice = label()
        self.notice.setObjectName("notice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notice.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a screen reader reaches it
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.addWidget(self.notice)
        inner.addStretch()
        scroll.setWidget(holder)
        self.notice_area = scroll
        self.agree = button("", "primary", name="consent-agree")
        self.decline = button("", "", name="consent-decline")
        self.back = button("", "small", name="consent-back")
        self.finished = button("", "primary", name="consent-done")
        self.finished.hide()
        self.agree.clicked.connect(self.agreed)
        self.decline.clicked.connect(self._decline)
        self.back.clicked.connect(self.cancelled)
        self.finished.clicked.connect(self.done)

        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch()
        row.addWidget(self.decline)
        row.addWidget(self.agree)
        row.addWidget(self.finished)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 24, 48, 24)
        box.addWidget(self.title)
        box.addWidget(self.guardian)
        box.addWidget(scroll, 1)
        box.addLayout(row)
        self.retranslate()

    def open(self, notice: Notice, *, guardian: bool) -> None:
        """Show ``notice``; ``guardian``: the person is under 14, a guardian must agree."""
        self._notice, self._guardian, self._declined = notice, guardian, False
        self._no_staff = False
        self.agree.setEnabled(True)
        self._show_state()
        self.agree.setFocus()

    @property
    def notice_version(self) -> str:
        """The version of the words on screen (stored with the answer in the audit row)."""
        return self._notice.version

    @property
    def needs_guardian(self) -> bool:
        """True when agreeing needs the staff PIN."""
        return self._guardian

    def show_no_staff(self) -> None:
        """No operator PIN is set: a guardian's consent cannot be confirmed at this kiosk."""
        self._no_staff = True
        self.agree.setEnabled(False)
        self.retranslate()
        self.decline.setFocus()

    def _decline(self) -> None:
        self._declined = True
        self._show_state()
        self.finished.setFocus()
        self.declined.emit()

    def _show_state(self) -> None:
        for w in (self.agree, self.decline, self.back):
            w.setVisible(not self._declined)
        # After a decline the notice's place says that nothing was recorded and who verifies.
        self.notice.setAlignment(Qt.AlignmentFlag.AlignTop | (
            Qt.AlignmentFlag.AlignHCenter if self._declined else Qt.AlignmentFlag.AlignLeft))
        self.finished.setVisible(self._declined)
        self.guardian.setVisible(self._guardian and not self._declined)
        self.retranslate()

    def retranslate(self) -> None:
        if self._declined:
            self.title.setText(self.tr("Please go to the counter"))
            self.title.setAccessibleName(self.title.text())
        else:
            self.title.setText(self.tr("Before we start: your consent"))
        self.notice.setText(self._notice.text(self._lang()))
        self.notice.setAccessibleName(self.tr("Consent notice"))
        self.notice.setAccessibleDescription(self._notice.text(self._lang()))
        if self._no_staff:
            self.guardian.setText(self.tr(
                "No operator PIN is set, so a guardian's consent cannot be confirmed here. "
                "Please go to the counter."))
        else:
            self.guardian.setText(self.tr(
                "This person is under 14: a parent or guardian must agree. Staff confirm it "
                "with the operator PIN."))
        if self._guardian:
            self.agree.setText(self.tr("Guardian agrees (staff PIN)"))
            self.agree.setAccessibleName(self.tr(
                "A guardian agrees; staff confirm with the operator PIN"))
        else:
            self.agree.setText(self.tr("I agree"))
            self.agree.setAccessibleName(self.tr("I agree: start the camera"))
        self.decline.setText(self.tr("I decline"))
        self.decline.setAccessibleName(self.tr("I decline: no camera, staff will verify me"))
        self.back.setText(self.tr("Back"))
        self.back.setAccessibleName(self.tr("Back to the details"))
        self.finished.setText(self.tr("Done"))
        self.finished.setAccessibleName(self.tr("Done: back to the start"))
        if self._declined:
            self.notice.setText(self.tr(
                "Nothing was recorded. Staff at the counter will verify your identity another "
                "way."))

    def clear(self) -> None:
        self._guardian = self._declined = self._no_staff = False
        self.agree.setEnabled(True)
        self._notice = BUILT_IN
        self._show_state()


__all__ = ["ConsentScreen"]
