"""The one adapter between the flow's worker threads and Qt: flow events in, Qt signals out.

The flow calls :meth:`FlowBridge.__call__` from its worker thread. Emitting a signal from there
is safe; because the bridge lives on the GUI thread, Qt queues each emission and the connected
slots (methods of GUI-thread QObjects, never lambdas) run on the GUI thread. Preview ticks come
30 times a second: each picture is turned into a mirrored QImage here, on the worker (QImage is
reentrant), so the GUI thread only paints; only the newest is kept, so a busy GUI thread skips
pictures instead of building a queue of stale ones.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.flow.events import Guidance
from kiosk.ui.widgets import bgr_to_qimage


class FlowBridge(QObject):
    """Re-emits flow events as ``event`` (in order) and preview ticks as ``guidance`` (newest only).

    ``guidance`` carries the Guidance and its picture as a mirrored QImage (None without one).
    """

    event = Signal(object)  # type: ignore[assignment]  # shadows QObject.event, as named in the flow
    guidance = Signal(object, object)
    _guidance_ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._latest: tuple[Guidance, QImage | None] | None = None
        self.guidance_received = 0
        self.guidance_dropped = 0
        self._guidance_ready.connect(self._deliver_guidance)

    def __call__(self, event: Any) -> None:
        """The flow's listener: any thread, returns at once."""
        if isinstance(event, Guidance):
            image = None if event.frame is None else bgr_to_qimage(event.frame, mirror=True)
            with self._lock:
                self.guidance_received += 1
                pending = self._latest is not None
                if pending:
                    self.guidance_dropped += 1
                self._latest = (event, image)
            if not pending:
                self._guidance_ready.emit()
            return
        self.event.emit(event)

    @Slot()
    def _deliver_guidance(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None:
            self.guidance.emit(*latest)
