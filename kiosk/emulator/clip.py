"""Decoding an uploaded clip once: a few frames spread over its length, and its voice as PCM."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

# Frames looked at for faces: enough to judge "too few usable frames" and to pick a best frame,
# few enough that a 5 s clip stays well inside the emulator's 2 s answer time.
SAMPLED_FRAMES = 10
VAD_RATE = 16_000


class ClipUnreadableError(Exception):
    """The clip cannot be opened or decoded (-5001)."""


@dataclass
class ClipData:
    """What the emulator reads from a clip: sampled frames (BGR), their times, the audio."""

    width: int
    height: int
    duration: float
    frames: list[np.ndarray]
    times: list[float]
    audio: np.ndarray | None  # int16 mono at VAD_RATE; None when the clip has no audio stream


def read_clip(path: Path, samples: int = SAMPLED_FRAMES) -> ClipData:
    """Decode ``path``; raises ClipUnreadableError when it is not a playable video."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise ClipUnreadableError("no video stream")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            duration = _duration(container, stream)
            rate = float(stream.average_rate or 30)
            expected = stream.frames or int(duration * rate) or samples * 15
            step = max(1, expected // samples)
            frames: list[np.ndarray] = []
            times: list[float] = []
            width = height = rotation = 0
            for index, frame in enumerate(container.decode(stream)):
                if index == 0:
                    # Phones record portrait as landscape plus a display rotation; turn the
                    # frames as the kiosk's checks do (kiosk.checks.probe).
                    rotation = int(round(getattr(frame, "rotation", 0) or 0)) % 360
                width, height = frame.width, frame.height
                if index % step == 0 and len(frames) < samples:
                    image = frame.to_ndarray(format="bgr24")
                    if rotation:
                        image = np.ascontiguousarray(np.rot90(image, k=rotation // 90))
                    frames.append(image)
                    times.append(float(frame.time or index / rate))
            if rotation in (90, 270):
                width, height = height, width
            if not frames:
                raise ClipUnreadableError("no decodable video frame")
        audio = _read_audio(path)
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise ClipUnreadableError(str(exc)) from exc
    return ClipData(width, height, duration or len(frames) * step / rate, frames, times, audio)


def _duration(container: av.container.InputContainer, stream: av.video.VideoStream) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000
    return 0.0


def _read_audio(path: Path) -> np.ndarray | None:
    """The first audio stream as 16 kHz mono int16, the format WebRTC VAD reads."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        resampler = av.AudioResampler(format="s16", layout="mono", rate=VAD_RATE)
        chunks: list[np.ndarray] = []
        for frame in container.decode(container.streams.audio[0]):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    if not chunks:
        return np.zeros(0, dtype=np.int16)
    return np.concatenate(chunks).astype(np.int16, copy=False)
