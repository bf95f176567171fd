"""The window's side of crash recovery: heartbeat to the supervisor, a clean stop on SIGTERM.

Under kiosk.supervisor the window writes ``READY`` on the heartbeat pipe when it first paints
(the welcome screen is visible), then ``BEAT`` every second from a timer on the GUI thread: a GUI
thread that stops turning its event loop stops the beats, and the supervisor restarts the window.
The same timer lets Python run its signal handlers while Qt's loop waits, so SIGTERM and SIGINT
end the event loop (the flow cancels and deletes its media) instead of killing the process.
"""

from __future__ import annotations

import logging
import os
import signal
from types import FrameType
from typing import IO

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.supervisor import BEAT, ENV_HEARTBEAT_FD, READY

log = logging.getLogger("kiosk.ui")

BEAT_MS = 1000


class Lifeline(QObject):
    """Heartbeat writer and signal handler for one window; keep it as long as the app runs."""

    def __init__(self, app: QApplication, window: QWidget, fd: int | None,
                 fault_file: IO[str] | None = None) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        self.fd = fd
        self.fault_file = fault_file  # faulthandler writes here: it must stay open
        self.shown = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.beat)
        self.timer.start(BEAT_MS)
        window.installEventFilter(self)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The first paint of the window: the welcome screen is up."""
        if not self.shown and watched is self.window and event.type() == QEvent.Type.Paint:
            self.shown = True
            self.window.removeEventFilter(self)
            log.info("welcome screen shown")
            self._write(READY)
        return False

    def beat(self) -> None:
        """One heartbeat (GUI thread)."""
        self._write(BEAT)

    def _write(self, data: bytes) -> None:
        if self.fd is None:
            return
        try:
            os.write(self.fd, data)
        except BlockingIOError:
            pass  # the supervisor is behind on reading: the next beat will do
        except OSError:  # the supervisor is gone (and this process is about to be)
            self.fd = None

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("window stopping on %s", signal.Signals(signum).name)
        self.app.exit(128 + signum)  # aboutToQuit: the flow is closed, its workspace deleted


def heartbeat_fd() -> int | None:
    """The inherited heartbeat pipe (non-blocking, not passed on to our own children), or None."""
    value = os.environ.pop(ENV_HEARTBEAT_FD, "")
    if not value.isdigit():
        return None
    fd = int(value)
    try:
        os.set_blocking(fd, False)
        os.set_inheritable(fd, False)
    except OSError:
        return None
    return fd


def attach(app: QApplication, window: QWidget, fault_file: IO[str] | None = None) -> Lifeline:
    """Heartbeats (when supervised), the ready byte and the SIGTERM/SIGINT handling."""
    return Lifeline(app, window, heartbeat_fd(), fault_file)


__all__ = ["BEAT_MS", "Lifeline", "attach", "heartbeat_fd"]
