"""One card read at a time on a thread of its own, so a slow reader never freezes the screen."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.errors import KioskError
from kiosk.flow.card_reader import CardReader, CardReaderError, read_card

log = logging.getLogger("kiosk.ui")

# A reader should answer or give up within about 10 s (docs/card-reader.md); after this the
# screen says "timed out" and lets the person type, whatever the reader's thread still does.
WAIT_MS = 15_000


class CardReading(QObject):
    """Runs ``read_card(reader)`` off the GUI thread; ``finished`` carries a Card or a KioskError."""

    finished = Signal(object)  # Card | KioskError, on the GUI thread
    idle = Signal()  # a read given up on has come back: another may start
    _done = Signal(int, object)  # generation, outcome: from the reading thread

    def __init__(self, reader: CardReader, *, wait_ms: int = WAIT_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self._generation = 0
        self._in_reader = False  # set and cleared on the GUI thread only
        self._waiting = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(wait_ms)
        self._timer.timeout.connect(self._gave_up)
        self._done.connect(self._arrived)

    @property
    def busy(self) -> bool:
        """A read is under way (its thread has not returned), even one the screen gave up on."""
        return self._in_reader

    def start(self) -> bool:
        """Begin a read; False while the last one is still in the reader (one read at a time)."""
        if self.busy:
            return False
        self._generation += 1
        self._waiting = self._in_reader = True
        threading.Thread(target=self._run, args=(self._generation,), name="kiosk-card-reader",
                         daemon=True).start()
        self._timer.start()
        return True

    def forget(self) -> None:
        """Drop the read under way (the person left): its card, if it comes, is not shown."""
        self._generation += 1
        self._waiting = False
        self._timer.stop()

    def _run(self, gen: int) -> None:
        try:
            outcome: object = read_card(self.reader)
        except KioskError as exc:
            outcome = exc
        except Exception as exc:  # a bug in the plug-in's error handling: the card is never logged
            log.warning("card read failed: %s", type(exc).__name__)
            outcome = CardReaderError.failed()
        self._done.emit(gen, outcome)

    def _arrived(self, gen: int, outcome: object) -> None:
        self._in_reader = False
        if gen != self._generation or not self._waiting:
            self.idle.emit()  # a read the screen gave up on or the person left: not shown
            return
        self._waiting = False
        self._timer.stop()
        self.finished.emit(outcome)

    def _gave_up(self) -> None:
        if self._waiting:
            self._waiting = False
            self.finished.emit(CardReaderError.timed_out())
