"""The doctor's camera check: one picture from the configured camera, and whether it is usable.

Listing the devices (``doctor.check_devices``) says a camera is there; only opening it says it
gives pictures (another program may hold it, a lens cover may be on). The source is the very one a
verification opens (``kiosk.media.open_video`` with the setting's spec). The microphone's level is
``doctor.check_mic_level``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from kiosk.config import messages
from kiosk.config.doctor import CAMERA_FRAME, FAIL, OK, WARN, Check
from kiosk.config.store import Settings
from kiosk.errors import KioskError

if TYPE_CHECKING:  # kiosk.media loads OpenCV and PortAudio: imported when a check runs
    from kiosk.media import VideoSource

FRAME_TIMEOUT_S = 5.0
DARK_LUMA = 0.25 * 255  # as kiosk.checks.thresholds.DARK_MEAN: the live checks would say "too dark"


def _open_video(spec: str) -> VideoSource:
    from kiosk.media import open_video

    return open_video(spec)


def check_camera_frame(settings: Settings, open_video: Callable[[str], Any] = _open_video,
                       timeout: float = FRAME_TIMEOUT_S) -> Check:
    """One picture from the configured camera, and whether it is bright enough to see a face."""
    spec = str(settings.get("camera"))
    source = None
    try:
        source = open_video(spec)
        source.start()
        frame = source.read(timeout)
    except KioskError as exc:
        return Check(CAMERA_FRAME, FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
    finally:
        if source is not None:
            source.stop()
    if frame is None:
        return Check.of(CAMERA_FRAME, FAIL, messages.CAMERA_NO_FRAME(camera=spec, seconds=timeout))
    image = frame.image
    luma = float(np.mean(image))
    seen = dict(camera=spec, width=image.shape[1], height=image.shape[0], luma=luma)
    if luma < DARK_LUMA:
        return Check.of(CAMERA_FRAME, WARN, messages.CAMERA_DARK(**seen))
    return Check.of(CAMERA_FRAME, OK, messages.CAMERA_FRAME(**seen))
