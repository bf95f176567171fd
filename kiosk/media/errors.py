"""Typed capture and encoding failures, each with a message in English and Chinese and a fix.

    MediaError (kiosk.errors)
    ├── SourceSpecError       the spec string names no known kind of source
    ├── MediaFileError        a file: source is missing, unreadable or lacks the track asked for
    ├── CameraAbsent          no camera at that index/path
    ├── CameraBusy            the camera exists but would not open in time (held by another program)
    ├── CameraLost            the camera stopped delivering new frames
    ├── MicrophoneAbsent      no microphone, no PortAudio library, or the device would not open
    ├── MicrophoneLost        the microphone stopped delivering sound
    │   └── MicrophoneFault   its stream was removed, moved, lost its server, or went silent
    ├── FfmpegMissing         no ffmpeg on PATH and none from imageio-ffmpeg
    ├── EncoderFailed         ffmpeg exited early or failed; carries the end of its log
    ├── DiskFull              no space left where the clip is written
    ├── FileTooLarge          the process's file-size limit (RLIMIT_FSIZE) stopped the clip
    └── OutputUnwritable      the clip's folder is missing or not writable
"""

# ruff: noqa: N818 - the hierarchy names what happened (CameraLost), as kiosk.errors does

from __future__ import annotations

from types import SimpleNamespace

from kiosk.errors import MediaError
from kiosk.media import messages
from kiosk.texts import Message


class SourceSpecError(MediaError):
    """The spec string names no known source."""

    def __init__(self, spec: str, kind: str) -> None:
        label = messages.VIDEO_SOURCE if kind == "video" else messages.AUDIO_SOURCE
        super().__init__(messages.SOURCE_NOT_UNDERSTOOD(kind=label(), spec=spec))


class MediaFileError(MediaError):
    """A file: source cannot be played; ``why`` says why in both languages (``.en``, ``.zh``)."""

    def __init__(self, path: str, why: Message | SimpleNamespace) -> None:
        super().__init__(messages.CANNOT_PLAY(path=path, why=why))


class CameraAbsent(MediaError):
    """No camera at the given index or path."""

    def __init__(self, spec: str) -> None:
        super().__init__(messages.NO_CAMERA(spec=spec))


class CameraBusy(MediaError):
    """The camera exists but did not open in time."""

    def __init__(self, spec: str, seconds: float) -> None:
        super().__init__(messages.CAMERA_BUSY(spec=spec, seconds=seconds))


class CameraLost(MediaError):
    """The camera stopped delivering new frames."""

    def __init__(self, spec: str, seconds: float) -> None:
        super().__init__(messages.CAMERA_LOST(spec=spec, seconds=seconds))


class MicrophoneAbsent(MediaError):
    """No microphone could be opened; ``detail`` is what PortAudio said, if anything."""

    def __init__(self, spec: str, detail: str = "") -> None:
        super().__init__(messages.NO_MICROPHONE_SAID(spec=spec, detail=detail) if detail
                         else messages.NO_MICROPHONE(spec=spec))


class MicrophoneLost(MediaError):
    """The microphone stopped delivering sound."""

    def __init__(self, spec: str, seconds: float) -> None:
        super().__init__(messages.MICROPHONE_LOST(spec=spec, seconds=seconds))


class MicrophoneFault(MicrophoneLost):
    """The microphone's stream failed while in use: ``what`` is gone, moved, server or silent."""

    def __init__(self, spec: str, what: str, device: str = "", seconds: float = 0.0) -> None:
        kinds = {"gone": messages.MIC_GONE, "moved": messages.MIC_MOVED,
                 "server": messages.MIC_SERVER, "silent": messages.MIC_SILENT}
        self.what, self.device = what, device or spec
        MediaError.__init__(self, messages.MICROPHONE_FAULT(
            spec=spec, device=self.device, what=kinds[what](seconds=seconds)))


class FfmpegMissing(MediaError):
    """No ffmpeg program could be found (or the one KIOSK_FFMPEG names is not there)."""

    def __init__(self, configured: str | None = None) -> None:
        super().__init__(messages.FFMPEG_NOT_EXECUTABLE(path=configured) if configured
                         else messages.FFMPEG_NOT_FOUND())


class EncoderFailed(MediaError):
    """ffmpeg failed; ``what`` says how (in English), ``log_tail`` holds the end of its messages."""

    def __init__(self, what: str, log_tail: str = "") -> None:
        tail = log_tail.strip().splitlines()[-1:] if log_tail.strip() else []
        super().__init__(messages.ENCODING_FAILED_SAID(what=what, said=tail[0]) if tail
                         else messages.ENCODING_FAILED(what=what))
        self.log_tail = log_tail


class DiskFull(MediaError):
    """No space left for the clip."""

    def __init__(self, folder: str, free_bytes: int | None = None) -> None:
        super().__init__(messages.DISK_FULL(folder=folder) if free_bytes is None
                         else messages.DISK_FULL_FREE(folder=folder, kib=free_bytes // 1024))


class FileTooLarge(MediaError):
    """The clip hit a file-size limit: ffmpeg died of SIGXFSZ, or a write failed with EFBIG."""

    def __init__(self, folder: str, limit_bytes: int | None = None) -> None:
        super().__init__(messages.FILE_SIZE_LIMIT(folder=folder) if limit_bytes is None
                         else messages.FILE_SIZE_LIMIT_OF(folder=folder, limit=limit_bytes))


def file_size_limit() -> int | None:
    """This process's soft RLIMIT_FSIZE in bytes (children inherit it); None when unlimited."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else int(soft)


class OutputUnwritable(MediaError):
    """The clip cannot be written where it was asked for (no such folder, no permission)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(messages.OUTPUT_UNWRITABLE(path=path, reason=reason))


__all__ = [
    "CameraAbsent",
    "CameraBusy",
    "CameraLost",
    "DiskFull",
    "EncoderFailed",
    "FfmpegMissing",
    "FileTooLarge",
    "MediaError",
    "MediaFileError",
    "MicrophoneAbsent",
    "MicrophoneFault",
    "MicrophoneLost",
    "OutputUnwritable",
    "SourceSpecError",
]
