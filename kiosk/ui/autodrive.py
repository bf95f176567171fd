"""A test hook: drive the real window into a session and hold it there, to crash it mid-way.

Only with ``KIOSK_TEST_HOLD_AT=record`` or ``=upload`` (or ``=gui``: block the GUI thread
itself, for the hang watchdog) in the environment (read by run_gui and
nowhere else), and only in the first window (not in one a supervisor restarted): once the window
is up it starts a verification for the bundled sample person in ID-card mode, presses "ready" at
the guidance step, and at the first progress report of the recording (or of the upload) logs
``test hook: holding the session at <step>`` and blocks the flow's worker there for good.
tests/integration/test_crash_recovery.py then kills the window and checks what the next start
cleans up. Without the variable nothing here runs.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, Qt, QTimer

from kiosk.flow.events import Details, Mode, RecordingProgress, Step, StepChanged, UploadProgress
from kiosk.resources import asset_path
from kiosk.supervisor import ENV_START

if TYPE_CHECKING:
    from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.ui")

ENV = "KIOSK_TEST_HOLD_AT"
HOLD_EVENTS = {"record": RecordingProgress, "upload": UploadProgress}


def install(window: MainWindow) -> bool:
    """Arm the hook on ``window`` (a MainWindow) when the variable asks for it."""
    step = os.environ.get(ENV, "")
    # The first window only: the one a supervisor starts after the crash must come up clean.
    if os.environ.get(ENV_START, "1") != "1":
        return False
    if step == "gui":  # a GUI thread stuck in Python: the supervisor's hang watchdog must fire
        QTimer.singleShot(1500, _block_gui_thread)
        return True
    if step not in HOLD_EVENTS:
        return False
    hold_on = HOLD_EVENTS[step]
    person = json.loads(asset_path("people.json").read_text(encoding="utf-8"))["people"][0]
    held = threading.Event()

    def on_event(event: object) -> None:  # the flow's worker thread (direct connection)
        if isinstance(event, StepChanged) and event.step is Step.GUIDE:
            QMetaObject.invokeMethod(window, "person_ready", Qt.ConnectionType.QueuedConnection)
        if isinstance(event, hold_on) and not held.is_set():
            held.set()
            log.warning("test hook: holding the session at %s", step)
            threading.Event().wait()  # until the process is killed

    window.bridge.event.connect(on_event, Qt.ConnectionType.DirectConnection)
    details = Details(Mode.IDCARD, id_number=person["id_number"], name=person["name"])
    QTimer.singleShot(300, lambda: window.start(details))
    log.warning("test hook: a session will start and be held at %s", step)
    return True


def _block_gui_thread() -> None:
    log.warning("test hook: blocking the GUI thread")
    threading.Event().wait()


__all__ = ["ENV", "install"]
