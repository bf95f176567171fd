"""Capture.recent_sound: the last seconds of the microphone for the voice test, in memory only."""

from __future__ import annotations

import threading

import numpy as np

from kiosk.media import Capture
from kiosk.media.capture import SILENCE_DBFS, SOUND_MEMORY_S
from kiosk.media.errors import MicrophoneFault
from kiosk.media.types import AudioBlock
from tests.unit.media.fakes import CueVideo

RATE = 16000
BLOCK = 1600  # 0.1 s


class CountingAudio:
    """``seconds`` of sound whose samples count up, as fast as read, then the end."""

    def __init__(self, seconds: float) -> None:
        self.spec, self.rate = "counting", RATE
        self.samples = np.arange(round(seconds * RATE), dtype=np.float32)
        self.done = threading.Event()
        self._at = 0

    def start(self) -> None:
        pass

    def read(self, timeout: float = 1.0) -> AudioBlock | None:
        if self._at >= self.samples.size:
            self.done.set()
            return None
        block = self.samples[self._at:self._at + BLOCK]
        self._at += BLOCK
        return AudioBlock(block, self._at / RATE, RATE)

    def stop(self) -> None:
        pass


def test_the_last_seconds_are_kept_and_no_more_and_nothing_after_stop() -> None:
    audio = CountingAudio(seconds=10.0)
    cap = Capture(CueVideo(), audio)
    cap.start()
    try:
        assert audio.done.wait(5)
        last, rate = cap.recent_sound(2.5)
        assert rate == RATE
        assert np.array_equal(last, audio.samples[-round(2.5 * RATE):]), "the newest 2.5 s, in order"
        kept, _ = cap.recent_sound(60.0)
        assert SOUND_MEMORY_S * RATE <= kept.size < (SOUND_MEMORY_S + 0.1) * RATE + 1
    finally:
        cap.stop()
    assert cap.recent_sound()[0].size == 0, "the voice is dropped with the capture"


def test_without_a_microphone_there_is_no_sound() -> None:
    with Capture(CueVideo()) as cap:
        samples, rate = cap.recent_sound(2.5)
    assert samples.size == 0 and rate == RATE


class FailingAudio(CountingAudio):
    """Two seconds of loud sound, then the microphone is removed."""

    def read(self, timeout: float = 1.0) -> AudioBlock | None:
        if self._at >= self.samples.size:
            self.done.set()
            raise MicrophoneFault(self.spec, "gone", "USB Microphone")
        return super().read(timeout)


def test_a_failed_microphone_leaves_no_level_and_no_sound_behind() -> None:
    audio = FailingAudio(seconds=2.0)
    audio.samples[:] = 0.5
    cap = Capture(CueVideo(), audio)
    failed = threading.Event()
    cap.notify = lambda: cap.error is not None and failed.set()  # told after the failure too
    cap.start()
    try:
        assert failed.wait(5)
        assert isinstance(cap.error, MicrophoneFault)
        assert cap.level_dbfs() == SILENCE_DBFS, "the meter must not freeze on the last sound"
        assert cap.recent_sound(2.5)[0].size == 0, "the voice test judges nothing, not old sound"
    finally:
        cap.stop()
