"""A media file's video or sound played in real time, as if it were a camera or a microphone.

It never ends: at the end it loops. ``restart(at)`` starts it over from the beginning, so a
recording of the sample clip holds the whole sample; giving the video and the audio source the same
``at`` keeps them in step, as they were in the file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import av
import numpy as np

from kiosk import inputs
from kiosk.media import messages
from kiosk.media.errors import MediaFileError
from kiosk.media.types import AudioBlock, VideoFrame

Clock = Callable[[], float]
Sleep = Callable[[float], None]


def _open(path: Path, kind: str) -> tuple[Any, Any]:
    """The container and its first stream of ``kind``; MediaFileError when either is missing."""
    try:  # a device or a pipe is refused before PyAV opens the name (/dev/zero never ends)
        inputs.check_input(path, limit=inputs.SOURCE_LIMIT,
                           what=(messages.MEDIA_FILE.en, messages.MEDIA_FILE.zh))
    except inputs.FileRefused as exc:
        if exc.reason == "missing":
            raise MediaFileError(str(path), messages.FILE_DOES_NOT_EXIST()) from None
        raise MediaFileError(str(path), SimpleNamespace(en=exc.why_en, zh=exc.why_zh)) from None
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as exc:
        raise MediaFileError(str(path), messages.NOT_A_MEDIA_FILE(error=str(exc))) from exc
    streams = container.streams.video if kind == "video" else container.streams.audio
    if not streams:
        container.close()
        track = messages.VIDEO_TRACK if kind == "video" else messages.AUDIO_TRACK
        raise MediaFileError(str(path), messages.NO_TRACK(track=track()))
    return container, streams[0]


class _Player:
    """Decodes one stream and paces it to the clock, looping at the end."""

    def __init__(self, path: Path, kind: str, clock: Clock, sleep: Sleep, realtime: bool) -> None:
        self.path = path
        self._kind = kind
        self._clock, self._sleep, self._realtime = clock, sleep, realtime
        self._container: Any = None
        self._stream: Any = None
        self._frames: Iterator[Any] | None = None
        self._t0 = 0.0  # the clock time of the file's first frame in the current pass
        self._first: float | None = None  # the first frame's own time in the file
        self._end = 0.0  # the end of the last frame seen, in file time
        self._pending: float | None = None
        self._lock = threading.Lock()
        self._container, self._stream = _open(path, kind)
        self._container.close()

    def open(self) -> None:
        self._container, self._stream = _open(self.path, self._kind)
        self._stream.thread_type = "AUTO"
        self._frames = self._container.decode(self._stream)
        self._t0 = self._clock()
        self._first = None

    def restart(self, at: float) -> None:
        with self._lock:
            self._pending = at

    def next(self) -> tuple[Any, float]:
        """The next decoded frame and the clock time it belongs at (after waiting for it)."""
        if self._frames is None:
            self.open()
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            self._rewind()
            self._t0 = pending
        assert self._frames is not None
        try:
            frame = next(self._frames)
        except StopIteration:
            self._t0 += self._end - (self._first or 0.0)
            self._rewind()
            frame = next(self._frames)
        except av.FFmpegError as exc:
            raise MediaFileError(str(self.path), messages.DECODING_FAILED(error=str(exc))) from exc
        ft = float(frame.time or 0.0)
        if self._first is None:
            self._first = ft
        ts = self._t0 + ft - self._first
        self._end = max(self._end, ft + self._duration(frame))
        if self._realtime:
            wait = ts + self._lag(frame) - self._clock()
            if wait > 0:
                self._sleep(wait)
        return frame, ts

    def _rewind(self) -> None:
        self._container.seek(0)
        self._frames = self._container.decode(self._stream)

    def _duration(self, frame: Any) -> float:
        if self._kind == "audio":
            return float(frame.samples) / float(frame.sample_rate)
        rate = self._stream.average_rate or self._stream.guessed_rate or 30
        return 1.0 / float(rate)

    def _lag(self, frame: Any) -> float:
        # Sound is delivered once its block has been "heard"; a picture as soon as it is shown.
        return self._duration(frame) if self._kind == "audio" else 0.0

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
        # The stream holds the decoder and its frame threads until it is dropped: closing the
        # container alone left three threads per cancelled session until a garbage collection.
        self._container = self._frames = self._stream = None


class FileVideo:
    """The video track of a file, played in real time (scaled to the size asked for)."""

    def __init__(
        self,
        path: Path,
        *,
        width: int = 640,
        height: int = 480,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        realtime: bool = True,
    ) -> None:
        self.spec = f"file:{path}"
        self.width, self.height = width, height
        self._player = _Player(path, "video", clock, sleep, realtime)
        rate = self._player._stream.average_rate or self._player._stream.guessed_rate or 30
        self.fps = float(rate)

    def start(self) -> None:
        """Open the file; its first frame belongs at the current time."""
        self._player.open()

    def restart(self, at: float) -> None:
        """Play from the beginning at the next read, the first frame stamped ``at``."""
        self._player.restart(at)

    def read(self, timeout: float = 1.0) -> VideoFrame | None:
        """The next frame at its time."""
        frame, ts = self._player.next()
        img = frame.to_ndarray(format="bgr24", width=self.width, height=self.height)
        return VideoFrame(np.ascontiguousarray(img), ts)

    def stop(self) -> None:
        """Close the file."""
        self._player.close()


class FileAudio:
    """The sound track of a file, mono float32 at ``rate``, played in real time."""

    def __init__(
        self,
        path: Path,
        *,
        rate: int = 16000,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        realtime: bool = True,
    ) -> None:
        self.spec = f"file:{path}"
        self.rate = rate
        self._player = _Player(path, "audio", clock, sleep, realtime)
        self._resampler: Any = None

    def start(self) -> None:
        """Open the file; its first sample belongs at the current time."""
        self._player.open()
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=self.rate)

    def restart(self, at: float) -> None:
        """Play from the beginning at the next read, the first sample stamped ``at``."""
        self._player.restart(at)

    def read(self, timeout: float = 1.0) -> AudioBlock | None:
        """The next block of samples at its time."""
        if self._resampler is None:
            self.start()
        frame, ts = self._player.next()
        frame.pts = None  # the resampler keeps its own count; the time comes from the player
        parts = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        samples = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
        return AudioBlock(samples, ts, self.rate)

    def stop(self) -> None:
        """Close the file."""
        self._player.close()
        self._resampler = None


__all__ = ["FileAudio", "FileVideo"]
