"""Between recording and result: the local checks explained, and the busy/upload progress."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QVBoxLayout

from kiosk.checks.findings import Finding
from kiosk.texts import pick
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import button, label


class ChecksScreen(Screen):
    """What the local checks found before anything was sent, and 'try again'."""

    retry = Signal()
    cancelled = Signal()

    def __init__(self, lang: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self._lang = lang
        self._findings: list[Finding] = []
        self.title = label(role="title")
        self.intro = label()
        self.list_box = QFrame()
        self.list_box.setProperty("role", "warning")
        self.items = label()
        self.items.setObjectName("findings")
        self.items.setTextFormat(Qt.TextFormat.PlainText)
        lb = QVBoxLayout(self.list_box)
        lb.setContentsMargins(24, 24, 24, 24)
        lb.addWidget(self.items)
        self.note = label(role="muted")
        self.cancel = button("", name="cancel")
        self.again = button("", "primary", name="retry")
        self.cancel.clicked.connect(self.cancelled)
        self.again.clicked.connect(self.retry)
        actions = QHBoxLayout()
        actions.addWidget(self.cancel)
        actions.addStretch()
        actions.addWidget(self.again)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 32, 48, 32)
        box.addWidget(self.title)
        box.addWidget(self.intro)
        box.addSpacing(16)
        box.addWidget(self.list_box)
        box.addWidget(self.note)
        box.addStretch()
        box.addLayout(actions)
        self.retranslate()

    def show_findings(self, findings: Sequence[Finding]) -> None:
        """Each finding as one line: what was seen and what to do."""
        self._findings = list(findings)
        self.retranslate()
        self.again.setFocus()

    def retranslate(self) -> None:
        lang = self._lang()
        self.title.setText(self.tr("The recording cannot be used yet"))
        self.intro.setText(self.tr("Nothing was sent. The local check found:"))
        self.items.setText("\n".join(
            "• " + pick(lang, f.message_zh, f.message_en) for f in self._findings))
        self.note.setText(self.tr("The recording has been deleted."))
        self.cancel.setText(self.tr("Cancel"))
        self.again.setText(self.tr("Try again"))

    def clear(self) -> None:
        self._findings = []
        self.items.setText("")


# An upload expected to take longer than this shows the time left (issue 20: field agents' links).
TIME_LEFT_FROM_S = 3.0
# The rate is judged only after this long: the first reports come in a burst.
RATE_AFTER_S = 1.0


class BusyScreen(Screen):
    """Getting the code, checking the clip, uploading (with progress), waiting for the answer."""

    cancelled = Signal()

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.clock = clock
        self._step = "upload"
        self._sent = 0
        self._total = 0
        self._began: tuple[float, int] | None = None  # when the upload's progress began, and at what
        self._left: int | None = None  # seconds left, shown for a long upload
        self.title = label(role="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = label(role="muted")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setObjectName("upload")
        self.bar.setRange(0, 0)
        self.cancel = button("", name="cancel")
        self.cancel.clicked.connect(self.cancelled)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.cancel)
        row.addStretch()
        box = QVBoxLayout(self)
        box.setContentsMargins(96, 32, 96, 32)
        box.addStretch()
        box.addWidget(self.title)
        box.addSpacing(24)
        box.addWidget(self.bar)
        box.addWidget(self.detail)
        box.addStretch()
        box.addLayout(row)
        self.retranslate()

    def show_step(self, step: str) -> None:
        """'code', 'check', 'upload' or 'wait': the title and an open-ended bar until bytes move."""
        self._step = step
        self._sent = self._total = 0
        self._began, self._left = None, None
        self.bar.setRange(0, 0)
        self.retranslate()

    def show_upload(self, sent: int, total: int) -> None:
        """Bytes sent of the total; for a long upload, the time left at the rate so far."""
        self._step = "upload"
        self._sent, self._total = sent, total
        self._left = self._time_left(sent, total)
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(sent, total) / total))
            if sent >= total:
                self._step = "wait"
        self.retranslate()

    def _time_left(self, sent: int, total: int) -> int | None:
        now = self.clock()
        if self._began is None or sent < self._began[1]:  # a new upload (or a retry from 0)
            self._began = (now, sent)
        elapsed, moved = now - self._began[0], sent - self._began[1]
        if elapsed < RATE_AFTER_S or moved <= 0 or sent >= total:
            return None
        left = (total - sent) * elapsed / moved
        return math.ceil(left) if elapsed + left > TIME_LEFT_FROM_S else None

    def retranslate(self) -> None:
        titles = {
            "code": self.tr("Getting your code…"),
            "check": self.tr("Checking the recording…"),
            "upload": self.tr("Sending…"),
            "wait": self.tr("Waiting for the result…"),
            "photo": self.tr("Comparing the photo…"),
        }
        self.title.setText(titles.get(self._step, ""))
        if self._total > 0:
            text = (self.tr("%1 of %2 KB sent").replace("%1", str(self._sent // 1024))
                    .replace("%2", str(self._total // 1024)))
            if self._left is not None and self._step == "upload":
                text += " · " + self.tr("about %1 s left").replace("%1", str(self._left))
            self.detail.setText(text)
        else:
            self.detail.setText("")
        self.cancel.setText(self.tr("Cancel"))
