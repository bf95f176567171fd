"""Where a recording's sound goes while recording: a pipe into the live ffmpeg, or a WAV file.

The pipe is the fast path (POSIX: ffmpeg reads ``pipe:<fd>``); the WAV file, muxed by a second
ffmpeg at stop, is the fallback where a child cannot inherit an extra pipe (Windows).
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from kiosk.errors import MediaError
from kiosk.media.errors import DiskFull, EncoderFailed, FileTooLarge, file_size_limit


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples (-1..1) as little-endian 16-bit PCM, clipped."""
    data: bytes = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    return data


def write_error(exc: BaseException, folder: Path) -> MediaError:
    """A full disk or a broken pipe/file, told apart by errno, message and free space."""
    try:
        free: int | None = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if getattr(exc, "errno", None) == errno.EFBIG or "file too large" in str(exc).lower():
        return FileTooLarge(str(folder), file_size_limit())
    if getattr(exc, "errno", None) == errno.ENOSPC or "space" in str(exc).lower():
        return DiskFull(str(folder), free)
    return EncoderFailed(f"writing the sound failed: {exc}")


class PipeSink:
    """16-bit PCM into a pipe whose other end ffmpeg reads, written from a thread of its own.

    ffmpeg opens its inputs one after the other and may wait for sound while the recorder is
    blocked handing it a frame; writing the sound from another thread breaks that deadlock.
    """

    def __init__(self) -> None:
        self.read_fd, write_fd = os.pipe()
        self._out = os.fdopen(write_fd, "wb", buffering=0)
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self.error: OSError | None = None
        self._thread = threading.Thread(target=self._pump, name="audio-pipe", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        while (data := self._queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the pipe is broken, the recorder learns it on its next write
            try:
                self._out.write(data)
            except OSError as exc:
                self.error = exc

    def parent_done(self) -> None:
        """Close our copy of the read end once the child has inherited it."""
        if self.read_fd >= 0:
            os.close(self.read_fd)
            self.read_fd = -1

    def write(self, samples: np.ndarray) -> None:
        """Queue samples (raises OSError once ffmpeg went away; the caller diagnoses)."""
        if self.error is not None:
            raise self.error
        self._queue.put(to_pcm16(samples))

    def close(self, timeout: float = 5.0) -> None:
        """End of sound: what is queued is written, then ffmpeg sees end-of-file on this input."""
        self.parent_done()
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)
        with contextlib.suppress(OSError):
            self._out.close()


class FramePipe:
    """Frames into ffmpeg's stdin from a thread of its own, at most ``depth`` waiting.

    ffmpeg interleaves sound and picture and stops reading frames when the sound is far behind;
    a recorder blocked in that write could not see a stop, a cancel or a failure. With this
    thread it always can, and the pictures wait here (bounded) instead.
    """

    def __init__(self, proc: Any, depth: int = 30, stall_s: float = 10.0) -> None:
        self._proc = proc
        self._stall_s = stall_s
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self.error: MediaError | None = None
        self._thread = threading.Thread(target=self._pump, name="frame-pipe", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        while (image := self._queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the recorder learns of the error on its next put
            try:
                self._proc.write(image.data)
            except MediaError as exc:
                self.error = exc
            except (OSError, ValueError) as exc:  # stdin closed under us: ffmpeg was stopped
                self.error = EncoderFailed(f"ffmpeg's input closed: {exc}")

    def put(self, image: np.ndarray) -> None:
        """Queue a contiguous BGR picture; the writer's error, or EncoderFailed if ffmpeg stalls."""
        if self.error is not None:
            raise self.error
        try:
            self._queue.put(image, timeout=self._stall_s)
        except queue.Full:
            raise EncoderFailed(f"ffmpeg took no picture for {self._stall_s:.0f} s") from None

    def close(self, timeout: float = 30.0) -> None:
        """Wait until every queued picture is written (or the writer failed); raises its error."""
        if self._thread.is_alive():
            with contextlib.suppress(queue.Full):
                self._queue.put(None, timeout=timeout)
            self._thread.join(timeout)
        if self._thread.is_alive():
            raise EncoderFailed(f"ffmpeg took no picture for {timeout:.0f} s")
        if self.error is not None:
            raise self.error

    def discard(self) -> None:
        """After ffmpeg was killed: drop what waits, let the writer end; errors do not matter now."""
        if self.error is None:
            self.error = EncoderFailed("discarded")
        while True:
            try:
                self._queue.put_nowait(None)
                break
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._queue.get_nowait()
        self._thread.join(5.0)


class WavSink:
    """A 16-bit mono WAV file being written."""

    def __init__(self, path: Path, rate: int, opener: Any = None) -> None:
        self.path = path
        self._file = (opener or _open_wav)(path, rate)

    def write(self, samples: np.ndarray) -> None:
        """Append samples."""
        self._file.write(samples)

    def close(self) -> None:
        """Finish the WAV header."""
        with contextlib.suppress(Exception):
            self._file.close()


def _open_wav(path: Path, rate: int) -> Any:
    # Created 0600 first (a voice): libsndfile then truncates it and keeps the mode.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    return soundfile.SoundFile(str(path), "w", samplerate=rate, channels=1, subtype="PCM_16")


__all__ = ["FramePipe", "PipeSink", "WavSink", "to_pcm16", "write_error"]
