"""Decode a clip once with PyAV: its geometry, its sound at 16 kHz and a few grey frames.

``probe_clip`` is the single place the checks (and the emulator's media analysis) open a video;
everything else measures the :class:`ClipInfo` it returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import av
import cv2
import numpy as np

from kiosk import inputs
from kiosk.checks import messages
from kiosk.checks import thresholds as lim
from kiosk.checks.audio import VAD_RATE

log = logging.getLogger("kiosk.checks")

# Decoding threads per clip; 0 lets FFmpeg choose (frame threads, one per core). A process that
# already runs one job per core (the emulator's face workers) sets 1: there frame threads only
# add their hand-over cost (the sample clip's full decode: 108 CPU ms threaded, 64 ms on one).
_decode_threads = 0


def set_decode_threads(count: int) -> None:
    """Decode every clip of this process on ``count`` threads (0: FFmpeg's choice)."""
    global _decode_threads
    _decode_threads = max(0, count)


def decode_threads(stream: av.video.VideoStream) -> None:
    """Apply this process's decoding threads to a video stream about to be decoded."""
    stream.thread_type = "AUTO"  # frame threads: decoding is most of a clip check's time
    if _decode_threads:
        stream.codec_context.thread_count = _decode_threads


class ClipDecodeError(Exception):
    """The file is not a video the checks can read (predicts -5001); ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ClipInfo:
    """What one decoding pass learned about a clip."""

    path: Path
    size_bytes: int
    container: str  # PyAV's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    width: int  # as displayed (rotation applied)
    height: int
    declared_seconds: float | None  # from the container or stream header
    video_codec: str
    fps: float | None
    frames_decoded: int = 0
    decoded_seconds: float = 0.0  # end time of the last decoded video frame
    decode_error: str | None = None  # why decoding stopped early, if it did
    has_audio: bool = False
    audio_codec: str | None = None
    audio_rate: int | None = None  # the track's own rate
    audio16k: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    frames: list[np.ndarray] = field(default_factory=list)  # grey, ``frame_width`` px wide
    frame_times: list[float] = field(default_factory=list)
    # Denser, larger grey frames for the liveness measures (kiosk.checks.liveness): about
    # LIVENESS_FPS a second, at most LIVENESS_FRAME_WIDTH px wide.
    motion_frames: list[np.ndarray] = field(default_factory=list)
    motion_times: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """The clip's length: the header's, else what was decoded."""
        return self.declared_seconds or self.decoded_seconds


def _declared_seconds(container: av.container.InputContainer, stream: av.video.VideoStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


# Pixel formats whose first plane is 8-bit luma: the grey picture is already there.
_LUMA_FIRST = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21",
               "gray"}


def _small_grey(frame: av.VideoFrame, width: int, height: int) -> np.ndarray:
    """The frame's luma scaled to ``width`` x ``height``.

    Taking the luma plane and shrinking it with OpenCV is ~10x cheaper than a full swscale
    conversion; limited-range luma (16-235) is fine for the cascade, which normalises contrast.
    """
    if frame.format.name in _LUMA_FIRST:
        plane = frame.planes[0]
        luma = np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)
        luma = luma[: frame.height, : frame.width]
        if (width, height) == (frame.width, frame.height):
            return luma.copy()
        return cv2.resize(luma, (width, height), interpolation=cv2.INTER_AREA)
    return frame.reformat(width=width, height=height, format="gray").to_ndarray()


def probe_clip(path: Path, *, sample_frames: int = lim.FACE_SAMPLE_FRAMES,
               frame_width: int = lim.CLIP_DETECT_WIDTH) -> ClipInfo:
    """Decode ``path`` once: geometry, length, 16 kHz mono float audio, ``sample_frames`` grey frames.

    Raises InputError when the file cannot be read at all (missing, no permission, not a regular
    file, over kiosk.inputs.MEDIA_LIMIT) and ClipDecodeError when it is not a decodable video
    (the service's -5001).
    """
    path = Path(path)
    # A device, pipe or folder is refused before PyAV opens the name: /dev/zero never ends.
    size = inputs.check_input(path, limit=inputs.MEDIA_LIMIT, what=(messages.VIDEO.en, messages.VIDEO.zh))
    if size == 0:
        raise ClipDecodeError("the file is empty")
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, ValueError, UnicodeDecodeError) as exc:
        raise ClipDecodeError(f"not a readable container ({exc.__class__.__name__})") from exc
    with container:
        return _decode(container, path, size, sample_frames, frame_width)


def _decode(container: av.container.InputContainer, path: Path, size: int,
            sample_frames: int, frame_width: int) -> ClipInfo:
    if not container.streams.video:
        raise ClipDecodeError("no video stream")
    vstream = container.streams.video[0]
    decode_threads(vstream)
    # Frames nothing else refers to (B-frames) need not be decoded to decode the rest: skipping
    # them halves the decoding time, and the sampled frames and the clip's end are still seen.
    vstream.codec_context.skip_frame = "NONREF"
    ctx = vstream.codec_context
    width, height = ctx.width, ctx.height
    if not width or not height:
        raise ClipDecodeError("the video stream has no picture size")
    info = ClipInfo(
        path=path, size_bytes=size, container=container.format.name, width=width,
        height=height, declared_seconds=_declared_seconds(container, vstream),
        video_codec=ctx.name, fps=float(vstream.average_rate) if vstream.average_rate else None,
    )
    astream = container.streams.audio[0] if container.streams.audio else None
    streams: list[av.stream.Stream] = [vstream]
    chunks: list[np.ndarray] = []
    resampler = None
    if astream is not None:
        info.has_audio = True
        info.audio_codec = astream.codec_context.name
        info.audio_rate = astream.codec_context.sample_rate or astream.rate
        resampler = av.AudioResampler(format="flt", layout="mono", rate=VAD_RATE)
        streams.append(astream)
    span = info.declared_seconds
    targets = [(i + 0.5) * span / sample_frames for i in range(sample_frames)] if span else []
    kept: list[tuple[float, np.ndarray]] = []  # every 15th frame when the length is unknown
    small_h = max(2, round(height * frame_width / width)) if width > frame_width else height
    small_w = frame_width if width > frame_width else width
    motion_w = min(width, lim.LIVENESS_FRAME_WIDTH)
    motion_h = max(2, round(height * motion_w / width))
    next_motion = 0.0
    rotation = 0
    try:
        for packet in container.demux(*streams):
            for frame in packet.decode():
                if isinstance(frame, av.AudioFrame):
                    if resampler is not None:
                        for out in resampler.resample(frame):
                            chunks.append(out.to_ndarray().reshape(-1))
                    continue
                if not isinstance(frame, av.VideoFrame):
                    continue
                t = float(frame.time) if frame.time is not None else info.frames_decoded / (info.fps or 30.0)
                if info.frames_decoded == 0:
                    # Phones record portrait as landscape plus a display rotation.
                    rotation = int(round(getattr(frame, "rotation", 0) or 0)) % 360
                    if rotation in (90, 270):
                        info.width, info.height = info.height, info.width
                info.frames_decoded += 1
                info.decoded_seconds = t + 1.0 / (info.fps or 30.0)
                want = bool(targets) and t >= targets[0]
                if want or (not span and info.frames_decoded % 15 == 1):
                    if targets:
                        while targets and t >= targets[0]:
                            targets.pop(0)
                    grey = _small_grey(frame, small_w, small_h)
                    if rotation:
                        grey = np.ascontiguousarray(np.rot90(grey, k=rotation // 90))
                    kept.append((t, grey))
                if t >= next_motion and len(info.motion_frames) < lim.LIVENESS_MAX_FRAMES:
                    # A grid of 1/LIVENESS_FPS s, kept even where frames were skipped (B-frames).
                    next_motion = max(next_motion + 1.0 / lim.LIVENESS_FPS, t)
                    grey = _small_grey(frame, motion_w, motion_h)
                    if rotation:
                        grey = np.ascontiguousarray(np.rot90(grey, k=rotation // 90))
                    info.motion_frames.append(grey)
                    info.motion_times.append(t)
        if resampler is not None:
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.error.FFmpegError, ValueError) as exc:
        # A cut-off or corrupt file: keep what was decoded, the check decides what it means.
        info.decode_error = f"{exc.__class__.__name__}: {exc}"
        log.debug("decoding %s stopped: %s", path.name, exc)
    if info.frames_decoded == 0:
        raise ClipDecodeError(info.decode_error or "no decodable video frames")
    if not span and len(kept) > sample_frames:
        step = len(kept) / sample_frames
        kept = [kept[int(i * step)] for i in range(sample_frames)]
    info.frame_times = [t for t, _ in kept]
    info.frames = [g for _, g in kept]
    if chunks:
        info.audio16k = np.concatenate(chunks).astype(np.float32, copy=False)
    return info
