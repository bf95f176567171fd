"""Colour frames of an uploaded clip, full size, spread over its length, for face comparison.

The kiosk's checks decode the clip too (``kiosk.checks.probe_clip``), but keep only small grey
frames and the sound; comparing faces needs colour at full size, hence this second, video-only pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from kiosk.checks.probe import decode_threads

# Frames looked at for faces: enough to judge "too few usable frames" and to pick a best frame,
# few enough that a 5 s clip stays well inside the emulator's 2 s answer time.
SAMPLED_FRAMES = 10


class ClipUnreadableError(Exception):
    """The clip cannot be opened or decoded (-5001)."""


@dataclass
class ClipData:
    """What the emulator reads from a clip: sampled frames (BGR) and their times."""

    width: int
    height: int
    duration: float
    frames: list[np.ndarray]
    times: list[float]


def read_clip(path: Path, samples: int = SAMPLED_FRAMES) -> ClipData:
    """Decode ``path``; raises ClipUnreadableError when it is not a playable video."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise ClipUnreadableError("no video stream")
            stream = container.streams.video[0]
            decode_threads(stream)
            duration = _duration(container, stream)
            rate = float(stream.average_rate or 30)
            expected = stream.frames or int(duration * rate) or samples * 15
            step = max(1, expected // samples)
            frames: list[np.ndarray] = []
            times: list[float] = []
            width = height = rotation = 0
            try:
                for index, frame in enumerate(container.decode(stream)):
                    if index == 0:
                        # Phones record portrait as landscape plus a display rotation; turn the
                        # frames as the kiosk's checks do (kiosk.checks.probe).
                        rotation = int(round(getattr(frame, "rotation", 0) or 0)) % 360
                    width, height = frame.width, frame.height
                    if index % step == 0 and len(frames) < samples:
                        image: np.ndarray = frame.to_ndarray(format="bgr24")
                        if rotation:
                            image = np.ascontiguousarray(np.rot90(image, k=rotation // 90))
                        frames.append(image)
                        times.append(float(frame.time or index / rate))
                        if len(frames) == samples:
                            break  # the rest would only be decoded to be dropped
            except (av.FFmpegError, ValueError):
                # A damaged tail: keep what decoded. Whether the clip as a whole is valid is the
                # kiosk checks' verdict (-5001), made before this runs.
                pass
            if rotation in (90, 270):
                width, height = height, width
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise ClipUnreadableError(str(exc)) from exc
    if not frames:
        raise ClipUnreadableError("no decodable video frame")
    return ClipData(width, height, duration or len(frames) * step / rate, frames, times)


def _duration(container: av.container.InputContainer, stream: av.video.VideoStream) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000
    return 0.0
