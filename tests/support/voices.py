"""Test sounds for the voice test, at 16 kHz: espeak-ng's "你好" at a known level, pink noise, hum.

Made in memory on demand (espeak-ng writes its WAV to stdout); nothing is written to disk.
"""

from __future__ import annotations

import functools
import io
import subprocess

import numpy as np
import soundfile

from kiosk.checks.audio import VAD_RATE, frame_powers, speech_mask
from kiosk.checks.voice_test import to_16k


@functools.cache
def _espeak(text: str) -> np.ndarray:
    wav = subprocess.run(["espeak-ng", "-v", "cmn", "--stdout", text], capture_output=True,
                         check=True, timeout=30).stdout
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="float64")
    return to_16k(samples, rate)


def speech(active_dbfs: float, text: str = "你好") -> np.ndarray:
    """espeak-ng's Mandarin voice saying ``text``, its speech frames (VAD) at ``active_dbfs``."""
    x = _espeak(text)
    powers = frame_powers(x, VAD_RATE)
    active = float(powers[speech_mask(x)[: powers.size]].mean())
    return np.asarray(x * 10 ** ((active_dbfs - 10 * np.log10(active)) / 20))


def pink(seconds: float, rms_dbfs: float, seed: int = 0) -> np.ndarray:
    """Pink noise (1/f power) at ``rms_dbfs``, like sox's ``synth pinknoise``."""
    n = round(seconds * VAD_RATE)
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    k = np.arange(spectrum.size)
    k[0] = 1
    x = np.fft.irfft(spectrum / np.sqrt(k), n)
    return np.asarray(x * 10 ** (rms_dbfs / 20) / np.sqrt(np.mean(x * x)))


def hum(seconds: float, rms_dbfs: float, mains: float = 50.0) -> np.ndarray:
    """Mains hum: ``mains`` Hz and its first harmonics, at ``rms_dbfs``."""
    t = np.arange(round(seconds * VAD_RATE)) / VAD_RATE
    x = sum(np.sin(2 * np.pi * mains * k * t) / k for k in range(1, 6))
    return np.asarray(x * 10 ** (rms_dbfs / 20) / np.sqrt(np.mean(x * x)))


def silence(seconds: float) -> np.ndarray:
    """Digital silence."""
    return np.zeros(round(seconds * VAD_RATE))


def track(seconds: float, *parts: tuple[float, np.ndarray]) -> np.ndarray:
    """``seconds`` of silence with each (start second, sound) part added in."""
    out = silence(seconds)
    for at, sound in parts:
        i = round(at * VAD_RATE)
        n = min(sound.size, out.size - i)
        out[i:i + n] += sound[:n]
    return out
