"""The preview's voice test: a greeting loud and clear passes; noise, hum, silence and a quiet voice
do not, by the same limits as the clip's -5013 and -5012 checks."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from kiosk.checks import thresholds as lim
from kiosk.checks.voice_test import NOISY, PASSED, QUIET, SILENT, judge_voice, to_16k
from tests.support.voices import hum, pink, silence, speech, track

SAMPLE = Path(__file__).resolve().parents[3] / "assets" / "sample_clip.mp4"
WINDOW = lim.VOICE_TEST_WINDOW_S


def hello(active_dbfs: float, noise: np.ndarray | None = None) -> np.ndarray:
    """A window with "你好" half a second in, over ``noise`` (none: silence)."""
    room = silence(WINDOW) if noise is None else noise
    return track(WINDOW, (0.0, room), (0.5, speech(active_dbfs)))


@pytest.mark.parametrize("level", [-16.0, -22.0, -28.0, -30.0])
def test_a_greeting_at_a_good_level_passes(level: float) -> None:
    heard = judge_voice(hello(level), 16000)
    assert heard.passed and heard.state == PASSED
    assert heard.speech_seconds >= lim.VOICE_TEST_SPEECH_S
    assert heard.active_dbfs == pytest.approx(level, abs=0.5)


@pytest.mark.parametrize("level", [-32.0, -40.0, -46.0])
def test_a_greeting_the_clip_check_would_call_quiet_does_not_pass(level: float) -> None:
    # -5013 warns under -32 LUFS; a voice reads ~1 LU under its active level.
    assert judge_voice(hello(level), 16000).state == QUIET


@pytest.mark.parametrize("rms", [-65.0, -55.0, -45.0])
def test_pink_noise_in_a_quiet_room_is_no_voice(rms: float) -> None:
    heard = judge_voice(pink(WINDOW, rms), 16000)
    assert heard.state == SILENT and heard.speech_seconds < lim.VOICE_TEST_SPEECH_S


@pytest.mark.parametrize("rms", [-35.0, -30.0, -20.0])
def test_loud_pink_noise_is_too_noisy_even_where_the_vad_calls_it_speech(rms: float) -> None:
    heard = judge_voice(pink(WINDOW, rms), 16000)
    assert heard.state == NOISY and not heard.passed


@pytest.mark.parametrize("rms", [-40.0, -30.0, -20.0])
def test_mains_hum_does_not_pass(rms: float) -> None:
    assert not judge_voice(hum(WINDOW, rms), 16000).passed


def test_silence_and_nothing_at_all_are_no_voice() -> None:
    assert judge_voice(silence(WINDOW), 16000).state == SILENT
    assert judge_voice(np.zeros(0), 16000).state == SILENT


def test_the_snr_limit_is_the_clip_checks_warn_limit() -> None:
    # Calibration (thresholds.py): voice at -22 dBFS over noise at -37 passes, at -34 warns.
    assert judge_voice(hello(-22.0, pink(WINDOW, -37.0, seed=1)), 16000).passed
    over = judge_voice(hello(-22.0, pink(WINDOW, -34.0, seed=1)), 16000)
    assert over.state == NOISY and over.snr_db is not None and over.snr_db < lim.SNR_WARN_DB


def test_the_limits_follow_the_operators_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lim, "LOUDNESS_WARN_LUFS", -40.0)
    assert judge_voice(hello(-36.0), 16000).passed
    monkeypatch.setattr(lim, "VOICE_TEST_SPEECH_S", 2.0)
    assert judge_voice(hello(-22.0), 16000).state == SILENT


def _sample_audio() -> tuple[np.ndarray, int]:
    with av.open(str(SAMPLE)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        blocks = [f.to_ndarray().mean(axis=0) for f in container.decode(stream)]
    return np.concatenate(blocks), rate


def test_the_sample_clips_voice_passes_at_its_own_rate_and_resampled() -> None:
    samples, rate = _sample_audio()
    window = samples[: round(WINDOW * rate)]
    assert judge_voice(window, rate).passed
    assert judge_voice(np.repeat(to_16k(window, rate), 3), 48000).passed


def test_resampling_keeps_the_level_and_the_length() -> None:
    for rate in (48000, 44100, 22050, 16000):
        y = to_16k(np.sin(2 * np.pi * 440 * np.arange(rate) / rate), rate)  # one second
        assert abs(y.size - 16000) <= 1
        assert 10 * np.log10(np.mean(y * y)) == pytest.approx(-3.01, abs=0.3)  # a full-scale sine
