"""Does a clip's voice look like four spoken digits? Speech activity only, no transcription.

The service transcribes the digits and refuses with -5008 when they are not recognised; the
emulator does not transcribe, so it checks what it can measure with WebRTC VAD: enough voiced
time for four digits, in stretches short enough to be words (a held tone, music or an unbroken
stretch of talk is not four digits). The digits themselves are never compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.checks.audio import FRAME_MS, speech_mask

# A voiced stretch shorter than this is a click, a breath or the encoder's start, not a word.
MIN_SEGMENT_S = 0.12
# Pauses shorter than this join two stretches into one (digits read at an even pace leave
# 0.2-0.5 s between them; syllables inside one digit leave less).
MERGE_GAP_S = 0.15
# Four Mandarin digits read slowly take 1.5-3 s of voice; 0.8 s is four digits read fast.
MIN_VOICED_S = 0.8
# No digit is read as one unbroken 3 s stretch.
MAX_SEGMENT_S = 3.0
# Four digits, with each perhaps split in two by a plosive: more stretches than this is talk.
MAX_SEGMENTS = 12


@dataclass(frozen=True)
class SpeechActivity:
    """Voiced stretches (start, end) in seconds, and the verdict against four spoken digits."""

    segments: tuple[tuple[float, float], ...]
    voiced_s: float
    reason: str  # empty when it looks like four digits

    @property
    def looks_like_digits(self) -> bool:
        return not self.reason


def voiced_segments(samples16k: np.ndarray) -> list[tuple[float, float]]:
    """Voiced stretches of 16 kHz mono audio, after joining short pauses and dropping blips.

    The per-frame verdicts are the kiosk checks' own (``speech_mask``, same VAD and mode), so
    the kiosk and the emulator hear the same speech.
    """
    mask = speech_mask(samples16k)
    frame_s = FRAME_MS / 1000
    raw: list[tuple[float, float]] = []
    start: float | None = None
    for i, voiced in enumerate(mask):
        if voiced and start is None:
            start = i * frame_s
        elif not voiced and start is not None:
            raw.append((start, i * frame_s))
            start = None
    if start is not None:
        raw.append((start, len(mask) * frame_s))
    merged: list[tuple[float, float]] = []
    for seg in raw:
        if merged and seg[0] - merged[-1][1] <= MERGE_GAP_S:
            merged[-1] = (merged[-1][0], seg[1])
        else:
            merged.append(seg)
    return [(round(a, 3), round(b, 3)) for a, b in merged if b - a >= MIN_SEGMENT_S]


def speech_activity(samples16k: np.ndarray) -> SpeechActivity:
    """Measure speech activity and judge it against four spoken digits."""
    segments = voiced_segments(samples16k)
    voiced = round(sum(b - a for a, b in segments), 3)
    longest = max((b - a for a, b in segments), default=0.0)
    if voiced < MIN_VOICED_S:
        reason = f"{voiced:.2f} s of speech, four digits need at least {MIN_VOICED_S} s"
    elif longest > MAX_SEGMENT_S:
        reason = f"one unbroken voiced stretch of {longest:.1f} s is not four separate digits"
    elif len(segments) > MAX_SEGMENTS:
        reason = f"{len(segments)} separate stretches of speech, more than four digits make"
    else:
        reason = ""
    return SpeechActivity(tuple(segments), voiced, reason)
