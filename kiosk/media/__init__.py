"""Cameras, microphones, media files and synthetic sources; recording clips with ffmpeg.

The only package that calls ``cv2.VideoCapture``, ``sounddevice`` or starts ffmpeg::

    video, audio = open_video("synthetic"), open_audio("synthetic")
    with Capture(video, audio) as cap:
        clip = cap.record(Path("clip.mp4"), seconds=5.0).wait()
"""

from __future__ import annotations

from kiosk.media.capture import Capture
from kiosk.media.devices import CameraInfo, Devices, MicrophoneInfo, list_devices
from kiosk.media.errors import (
    CameraAbsent,
    CameraBusy,
    CameraLost,
    DiskFull,
    EncoderFailed,
    FfmpegMissing,
    MediaFileError,
    MicrophoneAbsent,
    MicrophoneLost,
    SourceSpecError,
)
from kiosk.media.ffmpeg_exe import find_ffmpeg
from kiosk.media.recorder import FORMATS, Recording
from kiosk.media.spec import Sources, is_played, open_audio, open_video, resolve_sources
from kiosk.media.types import AudioBlock, AudioSource, TempFolders, VideoFrame, VideoSource

__all__ = [
    "FORMATS",
    "AudioBlock",
    "AudioSource",
    "CameraAbsent",
    "CameraBusy",
    "CameraInfo",
    "CameraLost",
    "Capture",
    "Devices",
    "DiskFull",
    "EncoderFailed",
    "FfmpegMissing",
    "MediaFileError",
    "MicrophoneAbsent",
    "MicrophoneInfo",
    "MicrophoneLost",
    "Recording",
    "SourceSpecError",
    "Sources",
    "TempFolders",
    "VideoFrame",
    "VideoSource",
    "find_ffmpeg",
    "is_played",
    "list_devices",
    "open_audio",
    "open_video",
    "resolve_sources",
]
