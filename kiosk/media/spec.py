"""Spec strings to sources: ``0``/``1``/a device path/a camera name, ``default``/a microphone name
or index, ``file:PATH`` and ``synthetic``, the same strings in the CLI, the settings and tests."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.media.camera import CameraSource
from kiosk.media.errors import SourceSpecError
from kiosk.media.filesource import FileAudio, FileVideo
from kiosk.media.microphone import MicrophoneSource
from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo
from kiosk.media.types import AudioSource, VideoSource

FILE_PREFIX = "file:"


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
    if spec == "synthetic":
        return SyntheticVideo(width=width, height=height, fps=fps)
    if spec.startswith(FILE_PREFIX):
        return FileVideo(Path(spec[len(FILE_PREFIX):]).expanduser(), width=width, height=height)
    if not spec:
        raise SourceSpecError(spec, "video")
    return CameraSource(camera_device(spec), width=width, height=height, fps=fps)


def open_audio(spec: str, *, rate: int = 16000) -> AudioSource:
    """An audio source for ``spec`` (not started)."""
    spec = spec.strip()
    if spec == "synthetic":
        return SyntheticAudio(rate=rate)
    if spec.startswith(FILE_PREFIX):
        return FileAudio(Path(spec[len(FILE_PREFIX):]).expanduser(), rate=rate)
    return MicrophoneSource(spec or "default", rate=rate)


__all__ = ["open_audio", "open_video"]
