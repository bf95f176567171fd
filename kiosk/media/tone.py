"""The short tone that says "recording now": the same sound on every system, made here.

A system beep differs from machine to machine (or is silent); this tone is generated: 880 Hz for
0.15 s at -12 dBFS with 10 ms fades (no click), played through PortAudio's default output without
blocking. A machine with no output device plays nothing, and says so once in the log; the
recording never waits for it.
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

import numpy as np

log = logging.getLogger("kiosk.media")

RATE = 48_000
FREQUENCY_HZ = 880.0
SECONDS = 0.15
LEVEL_DBFS = -12.0
FADE_S = 0.010
_warned = False


def start_tone(rate: int = RATE) -> np.ndarray:
    """The tone's samples: float32 mono in [-1, 1]."""
    n = round(SECONDS * rate)
    t = np.arange(n, dtype=np.float64) / rate
    wave = np.sin(2 * np.pi * FREQUENCY_HZ * t) * 10 ** (LEVEL_DBFS / 20)
    fade = min(n // 2, round(FADE_S * rate))
    ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
    wave[:fade] *= ramp
    wave[n - fade:] *= ramp[::-1]
    return wave.astype(np.float32)


def play_start_tone(backend: ModuleType | Any | None = None) -> bool:
    """Play the tone without waiting; False when there is no way to play it (logged once)."""
    global _warned
    try:
        if backend is None:
            from kiosk.media.microphone import load_sounddevice

            backend = load_sounddevice()
        backend.play(start_tone(), RATE, blocking=False)
    except Exception as exc:  # no output device, no PortAudio: the recording goes on silently
        if not _warned:
            log.warning("the recording tone cannot be played (%s: %s)", type(exc).__name__, exc)
            _warned = True
        return False
    return True


__all__ = ["FREQUENCY_HZ", "RATE", "SECONDS", "play_start_tone", "start_tone"]
