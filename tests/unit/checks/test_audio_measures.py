"""Sound measurements against signals of known level: dBFS, BS.1770 loudness, noise floor, VAD."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kiosk.checks import analyse_speech, loudness_lufs, noise_floor_dbfs, probe_clip, speech_mask
from kiosk.checks import thresholds as lim
from kiosk.checks.audio import peak_dbfs, to_mono
from tests.support.media import SAMPLE_CLIP

RATE = 16000


def tone(amplitude: float, seconds: float = 3.0, freq: float = 1000.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * math.pi * freq * t)


def test_bs1770_reads_a_1khz_sine_at_its_rms_level() -> None:
    # ITU-R BS.1770: a 0 dBFS 1 kHz sine in one channel reads -3.01 LKFS.
    assert loudness_lufs(tone(1.0), RATE) == pytest.approx(-3.01, abs=0.1)
    assert loudness_lufs(tone(0.1), RATE) == pytest.approx(-23.01, abs=0.1)


def test_loudness_of_too_short_or_silent_audio_is_the_floor() -> None:
    assert loudness_lufs(tone(0.5, seconds=0.3), RATE) == lim.VOICE_FLOOR_DBFS
    assert loudness_lufs(np.zeros(RATE * 2), RATE) == lim.VOICE_FLOOR_DBFS


def test_noise_floor_is_the_quiet_part_not_the_average() -> None:
    signal = np.concatenate([tone(0.5, 4.0), tone(0.001, 1.0)])
    assert noise_floor_dbfs(signal, RATE) == pytest.approx(20 * math.log10(0.001 / math.sqrt(2)),
                                                           abs=0.5)
    assert peak_dbfs(signal) == pytest.approx(20 * math.log10(0.5), abs=0.01)


def test_int16_and_stereo_input_become_mono_floats() -> None:
    pcm = np.array([[16384, -16384], [32767, 32767]], dtype=np.int16)
    mono = to_mono(pcm)
    assert mono.dtype == np.float64
    assert mono.tolist() == pytest.approx([0.0, 32767 / 32768])


def test_vad_hears_nothing_in_silence_and_the_digits_in_the_sample() -> None:
    assert not speech_mask(np.zeros(RATE)).any()
    audio = probe_clip(SAMPLE_CLIP).audio16k
    mask = speech_mask(audio)
    frame_s = 0.03
    settled = mask[int(0.15 / frame_s) :]  # WebRTC's VAD calls its first few frames speech
    first = (float(np.argmax(settled)) + int(0.15 / frame_s)) * frame_s
    assert first == pytest.approx(0.8, abs=0.1)  # make_samples.py starts the voice at 0.8 s


def test_the_sample_measures_as_it_was_made() -> None:
    # make_samples.py: active speech -22 dBFS over pink room noise at -58 dBFS RMS.
    stats = analyse_speech(probe_clip(SAMPLE_CLIP).audio16k)
    assert stats.active_dbfs == pytest.approx(-22.0, abs=1.5)
    assert stats.noise_dbfs == pytest.approx(-60.0, abs=3.0)  # the quietest tenth of the noise
    assert stats.snr_db is not None and stats.snr_db > lim.SNR_WARN_DB
    assert stats.seconds == pytest.approx(5.0, abs=0.1)
    assert 2.0 < stats.speech_seconds < 4.5


def test_no_speech_means_no_snr() -> None:
    stats = analyse_speech(np.zeros(RATE * 2, np.float32))
    assert (stats.snr_db, stats.active_dbfs, stats.speech_seconds) == (None, None, 0.0)
    assert stats.noise_dbfs == lim.VOICE_FLOOR_DBFS
