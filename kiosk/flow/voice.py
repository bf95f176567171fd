"""The preview's voice test on the flow's worker: the last seconds of sound judged a few times a
second, from the GUIDE step's start until a voice passes, then passed for the rest of the preview;
"failed" once the microphone failed (the preview says so instead of asking for a voice)."""

from __future__ import annotations

from kiosk.checks import thresholds as lim
from kiosk.checks.voice_test import PASSED, SILENT, judge_voice
from kiosk.flow.ports import CapturePort

# Judgements a second: a greeting is ~0.6 s and the window 2.5 s, so 4 a second hear every one
# of them whole; each costs ~0.3 ms (16 kHz) to ~1 ms (48 kHz) of the worker.
JUDGE_HZ = 4.0
# The microphone failed during the test (kiosk.media: removed, moved, its server gone, silent).
FAILED = "failed"


class VoiceTest:
    """Whether the person's voice was heard loud and clear; ``state`` is "" while no test runs."""

    def __init__(self) -> None:
        self.state = ""  # "", a kiosk.checks.voice_test state (silent, quiet, noisy, passed), FAILED
        self._started: float | None = None
        self._passed_at: float | None = None
        self._judged_at = float("-inf")

    def begin(self, now: float) -> None:
        """Start listening (the GUIDE step began); a test passed before stays passed."""
        if self.state not in (PASSED, FAILED):
            self.state, self._started, self._judged_at = SILENT, now, float("-inf")

    def fail(self) -> None:
        """The microphone failed: no voice can be heard from it any more."""
        self.state = FAILED

    @property
    def passed(self) -> bool:
        """A voice was heard that the clip's -5013 and -5012 checks would pass."""
        return self.state == PASSED

    def waited(self, now: float) -> float:
        """Seconds the test has listened without hearing a voice that passes."""
        if self._started is None:
            return 0.0
        end = self._passed_at if self._passed_at is not None else now
        return max(0.0, end - self._started)

    def update(self, capture: CapturePort, now: float) -> None:
        """Judge the capture's last sound when a judgement is due (never once passed)."""
        if self.state in ("", PASSED, FAILED) or now - self._judged_at < 1.0 / JUDGE_HZ:
            return
        self._judged_at = now
        samples, rate = capture.recent_sound(lim.VOICE_TEST_WINDOW_S)
        self.state = judge_voice(samples, rate).state
        if self.state == PASSED:
            self._passed_at = now


__all__ = ["FAILED", "JUDGE_HZ", "VoiceTest"]
