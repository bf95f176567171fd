"""The person's screens and the operator's, one widget each, shown in one QStackedWidget."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget


class Screen(QWidget):
    """A page of the stack: redraws its texts when the language changes."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def clear(self) -> None:
        """Forget everything of the last person."""
