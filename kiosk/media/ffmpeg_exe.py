"""Where the ffmpeg program is: the system's on PATH first, else the one imageio-ffmpeg ships."""

from __future__ import annotations

import shutil

from kiosk.media.errors import FfmpegMissing


def find_ffmpeg() -> str:
    """The path of an ffmpeg program; FfmpegMissing when there is none.

    The system's build is preferred (distribution security updates, hardware encoders); the
    imageio-ffmpeg wheel's static build means ``pip install`` alone is enough elsewhere.
    """
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # noqa: BLE001 - missing package, or its binary is missing
        raise FfmpegMissing() from exc
    if not exe:
        raise FfmpegMissing()
    return str(exe)


__all__ = ["find_ffmpeg"]
