"""Spec strings to sources: ``0``/``1``/a device path/a camera name, ``default``/a microphone name
or index, ``file:PATH`` and ``synthetic``, the same strings in the CLI, the settings and tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from kiosk.media.camera import CameraSource
from kiosk.media.errors import SourceSpecError
from kiosk.media.filesource import FileAudio, FileVideo
from kiosk.media.microphone import MicrophoneSource
from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo
from kiosk.media.types import AudioSource, VideoSource

FILE_PREFIX = "file:"
SYNTHETIC = "synthetic"
DEFAULT_MIC = "default"


class Sources(NamedTuple):
    """The camera and microphone specs to open."""

    camera: str
    mic: str


def is_played(spec: str) -> bool:
    """True for a ``file:`` or ``synthetic`` source: played, not a device."""
    spec = spec.strip()
    return spec == SYNTHETIC or spec.startswith(FILE_PREFIX)


def resolve_sources(camera: str, mic: str | None = None, *, fallback_mic: str = DEFAULT_MIC) -> Sources:
    """The sources every command and the GUI record from.

    ``mic`` is the microphone someone chose for this run (a flag, the GUI's option) and is always
    honoured, ``default`` too. Left unchosen (None or empty), a file: or synthetic camera brings
    its own sound (the file's track, the synthetic tone), so picture and voice stay in step and a
    test source needs no microphone; a device camera takes ``fallback_mic`` (the mic setting).
    """
    camera = camera.strip()
    if mic and mic.strip():
        return Sources(camera, mic.strip())
    if is_played(camera):
        return Sources(camera, camera)
    return Sources(camera, fallback_mic.strip() or DEFAULT_MIC)


def camera_device(spec: str) -> int | str:
    """The OpenCV device for a camera spec: an index, a device path, or the path of a named camera."""
    if spec.isdigit():
        return int(spec)
    if spec.startswith(("/", "\\\\")) or os.path.exists(spec):
        return spec
    from kiosk.media.devices import list_cameras  # only for names: scanning costs a little

    for cam in list_cameras(probe_sizes=False):
        if spec.lower() in (cam.name.lower(), cam.by_id.lower() if cam.by_id else ""):
            return cam.path
    raise SourceSpecError(spec, "video")


def open_video(spec: str, *, width: int = 640, height: int = 480, fps: float = 30.0) -> VideoSource:
    """A video source for ``spec`` (not started)."""
    spec = spec.strip()
    if spec == SYNTHETIC:
        return SyntheticVideo(width=width, height=height, fps=fps)
    if spec.startswith(FILE_PREFIX):
        return FileVideo(Path(spec[len(FILE_PREFIX):]).expanduser(), width=width, height=height)
    if not spec:
        raise SourceSpecError(spec, "video")
    return CameraSource(camera_device(spec), width=width, height=height, fps=fps)


def open_audio(spec: str, *, rate: int = 16000) -> AudioSource:
    """An audio source for ``spec`` (not started)."""
    spec = spec.strip()
    if spec == SYNTHETIC:
        return SyntheticAudio(rate=rate)
    if spec.startswith(FILE_PREFIX):
        return FileAudio(Path(spec[len(FILE_PREFIX):]).expanduser(), rate=rate)
    return MicrophoneSource(spec or DEFAULT_MIC, rate=rate)


__all__ = ["Sources", "is_played", "open_audio", "open_video", "resolve_sources"]
