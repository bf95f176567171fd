"""Today's sessions for the operator (behind the PIN): time, outcome, code, masked ID, reference.

Read from the audit log, which holds no name and only masked ID numbers; the reference is the
start of each run's seq, the same one the customer's result screen showed. "Export" writes the
whole log as CSV where the operator chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kiosk.config.audit import AuditRecord
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import button, label

COLUMNS = 7


class SessionsScreen(Screen):
    """A table of today's audit rows, newest first; back and export."""

    closed = Signal()
    export_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[AuditRecord] = []
        self.title = label(role="title")
        self.summary = label(role="muted")
        self.summary.setObjectName("sessions-summary")
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("sessions")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # Each column as wide as its longest cell (nothing shown as "…"); the last takes the rest.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = label()
        self.message.setObjectName("sessions-message")
        self.back = button("", name="sessions-back")
        self.export = button("", "primary", name="sessions-export")
        self.back.clicked.connect(self.closed)
        self.export.clicked.connect(self.export_requested)
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch()
        row.addWidget(self.export)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 16, 48, 16)
        box.addWidget(self.title)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        box.addWidget(self.message)
        box.addLayout(row)
        self.retranslate()

    def load(self, rows: Sequence[AuditRecord], *, now: Callable[[], datetime] = datetime.now) -> None:
        """Show the rows of today (local time), newest first."""
        today = now().astimezone().date()
        self._rows = [r for r in rows if (when := _local(r.time)) is not None
                      and when.date() == today]
        self._rows.sort(key=lambda r: (r.time, r.id or 0), reverse=True)
        self.message.setText("")
        self.retranslate()
        self.back.setFocus()

    def rows(self) -> list[AuditRecord]:
        """The rows shown."""
        return list(self._rows)

    def show_message(self, text: str) -> None:
        """Exported (where), or why not."""
        self.message.setText(text)

    def _fill(self) -> None:
        self.table.setRowCount(len(self._rows))
        for i, r in enumerate(self._rows):
            when = _local(r.time)
            cells = (when.strftime("%H:%M:%S") if when else r.time, self._mode(r.mode),
                     self._outcome(r.outcome), "" if r.code is None else str(r.code),
                     r.id_masked or "-", r.seq[:8] or "-", self._consent(r.consent))
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def _outcome(self, outcome: str) -> str:
        return {
            "pass": self.tr("verified"), "fail": self.tr("not verified"),
            "refused": self.tr("not verified (refused)"), "blocked": self.tr("not sent (local check)"),
            "error": self.tr("could not check"), "cancelled": self.tr("cancelled"),
            "declined": self.tr("consent declined"), "limited": self.tr("attempt limit"),
        }.get(outcome, outcome)

    def _mode(self, mode: str) -> str:
        return {"photo": self.tr("photo"), "card": self.tr("card"),
                "idcard": self.tr("video"), "live": self.tr("liveness")}.get(mode, mode)

    def _consent(self, consent: str) -> str:
        return {"yes": self.tr("yes"), "guardian": self.tr("guardian"), "no": self.tr("no")}.get(
            consent, "-")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Today's sessions"))
        verified = sum(r.outcome == "pass" for r in self._rows)
        self.summary.setText(self.tr("%1 sessions today, %2 verified")
                             .replace("%1", str(len(self._rows))).replace("%2", str(verified)))
        self.table.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Mode"), self.tr("Outcome"), self.tr("Code"),
            self.tr("ID number (masked)"), self.tr("Reference"), self.tr("Consent")])
        self.table.setAccessibleName(self.tr("Today's sessions"))
        self.back.setText(self.tr("Back"))
        self.back.setAccessibleName(self.tr("Back to the operator settings"))
        self.export.setText(self.tr("Export CSV"))
        self.export.setAccessibleName(self.tr("Export the audit log as a CSV file"))
        self._fill()

    def clear(self) -> None:
        self._rows = []
        self.message.setText("")
        self.table.setRowCount(0)


def _local(iso: str) -> datetime | None:
    """An audit row's UTC time in local time (None when it is not a time)."""
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone()


__all__ = ["SessionsScreen"]
