"""One recording: frames and sound encoded live by ffmpeg while recording, the clip in place at stop.

On POSIX one ffmpeg reads the frames on stdin and the sound on a second pipe, so at stop only the
last frames and the index are written. Elsewhere the sound goes to a WAV file and a second ffmpeg
muxes it with the H.264 stream at stop (slower: that process has to start). The capture threads hand frames and blocks over (``feed_video``/``feed_audio``); a worker thread
places them on the timeline, writes them, and at the end muxes and renames the result into place
in one step, so ``out`` either is a complete clip or does not exist. Every temporary file lives in
a hidden folder next to ``out`` and is removed whatever happens.
"""

from __future__ import annotations

import errno
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.errors import Cancelled
from kiosk.media import messages
from kiosk.media.encoder import (
    EncodeSettings,
    FfmpegProcess,
    live_command,
    mux_command,
    video_command,
)
from kiosk.media.errors import (
    DiskFull,
    EncoderFailed,
    FileTooLarge,
    OutputUnwritable,
    file_size_limit,
)
from kiosk.media.sinks import FramePipe, PipeSink, WavSink, write_error
from kiosk.media.timeline import FrameSlots, SampleAligner
from kiosk.media.types import AudioBlock, TempFolders, VideoFrame

log = logging.getLogger("kiosk.media.recorder")

FORMATS = ("mp4", "flv")
AUDIO_GRACE_S = 0.25  # after the last frame, how long to wait for the sound to catch up
MAX_QUEUED_FRAMES = 45  # ~1.5 s of frames waiting for the encoder; beyond, frames are dropped
MUX_TIMEOUT_S = 30.0
# ffmpeg interleaves: with the sound ~2 s behind it stops reading pictures. Sound this far behind
# the picture is lost anyway (a stalled microphone), so silence takes its place and ffmpeg never
# waits; the timeline still places later sound by its time, so sync is kept.
MAX_AUDIO_LAG_S = 0.5

LIVE_DEFAULT = os.name == "posix"  # a child inherits an extra pipe only there (pass_fds)


def output_error(exc: OSError, out: Path) -> DiskFull | FileTooLarge | OutputUnwritable:
    """A file-system failure at the clip's place as a typed error: a full disk, a file-size
    limit, or a bad place."""
    if exc.errno == errno.EFBIG:
        return FileTooLarge(str(out.parent), file_size_limit())
    if exc.errno == errno.ENOSPC:
        try:
            free: int | None = shutil.disk_usage(out.parent).free
        except OSError:
            free = None
        return DiskFull(str(out.parent), free)
    return OutputUnwritable(str(out), exc.strerror or str(exc))


STAGING_PREFIX = ".kiosk-rec-"


class PlainFolders:
    """Working folders from ``tempfile`` (0700), for callers that register none (tests, libraries)."""

    def make_folder(self, parent: Path, prefix: str) -> Path:
        """A new folder as ``tempfile.mkdtemp`` makes it."""
        return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))

    def release(self, folder: Path) -> None:
        """Delete it and everything in it."""
        shutil.rmtree(folder, ignore_errors=True)


def make_temp_folder(out: Path, folders: TempFolders | None = None) -> Path:
    """The hidden working folder next to ``out`` (same file system: the final rename is atomic)."""
    try:
        return (folders or PlainFolders()).make_folder(out.parent, STAGING_PREFIX)
    except OSError as exc:
        raise output_error(exc, out) from exc


class Recording:
    """A clip being recorded; ``wait()`` gives its path once it is complete."""

    def __init__(
        self,
        out: Path,
        *,
        ffmpeg: str,
        width: int,
        height: int,
        fps: float = 30.0,
        seconds: float = 5.0,
        fmt: str = "mp4",
        rate: int | None = 16000,
        start_at: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        settings: EncodeSettings | None = None,
        live: bool = LIVE_DEFAULT,
        wav_opener: Callable[[Path, int], Any] | None = None,
        folders: TempFolders | None = None,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
        self.out = Path(out)
        self.seconds = seconds
        self.fmt = fmt
        self.start_at = start_at
        self._fps, self._w, self._h, self._rate = fps, width, height, rate
        self._clock = clock
        self._settings = settings or EncodeSettings()
        self._exe = ffmpeg
        self._slots = FrameSlots(fps, max(1, round(seconds * fps)))
        self._aligner = SampleAligner(rate) if rate else None
        self._items: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._queued_frames = 0
        self._queue_lock = threading.Lock()
        self._audio_lock = threading.RLock()
        self._sink_closed = False
        self._pids: list[int] = []
        self._finished = threading.Event()
        self._error: BaseException | None = None
        self._cancelled = False
        self._failure: BaseException | None = None
        self._frames: FramePipe | None = None
        self.stopped_at: float | None = None  # clock time the recording's content ended
        self.ready_at: float | None = None  # clock time the file was in place
        self._folders = folders or PlainFolders()
        self._tmp = make_temp_folder(self.out, self._folders)
        self._live = live
        self._partial = self._tmp / f"clip.{fmt}"
        self._sink: PipeSink | WavSink | None = None
        self._video: FfmpegProcess | None = None
        self._mux: FfmpegProcess | None = None  # the second ffmpeg (no live pipe), once started
        self._killed = False
        try:
            if live:
                pipe = PipeSink() if rate else None
                self._sink = pipe
                args = live_command(ffmpeg, self._partial, width, height, fps,
                                    pipe.read_fd if pipe else None, rate or 0, fmt, self._settings)
                self._video = FfmpegProcess(args, self._tmp / "ffmpeg.log", stdin=True,
                                            folder=self.out.parent,
                                            pass_fds=(pipe.read_fd,) if pipe else ())
                if pipe:
                    pipe.parent_done()
            else:
                if rate:
                    self._sink = WavSink(self._tmp / "audio.wav", rate, wav_opener)
                self._video = FfmpegProcess(
                    video_command(ffmpeg, self._tmp / "video.nut", width, height, fps, self._settings),
                    self._tmp / "video.log", stdin=True, folder=self.out.parent,
                )
            self._pids.append(self._video.pid)
            self._frames = FramePipe(self._video)
        except BaseException:
            self._cleanup()
            raise
        self._worker = threading.Thread(target=self._run, name="recorder", daemon=True)
        self._worker.start()

    # ---- the public surface -------------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        """Seconds of video recorded so far."""
        return self._slots.written / self._fps

    def done(self) -> bool:
        """True once the clip is complete, failed or cancelled."""
        return self._finished.is_set()

    def stop(self) -> None:
        """End now and keep what was recorded."""
        self._items.put(("stop", None))

    def cancel(self) -> None:
        """End now and keep nothing (ffmpeg is stopped at once: its output is not wanted)."""
        self._cancelled = True
        self._items.put(("cancel", None))
        self._stop_encoder()

    def kill(self) -> None:
        """Cancel and SIGKILL every ffmpeg still running, the muxer too, which a cancel leaves.

        For a caller whose cancel did not end the recording in time: the worker waiting on a
        killed ffmpeg unwinds at once and removes the files, as after any failure.
        """
        self._killed = True
        self.cancel()
        for child in (self._video, self._mux):
            if child is not None and child.proc.poll() is None:
                child.proc.kill()

    def fail(self, error: BaseException) -> None:
        """A source failed: end and keep nothing; ``wait`` raises ``error``."""
        if self._failure is None:
            self._failure = error
        self._items.put(("fail", error))
        self._stop_encoder()

    def _stop_encoder(self) -> None:
        if self._finished.is_set() or self._video is None:
            return
        if self._video.proc.poll() is None:
            self._video.proc.kill()  # any write to it fails at once, so the worker moves on

    def wait(self, timeout: float | None = None) -> Path:
        """The finished clip's path; raises the failure, Cancelled, or TimeoutError."""
        if not self._finished.wait(timeout):
            raise TimeoutError("the recording is still running")
        if self._error is not None:
            raise self._error
        return self.out

    @property
    def pids(self) -> list[int]:
        """Process ids of the ffmpeg children started (for tests that check none is left)."""
        return list(self._pids)

    # ---- fed by the capture threads -----------------------------------------------------------
    def feed_video(self, frame: VideoFrame) -> None:
        """Hand over a frame (dropped if the encoder is far behind; the timeline repeats one)."""
        if frame.ts < self.start_at:
            return
        with self._queue_lock:
            if self._queued_frames >= MAX_QUEUED_FRAMES:
                return
            self._queued_frames += 1
        self._items.put(("v", frame))

    def feed_audio(self, block: AudioBlock) -> None:
        """Place and write a block of sound on the caller's thread.

        Not through the worker: it may be blocked handing ffmpeg a frame while ffmpeg waits for
        sound, so the sound must get there on its own.
        """
        if self._aligner is None or self._finished.is_set():
            return
        try:
            with self._audio_lock:
                if self._sink_closed:
                    return
                if self._slots.t0 is not None:
                    self._aligner.limit = self._audio_total()
                self._write_audio(self._aligner.place(block))
                complete = self._slots.t0 is not None and self._audio_complete()
        except BaseException as exc:  # noqa: BLE001 - the worker ends the recording with it
            self._items.put(("fail", exc))
            return
        if complete:
            self._items.put(("tick", None))  # the worker may be waiting for the sound to end

    # ---- the worker ---------------------------------------------------------------------------
    def _run(self) -> None:
        assert self._video is not None
        video_done_at: float | None = None
        try:
            while True:
                try:
                    kind, item = self._items.get(timeout=0.05)
                except queue.Empty:
                    kind, item = "", None
                if kind == "v":
                    with self._queue_lock:
                        self._queued_frames -= 1
                    self._on_frame(item)
                elif kind == "stop":
                    self._slots.total = self._slots.written
                elif kind == "cancel":
                    raise Cancelled(messages.RECORDING_CANCELLED())
                elif kind == "fail":
                    raise item
                if self._slots.done and self._slots.t0 is not None:
                    if video_done_at is None:
                        video_done_at = self._clock()
                        self.stopped_at = min(video_done_at, self._slots.end or video_done_at)
                    if self._audio_complete() or self._clock() - video_done_at > AUDIO_GRACE_S:
                        break
                elif self._slots.done:  # stopped before the first frame: nothing to keep
                    raise EncoderFailed("the recording was stopped before any picture arrived")
            self._finish()
        except BaseException as exc:  # noqa: BLE001 - handed to wait(), never lost
            err: BaseException = exc
            if self._cancelled:  # whatever a killed ffmpeg made of it, the person cancelled
                err = Cancelled(messages.RECORDING_CANCELLED())
            elif self._failure is not None:  # the source's failure, not the killed ffmpeg's
                err = self._failure
            self._error = output_error(err, self.out) if isinstance(err, OSError) else err
            self._cleanup()
        finally:
            self._finished.set()

    def _on_frame(self, frame: VideoFrame) -> None:
        assert self._frames is not None
        first = self._slots.t0 is None
        for image in self._slots.place(frame):
            self._keep_sound_up()
            self._frames.put(np.ascontiguousarray(image))
        if first and self._aligner is not None and self._slots.t0 is not None:
            with self._audio_lock:
                self._write_audio(self._aligner.begin(self._slots.t0))

    def _keep_sound_up(self) -> None:
        """Silence for sound more than MAX_AUDIO_LAG_S behind the picture (see there why)."""
        if self._aligner is None or self._slots.t0 is None or self._rate is None:
            return
        want = round((self._slots.written / self._fps - MAX_AUDIO_LAG_S) * self._rate)
        with self._audio_lock:
            if not self._sink_closed and want > self._aligner.written:
                self._write_audio([self._aligner.pad_to(want)])

    def _audio_total(self) -> int:
        assert self._rate is not None
        return round(self._slots.total / self._fps * self._rate)

    def _audio_complete(self) -> bool:
        if self._aligner is None:
            return True
        with self._audio_lock:
            return self._aligner.written >= self._audio_total()

    def _write_audio(self, parts: list[np.ndarray]) -> None:
        assert self._sink is not None
        for part in parts:
            try:
                self._sink.write(part)
            except (OSError, RuntimeError) as exc:  # libsndfile reports a full disk as either
                if self._live and self._video is not None and self._video.proc.poll() is not None:
                    raise self._video.diagnose("ffmpeg stopped reading the sound", exc) from exc
                raise write_error(exc, self.out.parent) from exc

    def _finish(self) -> None:
        assert self._video is not None
        if self._aligner is not None and self._sink is not None:
            with self._audio_lock:
                self._aligner.limit = None
                self._write_audio([self._aligner.pad_to(self._audio_total())])
                self._sink_closed = True
                self._sink.close()
        assert self._frames is not None
        self._frames.close(timeout=MUX_TIMEOUT_S)  # every picture handed over, then end of input
        self._video.finish(timeout=MUX_TIMEOUT_S)
        if not self._live:
            audio = self._sink.path if isinstance(self._sink, WavSink) else None
            mux = FfmpegProcess(
                mux_command(self._exe, self._tmp / "video.nut", audio, self._partial, self._fps,
                            self.fmt, self._settings),
                self._tmp / "mux.log", stdin=False, folder=self.out.parent,
            )
            self._pids.append(mux.pid)
            self._mux = mux
            if self._killed:  # kill() came while it was starting
                mux.proc.kill()
            mux.finish(timeout=MUX_TIMEOUT_S)
        self._partial.replace(self.out)  # same folder: the clip appears complete, in one step
        self.ready_at = self._clock()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._sink is not None:
            with self._audio_lock:
                self._sink_closed = True
            self._sink.close()  # first: a live ffmpeg waiting for sound must see its end
        if self._video is not None:
            if self._video.proc.poll() is None:
                self._video.proc.kill()  # nothing it wrote is kept; a writer blocked on it is freed
            if self._frames is not None:
                self._frames.discard()
            self._video.abort()  # reaps it (and closes its log) whether or not it still runs
        self._folders.release(self._tmp)  # the partial clip lives in here


__all__ = ["FORMATS", "LIVE_DEFAULT", "Recording"]
