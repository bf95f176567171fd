"""A clip's two parts (the checks, the frames) joined in the service's order of refusals."""

from __future__ import annotations

import pytest

from kiosk.emulator.analysis import MIN_USABLE_FRAMES, ChecksPart, FramesPart, live_verdict

PASSED = ChecksPart(None, has_audio=True)
ENOUGH = FramesPart(usable=MIN_USABLE_FRAMES, sampled=10)


@pytest.mark.parametrize(("checks", "frames", "code", "words"), [
    # The checks' refusal comes first, whatever the frames say.
    (ChecksPart((-5013, "too quiet")), FramesPart(unreadable="broken"), -5013, "too quiet"),
    (ChecksPart((-5001, "the video is not valid: x")), FramesPart(), -5001, "not valid"),
    (PASSED, FramesPart(unreadable="no decodable video frame"), -5001, "no decodable"),
    # Too few usable frames before the sound's verdicts.
    (ChecksPart(None, has_audio=False),
     FramesPart(usable=MIN_USABLE_FRAMES - 1, sampled=10), -5005, "2 of 10"),
    (ChecksPart(None, has_audio=False), ENOUGH, -5007, "no sound"),
    (ChecksPart(None, has_audio=True, speech_reason="one unbroken stretch"), ENOUGH, -5008,
     "one unbroken stretch"),
    (PASSED, ENOUGH, 0, "OK"),
])
def test_the_first_failure_in_the_services_order_decides(
        checks: ChecksPart, frames: FramesPart, code: int, words: str) -> None:
    got_code, message = live_verdict(checks, frames)
    assert got_code == code
    assert words in message
