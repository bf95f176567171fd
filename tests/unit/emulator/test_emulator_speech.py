"""The -5008 verdict from voiced stretches, and the distance-to-similarity mapping."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.emulator import speech
from kiosk.emulator.faces import similarity_of

FRAME_S = 0.03  # the checks' VAD frame (30 ms)


def mask_of(*stretches: tuple[float, float], total: float = 5.0) -> np.ndarray:
    """A per-frame VAD mask, voiced inside the given (start, end) seconds."""
    mask = np.zeros(round(total / FRAME_S), dtype=bool)
    for start, end in stretches:
        mask[round(start / FRAME_S):round(end / FRAME_S)] = True
    return mask


@pytest.fixture
def fake_vad(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """speech_mask replaced by whatever mask the test puts in the list."""
    masks: list[np.ndarray] = []
    monkeypatch.setattr(speech, "speech_mask", lambda samples: masks[-1])
    return masks


NO_AUDIO = np.zeros(16000 * 5, dtype=np.float32)  # ignored: the mask is the fake's


def test_four_digits_read_at_an_even_pace_pass(fake_vad: list[np.ndarray]) -> None:
    fake_vad.append(mask_of((0.81, 1.56), (1.89, 2.79), (3.12, 3.69), (4.08, 4.83)))
    result = speech.speech_activity(NO_AUDIO)
    assert result.looks_like_digits and len(result.segments) == 4
    assert result.voiced_s == pytest.approx(2.97, abs=0.1)


def test_short_pauses_join_and_blips_drop(fake_vad: list[np.ndarray]) -> None:
    # A 0.09 s pause inside a word joins it; a 0.06 s click on its own is dropped.
    fake_vad.append(mask_of((1.0, 1.3), (1.39, 1.8), (3.0, 3.06)))
    assert speech.voiced_segments(NO_AUDIO) == [(0.99, 1.8)]


@pytest.mark.parametrize(("stretches", "why"), [
    (((0.81, 1.41),), "four digits need at least"),  # one digit only
    (((0.3, 4.5),), "unbroken voiced stretch"),  # a held tone, music, talk without pause
    (tuple((0.2 + i * 0.35, 0.35 + i * 0.35) for i in range(13)), "separate stretches"),
])
def test_what_cannot_be_four_digits_is_refused(fake_vad: list[np.ndarray],
                                               stretches: tuple[tuple[float, float], ...],
                                               why: str) -> None:
    fake_vad.append(mask_of(*stretches))
    result = speech.speech_activity(NO_AUDIO)
    assert not result.looks_like_digits and why in result.reason


def test_silence_is_refused(fake_vad: list[np.ndarray]) -> None:
    fake_vad.append(mask_of())
    result = speech.speech_activity(NO_AUDIO)
    assert result.segments == () and "0.00 s of speech" in result.reason


def test_similarity_reads_70_and_80_stricter_than_dlibs_own_cut() -> None:
    assert similarity_of(0.52) == pytest.approx(70)
    assert similarity_of(0.44) == pytest.approx(80)
    assert similarity_of(0.6) < 70  # dlib's same-person cut does not pass at 70
    assert similarity_of(0.0) == 100 and similarity_of(2.0) == 0


def test_similarity_falls_as_distance_grows() -> None:
    values = [similarity_of(d) for d in np.linspace(0, 1.5, 151)]
    assert all(a >= b for a, b in zip(values, values[1:], strict=False))
    assert all(0 <= v <= 100 for v in values)
