"""Preview ticks into Guidance events: the checker's feedback, the voice level and test, the auto-continue clock."""

from __future__ import annotations

import numpy as np

from kiosk.checks.card_frame import CardFeedback
from kiosk.checks.faces import FaceBox
from kiosk.checks.live import FrameFeedback
from kiosk.flow import messages
from kiosk.flow.events import Guidance, Hint

# The one hint the checker cannot give: it has no picture to look at. Every other hint is the
# checker's status in its own words (kiosk.checks.live.MESSAGES), so the two never disagree.
NO_CAMERA = Hint("no_camera", messages.NO_CAMERA_PICTURE.zh, messages.NO_CAMERA_PICTURE.en)


def _hints(feedback: FrameFeedback | CardFeedback) -> tuple[Hint, ...]:
    """The most urgent thing to change, as the checker says it; nothing when the face fits."""
    if feedback.ok:
        return ()
    return (Hint(feedback.status, feedback.message_zh, feedback.message_en),)


def _box(face: FaceBox | None) -> tuple[int, int, int, int] | None:
    """The face in whole frame pixels, as the GUI draws it."""
    if face is None:
        return None
    return (round(face.x), round(face.y), round(face.w), round(face.h))


def guidance(
    feedback: FrameFeedback | CardFeedback | None,
    frame: np.ndarray | None,
    level_dbfs: float,
    voice_floor_dbfs: float,
    *,
    waited: float = 0.0,
    auto_in: float | None = None,
    voice_test: str = "",
    voice_waited: float = 0.0,
    mic_fault: tuple[str, str] = ("", ""),
) -> Guidance:
    """One Guidance event from a checker's feedback (``None``: no picture yet).

    For the held-up card (CardFeedback) ``face_ok`` says the card is placed, sharp and clear.
    ``mic_fault``: what failed in the microphone (Chinese, English), for staff.
    """
    voice_ok = level_dbfs >= voice_floor_dbfs
    if feedback is None:
        return Guidance(frame=None, face_ok=False, face_box=None, hints=(NO_CAMERA,),
                        level_dbfs=level_dbfs, voice_ok=voice_ok, waited=waited, auto_in=auto_in,
                        voice_test=voice_test, voice_waited=voice_waited,
                        mic_fault_zh=mic_fault[0], mic_fault_en=mic_fault[1])
    return Guidance(
        frame=frame, face_ok=feedback.ok, face_box=_box(feedback.face), hints=_hints(feedback),
        level_dbfs=float(level_dbfs), voice_ok=voice_ok, waited=waited, auto_in=auto_in,
        voice_test=voice_test, voice_waited=voice_waited,
        mic_fault_zh=mic_fault[0], mic_fault_en=mic_fault[1],
    )


__all__ = ["NO_CAMERA", "guidance"]
