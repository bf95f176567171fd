"""The start-up screen: what the window's process shows before it imports the rest of the GUI.

Importing the window, the flow, the checks and the media stack takes ~0.45 s and building every
screen ~0.3 s more (docs/packaging.md); a kiosk started at login or restarted after a crash
showed the bare desktop meanwhile. This screen needs only Qt and the kiosk's style, so it is
painted ~0.15 s after the process starts; in kiosk mode it covers the whole screen at once. The
main window closes it when it shows (``dismiss``).
"""

from __future__ import annotations

from typing import Any

from kiosk.ui import messages

OBJECT_NAME = "startup"
TEXT = f"{messages.STARTING.zh}\n{messages.STARTING.en}"
ACCESSIBLE_NAME = f"{messages.STARTING_NAME.zh} {messages.STARTING_NAME.en}"

_screen: Any = None  # the shown screen (a QLabel), until dismissed


def show(*, fullscreen: bool) -> bool:
    """Show the start-up screen, painted before this returns; False when there is no display or
    it does not answer: then nothing is opened, and ``kiosk gui`` goes on as without this screen
    (its settings are checked first, and a missing display is said in its own words)."""
    global _screen
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from kiosk.errors import ConfigError
    from kiosk.ui.app import check_display, check_display_answers, make_app

    try:  # the window's own checks: Qt would abort the process before they could say why
        check_display()
        check_display_answers()
    except ConfigError:
        return False
    app = make_app()
    screen = QLabel(TEXT)
    screen.setObjectName(OBJECT_NAME)
    screen.setProperty("role", "title")
    screen.setAlignment(Qt.AlignmentFlag.AlignCenter)
    screen.setAccessibleName(ACCESSIBLE_NAME)
    screen.setWindowTitle("Face verification kiosk")
    if fullscreen:
        show_full_screen(screen)
    else:
        screen.resize(1366, 768)  # where the main window will be
        screen.show()
    # Painted now, not at the event loop's first turn, which is ~0.6 s away: the window is
    # mapped (its expose event handled), then drawn.
    app.processEvents()
    screen.repaint()
    _screen = screen
    return True


def show_full_screen(window: Any) -> None:
    """Show ``window`` frameless, on top and over the whole screen: kiosk mode's windows.

    The geometry is set too: a kiosk's bare X server, with no window manager, does not act on
    "full screen" (measured: the main window stayed at 1180x678 on a 1366x768 Xvfb).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    where = QGuiApplication.primaryScreen()
    if where is not None:
        window.setGeometry(where.geometry())
    window.showFullScreen()


def dismiss() -> None:
    """Close the start-up screen, if one is shown (the main window is up)."""
    global _screen
    screen, _screen = _screen, None
    if screen is not None:
        screen.close()
        screen.deleteLater()


def window_process(*, no_supervisor: bool, child: bool, can_supervise: bool) -> bool:
    """Whether ``kiosk gui`` shows the window in this process: as the supervisor's child, with
    ``--no-supervisor``, or where no supervisor runs (kiosk.cli.gui.run decides the same way)."""
    return child or no_supervisor or not can_supervise


__all__ = ["dismiss", "show", "show_full_screen", "window_process"]
