"""The camera's pictures as Guidance events, at the preview's pace, on the flow's worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from kiosk.errors import KioskError
from kiosk.flow.events import Guidance
from kiosk.flow.guide import guidance
from kiosk.flow.ports import CapturePort, ChecksPort
from kiosk.flow.settings import FlowSettings
from kiosk.flow.voice import VoiceTest
from kiosk.media.errors import MicrophoneLost

if TYPE_CHECKING:
    from kiosk.media.types import VideoFrame


SILENT_DBFS = -100.0  # the level a failed microphone shows (kiosk.media.Capture's silence)


class Preview:
    """Pictures of the capture as Guidance: at most ``preview_fps`` a second, none twice.

    The face check runs on at most ``analysis_fps`` of them; the pictures between reuse its last
    feedback. Before the first picture, "no picture yet" goes out at the preview's pace. The voice
    test (``voice``, begun by the run in GUIDE) is judged at its own few a second.

    A microphone that fails while the counter's GUIDE step listens for a voice does not end the run
    there: the voice test turns "failed" and the Guidance names the microphone (``mic_fault``), so
    the guide panel tells the person to wait and staff what failed, the camera going on. The run
    ends with that failure ("could not check") once the GUIDE step does. Any other failure, and
    the microphone's outside that step or in a headless run, is raised at once.
    """

    def __init__(self, settings: FlowSettings, checks: ChecksPort,
                 emit: Callable[[Any], None], clock: Callable[[], float]) -> None:
        self.settings, self.checks, self.emit, self.clock = settings, checks, emit, clock
        self.capture: CapturePort | None = None
        self.guide_start: float | None = None  # in GUIDE: Guidance says how long it waited
        self.face_ok = False  # the last face check's verdict
        # What the pictures are checked for: the face, or the ID card held up (card by camera).
        self.kind: Literal["face", "card"] = "face"
        # The card step's newest analysed picture and its feedback, with the time (None: none yet).
        self.card: tuple[float, np.ndarray, Any] | None = None
        self.voice = VoiceTest()
        self.mic_fault: KioskError | None = None  # the microphone's failure, shown in GUIDE
        self._frame: VideoFrame | None = None  # the newest picture handled
        self._next_at = float("-inf")  # the next slot on the preview's grid
        self._blank_at = float("-inf")  # when "no picture yet" is due again
        self._feedback: Any = None
        self._analysed_at = float("-inf")

    def attach(self, capture: CapturePort | None) -> None:
        """Show this capture's pictures from now on (None: none)."""
        self.capture, self._frame, self._blank_at = capture, None, float("-inf")
        self.mic_fault = None

    def check_for(self, kind: Literal["face", "card"]) -> None:
        """Check the pictures from now on for a face or for the held-up card."""
        self.kind, self._feedback, self.card = kind, None, None

    def due(self) -> float | None:
        """When the worker must wake without news: the next "no picture yet" (None: never)."""
        return self._blank_at if self._frame is None else None

    def update(self) -> None:
        """On every wake-up: raise the capture's failure (or show the microphone's, see the class),
        pass its newest picture on if new, or say there is none yet when that is due."""
        assert self.capture is not None
        error = self.capture.error
        if error is not None and not self._shows(error):  # a reader lost the camera or microphone
            raise error
        frame = self.capture.latest_frame()
        if frame is not None and frame is not self._frame:
            self._frame = frame
            self._show(frame)
        elif self._frame is None and self.clock() >= self._blank_at:
            now = self.clock()
            self._blank_at = now + self.interval()
            self.emit(self._guidance(None, None, now))

    def _shows(self, error: KioskError) -> bool:
        """Whether ``error`` is shown on the guide panel rather than raised (see the class)."""
        if not (isinstance(error, MicrophoneLost) and self.guide_start is not None
                and self.voice.state and not self.settings.guidance.auto_continue):
            return False
        if self.mic_fault is not error:
            self.mic_fault = error
            self.voice.fail()
        return True

    def _show(self, frame: VideoFrame) -> None:
        now = self.clock()
        if not self._paced(now):
            return
        if self._feedback is None or now - self._analysed_at >= 1.0 / max(
                0.1, self.settings.analysis_fps):
            if self.kind == "card":
                self._feedback = self.checks.card_frame(frame.image)
                self.card = (now, frame.image, self._feedback)
            else:
                self._feedback = self.checks.frame(frame.image)
            self._analysed_at = now
        g = self._guidance(self._feedback, frame.image, now)
        self.face_ok = g.face_ok
        self.emit(g)

    def _paced(self, now: float) -> bool:
        """Whether a picture arriving ``now`` goes out: slots on a grid of the preview interval.

        A camera faster than the preview is thinned to it; one at the preview's rate keeps every
        picture, though each arrives a little early or late (the slack).
        """
        interval = self.interval()
        slack = 0.3 * interval
        if now < self._next_at - slack:
            return False
        self._next_at = max(self._next_at + interval, now - slack)
        return True

    def _guidance(self, feedback: Any, image: Any, now: float) -> Guidance:
        assert self.capture is not None
        waited, auto_in, voice = 0.0, None, ""
        if self.guide_start is not None:
            policy = self.settings.guidance
            waited = now - self.guide_start
            auto_in = max(0.0, policy.max_wait - waited) if policy.auto_continue else None
            self.voice.update(self.capture, now)
            voice = self.voice.state
        fault = self.mic_fault
        return guidance(feedback, image, SILENT_DBFS if fault else self.capture.level_dbfs(),
                        self.settings.voice_floor_dbfs, waited=waited, auto_in=auto_in,
                        voice_test=voice, voice_waited=self.voice.waited(now) if voice else 0.0,
                        mic_fault=(fault.zh, fault.en) if fault else ("", ""))

    def interval(self) -> float:
        """Seconds between two preview pictures at most ``preview_fps``."""
        return 1.0 / max(1.0, self.settings.preview_fps)


__all__ = ["Preview"]
