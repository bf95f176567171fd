"""The preview's voice test: whether the last seconds of sound hold a voice the clip check would pass.

The same measures as the clip's -5013 and -5012 checks (WebRTC VAD speech frames, their active
level, the noise floor, the SNR; :mod:`kiosk.checks.audio`) and the same limits
(:mod:`kiosk.checks.thresholds`, read at each call so the operator's overrides apply), on a short
rolling window instead of the whole clip, so the preview predicts what the clip will get.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kiosk.checks import thresholds as lim
from kiosk.checks.audio import FRAME_MS, VAD_RATE, frame_powers, power_to_dbfs, speech_mask, to_mono

# What the judge says of a window, from worst to done.
SILENT, QUIET, NOISY, PASSED = "silent", "quiet", "noisy", "passed"


@dataclass(frozen=True)
class VoiceHeard:
    """One window's verdict (``state``) and the measures behind it."""

    state: str  # SILENT (no voice heard), QUIET, NOISY or PASSED
    speech_seconds: float
    active_dbfs: float | None  # level of the speech frames; None when none was heard
    noise_dbfs: float
    snr_db: float | None  # speech over the noise floor; None when no speech was heard

    @property
    def passed(self) -> bool:
        """A voice loud and clear enough for the clip's -5013 and -5012 checks."""
        return self.state == PASSED


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float samples at the VAD's 16 kHz from any rate (averaged at whole multiples of it)."""
    mono = to_mono(samples)
    if rate == VAD_RATE or mono.size == 0:
        return mono
    step = rate / VAD_RATE
    if step.is_integer():  # 32 or 48 kHz: the mean of each step's samples (a box filter: little aliasing)
        k = int(step)
        return np.asarray(mono[: mono.size // k * k].reshape(-1, k).mean(axis=1))
    count = int(mono.size / step)
    return np.interp(np.arange(count) * step, np.arange(mono.size), mono)


def judge_voice(samples: np.ndarray, rate: int) -> VoiceHeard:
    """Whether ``samples`` (the last seconds of the microphone) hold a voice the clip would pass.

    Passed: at least VOICE_TEST_SPEECH_S of VAD speech whose active level would not make the clip
    "rather quiet" (-5013 warn) and whose SNR would not make it "rather noisy" (-5012 warn).
    Otherwise the most useful thing to change: a loud room (NOISY), a voice heard but too quiet
    (QUIET), or no voice at all (SILENT).
    """
    mono = to_16k(samples, rate)
    powers = frame_powers(mono, VAD_RATE)
    if powers.size == 0:
        return VoiceHeard(SILENT, 0.0, None, lim.VOICE_FLOOR_DBFS, None)
    mask = speech_mask(mono)[: powers.size]
    noise_power = float(np.percentile(powers, lim.NOISE_PERCENTILE))
    noise = power_to_dbfs(noise_power)
    speech = float(mask.sum()) * FRAME_MS / 1000
    active = snr = None
    if mask.any():
        active_power = float(powers[mask].mean())
        active = power_to_dbfs(active_power)
        floor = 10 ** (lim.VOICE_FLOOR_DBFS / 10)
        snr = 10 * math.log10(max(active_power - noise_power, floor) / max(noise_power, floor))
    heard = speech >= lim.VOICE_TEST_SPEECH_S and active is not None and snr is not None
    loud = heard and active is not None and active >= lim.LOUDNESS_WARN_LUFS + lim.VOICE_TEST_LUFS_GAP_DB
    clear = heard and snr is not None and snr >= lim.SNR_WARN_DB
    if loud and clear:
        state = PASSED
    elif noise > lim.NOISE_BLOCK_DBFS or (heard and not clear):
        state = NOISY
    elif heard:
        state = QUIET
    else:
        state = SILENT
    return VoiceHeard(state, speech, active, noise, snr)


__all__ = ["NOISY", "PASSED", "QUIET", "SILENT", "VoiceHeard", "judge_voice", "to_16k"]
