"""One verification as a state machine, no Qt: commands in, events out (see ``events``)."""

from kiosk.flow.events import (
    ChecksDone,
    CodeReceived,
    Controller,
    Countdown,
    Details,
    Event,
    Finished,
    Guidance,
    Hint,
    Listener,
    Mode,
    Outcome,
    RecordingProgress,
    Result,
    Step,
    StepChanged,
    UploadProgress,
)
from kiosk.flow.machine import Flow
from kiosk.flow.settings import FlowSettings, GuidancePolicy

__all__ = [
    "ChecksDone", "CodeReceived", "Controller", "Countdown", "Details", "Event", "Finished",
    "Flow", "FlowSettings", "Guidance", "GuidancePolicy", "Hint", "Listener", "Mode", "Outcome",
    "RecordingProgress", "Result", "Step", "StepChanged", "UploadProgress",
]
