"""ffmpeg as a child process: the live H.264 encoder, the final mux, and what went wrong.

Commands are built with ffmpeg-python. stderr goes to a file (an unread pipe fills up and ffmpeg
stops reading stdin), every process is waited for (no zombies), and a broken pipe is diagnosed:
early exit or a full disk, told apart by ffmpeg's own last words and the free space.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ffmpeg

from kiosk.media.errors import DiskFull, EncoderFailed, FileTooLarge, MediaError, file_size_limit

LOW_SPACE = 256 * 1024  # below this much free space, a failing ffmpeg is a full disk
NO_SPACE = ("No space left on device", "Disk quota exceeded")
TOO_LARGE = ("File too large",)  # strerror(EFBIG), when ffmpeg ignores SIGXFSZ
WRITE_FAILED = (*NO_SPACE, "Error writing trailer", "Error closing file")


@dataclass(frozen=True)
class EncodeSettings:
    """~0.12 MB for 5 s of a noisy 640x480 face, never over ~0.8 MB (H.264 capped at 1.2 Mbit/s).

    Each choice was kept because tests/benchmarks/bench_clip.py measured it (issue 20; docs/media.md
    has the table): x264's look-ahead with B-frames and mb-tree (``tune`` empty, 10 frames) halves
    the clip at the same CRF; a light temporal denoise stops the camera's noise costing bits;
    one key frame per clip (``gop_s`` longer than a clip) saves another 15 %; AAC at 24 kbit/s
    leaves every voice check's verdict as at 48. Slower presets and 15 fps were measured and lost.
    """

    preset: str = "veryfast"
    crf: float = 23
    maxrate_kbit: int = 1200
    audio_kbit: int = 24
    gop_s: float = 10.0
    tune: str = ""  # "zerolatency" turns look-ahead, B-frames and mb-tree off: twice the size
    # 10 frames of look-ahead (veryfast's default) still leave the file ready ~0.1 s after stop.
    x264_params: str = "rc-lookahead=10"
    denoise: str = "hqdn3d=0:0:4:4"  # temporal only: noise differs frame to frame, a face does not


def video_command(exe: str, out: Path, width: int, height: int, fps: float, s: EncodeSettings) -> list[str]:
    """Raw BGR frames on stdin to H.264 in NUT: survives a kill, remuxed at the end.

    NUT, not a bare H.264 stream: with B-frames the bare stream loses the frames' times, and the
    remuxed clip came out 13 % too long.
    """
    stream = ffmpeg.input("pipe:", format="rawvideo", pix_fmt="bgr24", s=f"{width}x{height}", framerate=fps)
    return _compiled(exe, ffmpeg.output(stream, str(out), format="nut", **_video_options(fps, s)))


def live_command(
    exe: str, out: Path, width: int, height: int, fps: float, audio_fd: int | None, rate: int,
    fmt: str, s: EncodeSettings,
) -> list[str]:
    """One ffmpeg for everything: raw BGR frames on stdin, 16-bit PCM on ``pipe:<audio_fd>``.

    Both are encoded as they arrive, so at stop only the last frames and the MP4 index are left to
    write: no second ffmpeg has to start (which alone takes ~0.3 s on a busy 2-core machine).
    """
    v = ffmpeg.input("pipe:0", format="rawvideo", pix_fmt="bgr24", s=f"{width}x{height}",
                     framerate=fps, thread_queue_size=64, analyzeduration=0, probesize=32)
    streams: list[Any] = [v.video]
    kw: dict[str, Any] = _video_options(fps, s)
    kw["format"] = fmt
    if audio_fd is not None:
        a = ffmpeg.input(f"pipe:{audio_fd}", format="s16le", ar=rate, ac=1,
                         thread_queue_size=64, analyzeduration=0, probesize=32)
        streams.append(a.audio)
    return _clip_command(exe, streams, out, kw, s)


def _video_options(fps: float, s: EncodeSettings) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "vcodec": "libx264",
        "pix_fmt": "yuv420p",
        "preset": s.preset,
        "crf": s.crf,
        "maxrate": f"{s.maxrate_kbit}k",
        "bufsize": f"{s.maxrate_kbit}k",
        "g": max(1, round(fps * s.gop_s)),
    }
    if s.tune:
        opts["tune"] = s.tune
    if s.x264_params:
        opts["x264-params"] = s.x264_params
    if s.denoise:
        opts["vf"] = s.denoise
    return opts


def mux_command(
    exe: str, video: Path, audio: Path | None, out: Path, fps: float, fmt: str, s: EncodeSettings
) -> list[str]:
    """Copy the H.264 stream, encode the WAV to AAC, into MP4 (fast start) or FLV."""
    v = ffmpeg.input(str(video), format="nut")
    streams: list[Any] = [v.video]
    kw: dict[str, Any] = {"vcodec": "copy", "format": fmt}
    if audio is not None:
        streams.append(ffmpeg.input(str(audio)).audio)
    return _clip_command(exe, streams, out, kw, s)


def _clip_command(exe: str, streams: list[Any], out: Path, kw: dict[str, Any],
                  s: EncodeSettings) -> list[str]:
    """The command writing the clip: picture, then sound (if any) as AAC; an MP4's index first."""
    if len(streams) > 1:
        kw.update(acodec="aac", audio_bitrate=f"{s.audio_kbit}k")
    if kw["format"] == "mp4":
        kw["movflags"] = "+faststart"
    return _compiled(exe, ffmpeg.output(*streams, str(out), **kw))


def _compiled(exe: str, stream: Any) -> list[str]:
    args: list[str] = ffmpeg.compile(stream.global_args("-hide_banner", "-nostdin", "-loglevel", "warning"),
                                     cmd=exe, overwrite_output=True)
    return args


# What ffmpeg writes is a person's face and voice: 0600 whatever the user's umask (POSIX only).
PRIVATE_FILES: dict[str, Any] = {"umask": 0o077} if os.name == "posix" else {}


def private_opener(path: str, flags: int) -> int:
    """``open(..., opener=private_opener)``: a new file is created 0600, not by the umask."""
    return os.open(path, flags, 0o600)


class FfmpegProcess:
    """One ffmpeg run with stderr in a log file; raises typed errors on failure."""

    def __init__(
        self, args: list[str], log_path: Path, *, stdin: bool, folder: Path, pass_fds: tuple[int, ...] = ()
    ) -> None:
        self.args = args
        self.log_path = log_path
        self.folder = folder
        self._log: IO[bytes] = open(log_path, "wb", opener=private_opener)  # noqa: SIM115 - closed in wait()/abort()
        try:
            self.proc = subprocess.Popen(
                args,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                pass_fds=pass_fds,
                **PRIVATE_FILES,
            )
        except OSError as exc:
            self._log.close()
            raise EncoderFailed(f"ffmpeg could not be started: {exc}") from exc

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.proc.pid

    def write(self, data: bytes | memoryview) -> None:
        """Send bytes to stdin; a broken pipe becomes a diagnosed MediaError."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(data)
        except OSError as exc:  # BrokenPipeError, or EPIPE/ENOSPC from the pipe
            raise self.diagnose("ffmpeg stopped reading its input", exc) from exc

    def finish(self, timeout: float) -> None:
        """Close stdin and wait for a clean exit; MediaError when it did not end well."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.abort()
            raise EncoderFailed(f"ffmpeg did not finish within {timeout:.0f} s", self.tail()) from None
        self._log.close()
        if rc != 0:
            raise self.diagnose(f"ffmpeg exited with status {rc}")
        said = self.tail()
        if any(mark in said for mark in WRITE_FAILED):
            # ffmpeg 5.x exits 0 when the disk fills while it writes the index: its log tells.
            raise self.diagnose("ffmpeg could not write the whole clip")

    def abort(self) -> None:
        """Stop it now: close stdin, wait briefly, then terminate, then kill; always reap."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        for step in (None, "terminate", "kill"):
            if step == "terminate":
                self.proc.terminate()
            elif step == "kill":
                self.proc.kill()
            try:
                self.proc.wait(0.5 if step != "kill" else 5.0)
                break
            except subprocess.TimeoutExpired:
                continue
        self._log.close()

    def tail(self, size: int = 2000) -> str:
        """The end of ffmpeg's messages."""
        try:
            data = self.log_path.read_bytes()[-size:]
        except OSError:
            return ""
        return data.decode("utf-8", "replace")

    def diagnose(self, what: str, exc: BaseException | None = None) -> MediaError:
        """Which failure it was: a file-size limit, a full disk, or ffmpeg itself (with its last
        message, unless a signal killed it: then its log cannot tell why)."""
        rc: int | None = None
        try:
            rc = self.proc.wait(1.0)
            what = f"{what}, status {rc}" if "status" not in what else what
        except subprocess.TimeoutExpired:
            pass
        tail = self.tail()
        if (rc == -getattr(signal, "SIGXFSZ", 0) or any(m in tail for m in TOO_LARGE)
                or getattr(exc, "errno", None) == errno.EFBIG):
            return FileTooLarge(str(self.folder), file_size_limit())
        free: int | None
        try:
            free = shutil.disk_usage(self.folder).free
        except OSError:
            free = None
        no_space = any(m in tail for m in NO_SPACE) or getattr(exc, "errno", None) in (
            errno.ENOSPC, errno.EDQUOT)
        if no_space or (free is not None and free < LOW_SPACE):
            return DiskFull(str(self.folder), free)
        if rc is not None and rc < 0:
            name = _signal_name(-rc)
            error = EncoderFailed(f"{what.split(', status')[0]}: ffmpeg was killed by {name}")
            error.log_tail = tail  # kept for the log; its last line does not explain a signal
            return error
        return EncoderFailed(what, tail)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


__all__ = ["EncodeSettings", "FfmpegProcess", "live_command", "mux_command", "video_command"]
