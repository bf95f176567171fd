"""A video and an audio source read on threads of their own, with live state and recording.

``latest_frame()``, ``level_dbfs()``, ``recent_sound()`` and a recording's ``elapsed`` never block; ``notify`` (when
set) is called after each new frame, so a reader of frames need not poll. A source that fails is
remembered in ``error`` (and ends a recording in progress with that error), and ``notify`` is
called, so the caller learns of it without a thread of its own.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np

from kiosk.clip_length import CLIP_SECONDS_RANGE, clip_seconds_ok
from kiosk.errors import KioskError, MediaError
from kiosk.media.encoder import EncodeSettings
from kiosk.media.errors import MicrophoneLost
from kiosk.media.ffmpeg_exe import find_ffmpeg
from kiosk.media.recorder import Recording
from kiosk.media.types import (
    STALL_S,
    AudioSource,
    Restartable,
    TempFolders,
    VideoFrame,
    VideoSource,
)

log = logging.getLogger("kiosk.media.capture")

LEVEL_WINDOW_S = 0.1
# Sound kept for the preview's voice test (its window is 2.5 s): in memory only, never written,
# dropped as it ages and at stop().
SOUND_MEMORY_S = 3.0
SILENCE_DBFS = -100.0
CANCEL_GRACE_S = 3.0  # a cancelled recording normally ends in well under a second
RESTART_LEAD_S = 0.05  # a file: source's new beginning is this far ahead, so no frame is missed
WARMUP_S = 4.0  # a microphone's stream may take this long to deliver steadily (PulseAudio: ~2 s)


class Capture:
    """Reads ``video`` and ``audio`` (either may be None) and records clips from them."""

    def __init__(
        self,
        video: VideoSource | None,
        audio: AudioSource | None = None,
        *,
        fps: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        ffmpeg: str | None = None,
        read_timeout: float = STALL_S,
        settings: EncodeSettings | None = None,
        cancel_grace: float = CANCEL_GRACE_S,
        folders: TempFolders | None = None,
    ) -> None:
        if video is None:
            raise ValueError("a recording needs a video source")
        self.video, self.audio = video, audio
        self.fps = fps
        self._clock = clock
        self._ffmpeg = ffmpeg
        self._read_timeout = read_timeout
        self._settings = settings
        self._cancel_grace = cancel_grace
        self._folders = folders  # where recordings stage their files (see TempFolders)
        self.error: MediaError | None = None
        # Called on a reader thread after each new frame and after a failure: a waiter (the
        # flow's worker) sleeps until then instead of polling latest_frame() and error.
        self.notify: Callable[[], None] | None = None
        self._latest: VideoFrame | None = None
        self._level: deque[np.ndarray] = deque()
        self._level_lock = threading.Lock()
        self._sound: deque[np.ndarray] = deque()  # the last SOUND_MEMORY_S, guarded by _level_lock
        self._sound_len = 0
        self._recording: Recording | None = None
        self._restart: dict[str, float] = {}
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._started = False

    # ---- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Open the sources and start reading; raises the source's MediaError when one fails."""
        self.video.start()
        if self.audio is not None:
            try:
                self.audio.start()
            except BaseException:
                self.video.stop()  # release the camera when the microphone is missing
                raise
        self._started = True
        self._stopping.clear()
        self._threads = [threading.Thread(target=self._read_video, name="capture-video", daemon=True)]
        if self.audio is not None:
            self._threads.append(threading.Thread(target=self._read_audio, name="capture-audio", daemon=True))
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        """Cancel a recording in progress, stop reading, release the devices."""
        rec = self._recording
        if rec is not None and not rec.done():
            rec.cancel()
            try:
                rec.wait(timeout=self._cancel_grace)
            except TimeoutError:
                rec.kill()  # ffmpeg stopped reading: the worker never saw the cancel
                with contextlib.suppress(KioskError, TimeoutError):
                    rec.wait(timeout=10.0)
            except KioskError:
                pass  # Cancelled (or the failure that ended it): its temporary files are gone
        self._stopping.set()
        for t in self._threads:
            t.join(self._read_timeout + 1.0)
        with self._level_lock:  # nothing of the person's voice outlives the capture
            self._sound.clear()
            self._sound_len = 0
        self.video.stop()
        if self.audio is not None:
            self.audio.stop()
        self._started = False

    def __enter__(self) -> Capture:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- live state ---------------------------------------------------------------------------
    def latest_frame(self) -> VideoFrame | None:
        """The newest frame read, or None before the first."""
        return self._latest

    def level_dbfs(self) -> float:
        """The sound level of the last ~100 ms in dBFS (RMS; -100 for silence or no sound)."""
        with self._level_lock:
            blocks = list(self._level)
        if not blocks:
            return SILENCE_DBFS
        samples = np.concatenate(blocks)
        rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
        return max(SILENCE_DBFS, 20.0 * math.log10(rms)) if rms > 0 else SILENCE_DBFS

    def recent_sound(self, seconds: float = SOUND_MEMORY_S) -> tuple[np.ndarray, int]:
        """The last ``seconds`` of sound (at most SOUND_MEMORY_S) as mono float32, and its rate."""
        rate = self.audio.rate if self.audio is not None else 16000
        with self._level_lock:
            blocks = list(self._sound)
        if not blocks:
            return np.zeros(0, np.float32), rate
        samples = np.concatenate(blocks)
        return samples[-max(1, round(seconds * rate)):], rate

    # ---- recording ----------------------------------------------------------------------------
    def record(self, out: Path, *, seconds: float = 5.0, fmt: str = "mp4") -> Recording:
        """Start recording ``seconds`` of clip into ``out`` (MP4 or FLV); returns at once.

        ``seconds`` is checked against kiosk.clip_length, the range the settings and the command
        line check too: a length they accept is one recorded.
        """
        if not self._started:
            raise RuntimeError("call start() before record()")
        if self.error is not None:
            raise self.error
        if self._recording is not None and not self._recording.done():
            raise RuntimeError("a recording is already running")
        if not clip_seconds_ok(seconds):
            raise ValueError(f"seconds must be {CLIP_SECONDS_RANGE} (kiosk.clip_length), not {seconds:g}")
        self._wait_audio_warm()
        restartable = isinstance(self.video, Restartable) or isinstance(self.audio, Restartable)
        start_at = self._clock() + (RESTART_LEAD_S if restartable else 0.0)
        rec = Recording(
            Path(out),
            ffmpeg=self._ffmpeg or find_ffmpeg(),
            width=self.video.width,
            height=self.video.height,
            fps=self.fps,
            seconds=seconds,
            fmt=fmt,
            rate=self.audio.rate if self.audio is not None else None,
            start_at=start_at,
            clock=self._clock,
            settings=self._settings,
            folders=self._folders,
        )
        if restartable:
            self._restart = {"video": start_at, "audio": start_at}
        self._recording = rec
        return rec

    def _wait_audio_warm(self) -> None:
        """Until the microphone's stream runs steadily (at once when it already does), so the
        clip's sound is cut from a running stream and none is lost at its start."""
        ready = getattr(self.audio, "ready", None)
        if ready is None or self.audio is None:
            return
        deadline = time.monotonic() + WARMUP_S
        while not ready.wait(0.05):
            if self.error is not None:
                raise self.error
            if time.monotonic() > deadline:
                raise MicrophoneLost(self.audio.spec, WARMUP_S)

    # ---- reader threads -----------------------------------------------------------------------
    def _maybe_restart(self, key: str, source: object) -> None:
        at = self._restart.pop(key, None)
        if at is not None and isinstance(source, Restartable):
            source.restart(at)

    def _read_video(self) -> None:
        try:
            while not self._stopping.is_set():
                self._maybe_restart("video", self.video)
                frame = self.video.read(timeout=self._read_timeout)
                if frame is None:  # the source ended: keep what was recorded
                    if self._recording is not None:
                        self._recording.stop()
                    return
                self._latest = frame
                self._notify()
                rec = self._recording
                if rec is not None and not rec.done():
                    rec.feed_video(frame)
        except MediaError as exc:
            self._failed(exc)

    def _read_audio(self) -> None:
        assert self.audio is not None
        window = round(LEVEL_WINDOW_S * self.audio.rate)
        memory = round(SOUND_MEMORY_S * self.audio.rate)
        try:
            while not self._stopping.is_set():
                self._maybe_restart("audio", self.audio)
                block = self.audio.read(timeout=self._read_timeout)
                if block is None:
                    return
                with self._level_lock:
                    self._level.append(block.samples)
                    while sum(len(b) for b in self._level) - len(self._level[0]) >= window:
                        self._level.popleft()
                    self._sound.append(block.samples)
                    self._sound_len += len(block.samples)
                    while self._sound_len - len(self._sound[0]) >= memory:
                        self._sound_len -= len(self._sound.popleft())
                rec = self._recording
                if rec is not None and not rec.done():
                    rec.feed_audio(block)
        except MediaError as exc:
            with self._level_lock:  # the meter and the voice test hear nothing, not the last sound
                self._level.clear()
                self._sound.clear()
                self._sound_len = 0
            self._failed(exc)

    def _failed(self, exc: MediaError) -> None:
        if self._stopping.is_set():
            return
        log.warning("capture source failed: %s", exc)
        self.error = exc
        rec = self._recording
        if rec is not None and not rec.done():
            rec.fail(exc)
        self._notify()

    def _notify(self) -> None:
        notify = self.notify
        if notify is not None:
            notify()


__all__ = ["Capture"]
