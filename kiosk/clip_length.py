"""How long a recorded clip is: one range for the settings, the command-line flags and the recorder.

3-10 s: the four digits read at an easy pace with time either side, well inside the 2-20 s the
local clip checks accept (kiosk.checks.thresholds), and a 10 s clip stays far under the service's
6 MB body. This module imports nothing, so the settings, the command line and kiosk.media share it.
"""

from __future__ import annotations

MIN_CLIP_SECONDS = 3
MAX_CLIP_SECONDS = 10
DEFAULT_CLIP_SECONDS = 5
CLIP_SECONDS_RANGE = f"{MIN_CLIP_SECONDS}-{MAX_CLIP_SECONDS}"


def clip_seconds_ok(seconds: float) -> bool:
    """True when a clip may be this long (False for nan)."""
    return MIN_CLIP_SECONDS <= seconds <= MAX_CLIP_SECONDS


__all__ = ["CLIP_SECONDS_RANGE", "DEFAULT_CLIP_SECONDS", "MAX_CLIP_SECONDS", "MIN_CLIP_SECONDS",
           "clip_seconds_ok"]
