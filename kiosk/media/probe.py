"""What a recorded clip holds, and how far its sound is from its picture (flash vs beep).

Used by the tests and the benchmark: decode with PyAV, find each white flash in the picture and
each beep onset in the sound (the ``synthetic`` source puts both at the same instants), and pair
them; the offsets are what a viewer would see, timestamps and encoder delays included.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np

FLASH_LUMA = 230.0
BEEP_THRESHOLD = 0.2
QUIET_BEFORE_S = 0.3


@dataclass(frozen=True)
class ClipInfo:
    """Container and stream facts of a clip."""

    container: str
    video_codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    audio_codec: str
    audio_rate: int
    duration: float
    video_duration: float
    audio_duration: float
    size: int


def clip_info(path: Path) -> ClipInfo:
    """Codecs, size, rate and durations (each stream's from its decoded frames)."""
    with av.open(str(path)) as c:
        fmt = c.format.name
        v = c.streams.video[0] if c.streams.video else None
        a = c.streams.audio[0] if c.streams.audio else None
        duration = float(c.duration) / av.time_base if c.duration else 0.0
        vcodec = v.codec_context.name if v else ""
        pix = v.codec_context.pix_fmt or "" if v else ""
        w, h = (v.codec_context.width, v.codec_context.height) if v else (0, 0)
        fps = float(v.average_rate or 0) if v else 0.0
        acodec = a.codec_context.name if a else ""
        arate = a.codec_context.sample_rate if a else 0
    vd, ad = _stream_span(path, "video"), _stream_span(path, "audio")
    return ClipInfo(fmt, vcodec, pix, w, h, fps, acodec, arate, duration, vd, ad, path.stat().st_size)


def _stream_span(path: Path, kind: str) -> float:
    with av.open(str(path)) as c:
        streams = c.streams.video if kind == "video" else c.streams.audio
        if not streams:
            return 0.0
        first: float | None = None
        last = 0.0
        frame: Any
        for frame in c.decode(streams[0]):
            t = float(frame.time or 0.0)
            d = frame.samples / frame.sample_rate if kind == "audio" else 1.0 / float(streams[0].average_rate or 30)
            first = t if first is None else first
            last = t + d
        return 0.0 if first is None else float(last - first)


def flash_times(path: Path) -> list[float]:
    """Times of the frames where a white flash begins."""
    out: list[float] = []
    prev = False
    with av.open(str(path)) as c:
        for frame in c.decode(c.streams.video[0]):
            luma = frame.to_ndarray(format="gray")[::8, ::8].mean()
            bright = bool(luma > FLASH_LUMA)
            if bright and not prev:
                out.append(float(frame.time or 0.0))
            prev = bright
    return out


def audio_track(path: Path) -> tuple[np.ndarray, int, float]:
    """The sound as mono float samples, its rate and the first sample's time."""
    parts: list[np.ndarray] = []
    start: float | None = None
    rate = 0
    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        for frame in c.decode(stream):
            if start is None:
                start = float(frame.time or 0.0)
            rate = frame.sample_rate
            data = frame.to_ndarray().astype(np.float32)
            parts.append(data.mean(axis=0) if data.ndim == 2 and not frame.format.is_packed else data.reshape(-1))
    return (np.concatenate(parts) if parts else np.zeros(0, np.float32)), rate, start or 0.0


def beep_times(path: Path) -> list[float]:
    """Times where a beep begins after at least ``QUIET_BEFORE_S`` of quiet.

    The quiet must be in the track: a beep already sounding when the track starts was cut, and
    its true onset lies before the clip.
    """
    samples, rate, start = audio_track(path)
    loud = np.flatnonzero(np.abs(samples) > BEEP_THRESHOLD)
    out: list[float] = []
    last = 0
    for i in loud.tolist():
        if (i - last) / rate >= QUIET_BEFORE_S:
            out.append(start + i / rate)
        last = i
    return out


def av_offsets(path: Path, *, max_pair_s: float = 0.4) -> list[float]:
    """Beep time minus flash time for each flash with a beep near it (positive: sound late)."""
    beeps = beep_times(path)
    out: list[float] = []
    for f in flash_times(path):
        near = [b - f for b in beeps if abs(b - f) <= max_pair_s]
        if near:
            out.append(min(near, key=abs))
    return out


__all__ = ["ClipInfo", "audio_track", "av_offsets", "beep_times", "clip_info", "flash_times"]
