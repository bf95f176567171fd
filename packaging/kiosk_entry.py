"""The bundle's entry point: the same ``main`` as the ``kiosk`` console script.

One measuring aid, for tests/benchmarks/bench_bundle.py and the packaging test: with
``KIOSK_EXIT_AFTER_FIRST_WINDOW=1`` in the environment, the GUI prints ``first window painted``
on stderr as soon as its first top-level window has painted (the start-up screen,
kiosk.ui.startup), ``main window painted`` when a window other than that screen has, and then
quits normally. Without the variable nothing here touches Qt, and neither does ``kiosk gui``'s
supervisor with it (the probe goes where the window runs: importing Qt there cost the
supervisor 70 ms before it started the window, which the figure counted).
"""

from __future__ import annotations

import multiprocessing
import os
import sys

PROBE_VARIABLE = "KIOSK_EXIT_AFTER_FIRST_WINDOW"
# kiosk.supervisor starts the window's child process through this file too (from source; a
# bundle starts its own executable), so the child has the same entry, probe included.
KIOSK_ENTRY = True
PROBE_LINE = "first window painted"
MAIN_LINE = "main window painted"
STARTUP_SCREEN = "startup"  # kiosk.ui.startup.OBJECT_NAME (not imported: it would load kiosk)


def _quit_after_first_window() -> None:
    """Report the first painted window and the main one, then quit (a measuring aid).

    The watch goes on the application as soon as it exists, which is before the start-up
    screen paints (kiosk.ui.startup paints it before the event loop runs): QApplication is
    replaced by a subclass that installs it, and an application made already gets it now.
    """
    from PySide6 import QtWidgets
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    class FirstPaint(QObject):
        """Watches every event until a main window paints; then asks the app to quit."""

        first_seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                    and watched.isWindow()):
                if not self.first_seen:
                    self.first_seen = True
                    _say(PROBE_LINE)
                if watched.objectName() != STARTUP_SCREEN:
                    app = QApplication.instance()
                    if app is not None:
                        app.removeEventFilter(self)
                        _say(MAIN_LINE)
                        # After this paint returns, in the event loop: quitting inside the
                        # filter would cut the paint short.
                        QTimer.singleShot(0, app.quit)
            return False

    class ProbedApplication(QApplication):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)
            self.installEventFilter(FirstPaint(self))

    existing = QApplication.instance()
    if existing is not None:
        existing.installEventFilter(FirstPaint(existing))
    QtWidgets.QApplication = ProbedApplication  # type: ignore[misc,assignment]


def _say(line: str) -> None:
    sys.stderr.write(f"{line}\n")
    sys.stderr.flush()


def _only_supervises(args: list[str]) -> bool:
    """Whether this process is ``kiosk gui``'s supervisor, which starts the window in a child
    (kiosk.cli.gui.run decides the same way) and never shows one itself."""
    from kiosk import supervisor

    return (args[:1] == ["gui"] and "--no-supervisor" not in args and supervisor.supported()
            and supervisor.supervisor_pid() is None)


if __name__ == "__main__":
    # A frozen program that starts worker processes must call this first: the GUI's demo
    # emulator runs in a 'spawn' child, which is this executable started again.
    multiprocessing.freeze_support()
    if os.environ.get(PROBE_VARIABLE) == "1" and not _only_supervises(sys.argv[1:]):
        _quit_after_first_window()

    from kiosk.cli import main

    raise SystemExit(main())
