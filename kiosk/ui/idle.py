"""The idle timeout: after a quiet spell, warn (>= 20 s to extend), then return to the welcome screen."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.widgets import button, label

# WCAG 2.2 SC 2.2.1: at least 20 s to extend with one simple action.
WARN_MS = 30_000
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
    QEvent.Type.Wheel, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Counts quiet time while armed; emits ``warn`` and then ``expired``."""

    warn = Signal()
    tick = Signal(int)  # whole seconds left in the warning
    expired = Signal()

    def __init__(self, idle_ms: int, warn_ms: int = WARN_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_ms = idle_ms
        self.warn_ms = warn_ms
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._start_warning)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._expire)
        self._ticker = QTimer(self)
        self._ticker.setInterval(min(1000, max(50, warn_ms // 4)))
        self._ticker.timeout.connect(self._tick)
        self._since = QElapsedTimer()
        self._armed = False

    def arm(self, armed: bool) -> None:
        """Count only while someone's data is on screen (not on the welcome screen)."""
        self._armed = armed
        self.extend()

    def warning(self) -> bool:
        """Whether the warning is showing."""
        return self._deadline.isActive()

    def extend(self) -> None:
        """The person is there: stop any warning and count quiet time from now."""
        was_warning = self.warning()
        self._deadline.stop()
        self._ticker.stop()
        self._quiet.stop()
        if self._armed:
            self._quiet.start(self.idle_ms)
        if was_warning:
            self.tick.emit(-1)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # While the warning shows, only its own button extends: a stray touch elsewhere should
        # not silently keep a walked-away person's data on screen.
        if event.type() in _INPUT_EVENTS and self._armed and not self.warning():
            self._quiet.start(self.idle_ms)
        return False

    def _start_warning(self) -> None:
        self._since.start()
        self._deadline.start(self.warn_ms)
        self._ticker.start()
        self.warn.emit()
        self._tick()

    def _tick(self) -> None:
        left = max(0, self.warn_ms - self._since.elapsed())
        self.tick.emit(int((left + 999) // 1000))

    def _expire(self) -> None:
        self._ticker.stop()
        self.expired.emit()


class IdleWarning(QFrame):
    """Covers the screen: 'still there?', the seconds left, one button to continue."""

    extend_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idle-warning")
        self.setStyleSheet("#idle-warning { background: rgba(0, 0, 0, 150); }")
        self._left = 0
        card = QFrame(self)
        card.setProperty("role", "warning")
        self.title = label(role="title")
        self.text = label()
        self.text.setObjectName("idle-text")
        self.go_on = button("", "primary", name="extend")
        self.go_on.clicked.connect(self.extend_requested)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 32, 32, 32)
        inner.addWidget(self.title)
        inner.addWidget(self.text)
        inner.addWidget(self.go_on)
        # Centred by stretches, not by alignment: an aligned item's height is worked out for the
        # whole width, so the wrapped line would be cut off in the narrower card.
        middle = QHBoxLayout()
        middle.addStretch()
        middle.addWidget(card)
        middle.addStretch()
        outer = QVBoxLayout(self)
        outer.addStretch()
        outer.addLayout(middle)
        outer.addStretch()
        card.setMaximumWidth(720)
        self.hide()
        self.retranslate()

    def show_left(self, seconds: int) -> None:
        """Show the warning with the seconds left (a negative number hides it)."""
        if seconds < 0:
            self.hide()
            return
        self._left = seconds
        self.retranslate()
        parent = self.parentWidget()
        if not self.isVisible():
            if parent is not None:  # it covers the window it belongs to
                self.setGeometry(parent.rect())
            self.raise_()
            self.show()
            self.go_on.setFocus()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.title.setText(self.tr("Are you still there?"))
        self.text.setText(self.tr(
            "For your privacy, everything you entered will be cleared in %n second(s).", "",
            self._left))
        self.go_on.setText(self.tr("Continue"))
