"""Where the ffmpeg program is: ``KIOSK_FFMPEG`` if set, the system's on PATH, else imageio-ffmpeg's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

from kiosk.media.errors import FfmpegMissing

ENV_VAR = "KIOSK_FFMPEG"


def find_ffmpeg(env: Mapping[str, str] | None = None) -> str:
    """The path of an ffmpeg program; FfmpegMissing when there is none.

    An explicit ``KIOSK_FFMPEG`` wins (a site's own build, or a test's stand-in) and is never
    silently replaced by another. The system's build is preferred next (distribution security
    updates, hardware encoders); the imageio-ffmpeg wheel's static build means ``pip install``
    alone is enough elsewhere.
    """
    env = os.environ if env is None else env
    chosen = env.get(ENV_VAR, "").strip()
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise FfmpegMissing(configured=chosen)
        return found
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


__all__ = ["ENV_VAR", "find_ffmpeg"]
