"""The doctor's capture checks: one picture from the camera and one second of microphone level.

Listing the devices (``doctor.check_devices``) says a camera is there; only opening it says it
gives pictures (another program may hold it, a lens cover may be on). The sources are the very
ones a verification opens (``kiosk.media.open_video``/``open_audio`` with the settings' specs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from kiosk.config import messages
from kiosk.config.doctor import FAIL, OK, WARN, Check
from kiosk.config.store import Settings
from kiosk.errors import KioskError

if TYPE_CHECKING:  # kiosk.media loads OpenCV and PortAudio: imported when a check runs
    from kiosk.media import AudioSource, VideoSource

CAMERA_FRAME, MIC_LEVEL = "camera frame", "microphone level"
FRAME_TIMEOUT_S = 5.0
LISTEN_S = 1.0
SILENT_DBFS = -90.0  # digital silence (a muted input) sits at the floor; room noise is above -80
DARK_LUMA = 0.25 * 255  # as kiosk.checks.thresholds.DARK_MEAN: the live checks would say "too dark"


def _open_video(spec: str) -> VideoSource:
    from kiosk.media import open_video

    return open_video(spec)


def _open_audio(spec: str) -> AudioSource:
    from kiosk.media import open_audio

    return open_audio(spec)


def mic_spec(settings: Settings) -> str:
    """The microphone a verification records from (a file: camera brings its own sound)."""
    from kiosk.media import resolve_sources

    return resolve_sources(str(settings.get("camera")), None,
                           fallback_mic=str(settings.get("mic") or "")).mic


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


def check_mic_level(settings: Settings, open_audio: Callable[[str], Any] = _open_audio,
                    seconds: float = LISTEN_S, clock: Callable[[], float] = time.monotonic) -> Check:
    """About a second of sound from the configured microphone: its level, and not silence."""
    from kiosk.checks.audio import peak_dbfs, voice_level_dbfs

    spec = mic_spec(settings)
    source = None
    blocks: list[np.ndarray] = []
    rate = 16000
    try:
        source = open_audio(spec)
        source.start()
        rate = int(source.rate)
        deadline = clock() + seconds + FRAME_TIMEOUT_S
        while sum(len(b) for b in blocks) < seconds * rate and clock() < deadline:
            block = source.read(FRAME_TIMEOUT_S)
            if block is None:  # a file's sound track ended
                break
            blocks.append(np.asarray(block.samples, dtype=np.float32).reshape(-1))
    except KioskError as exc:
        return Check(MIC_LEVEL, FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
    finally:
        if source is not None:
            source.stop()
    if not blocks:
        return Check.of(MIC_LEVEL, FAIL, messages.MIC_NO_SOUND(mic=spec, seconds=seconds))
    samples = np.concatenate(blocks)
    level, peak = voice_level_dbfs(samples), peak_dbfs(samples)
    if peak <= SILENT_DBFS:
        return Check.of(MIC_LEVEL, WARN, messages.MIC_SILENT(mic=spec, seconds=len(samples) / rate))
    return Check.of(MIC_LEVEL, OK, messages.MIC_LEVEL(mic=spec, level=level, peak=peak))

