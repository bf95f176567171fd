"""The synthetic source: flash and beep on the same whole seconds, times from the clock."""

from __future__ import annotations

import numpy as np

from kiosk.media.synthetic import BEEP_S, SyntheticAudio, SyntheticVideo


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.t += s


def test_video_frames_are_stamped_on_the_clock_grid_and_white_on_whole_seconds() -> None:
    clock = Clock(10.95)
    v = SyntheticVideo(width=64, height=48, clock=clock, sleep=clock.sleep)
    v.start()
    frames = [v.read() for _ in range(4)]
    ts = [f.ts for f in frames if f is not None]
    assert np.allclose(np.diff(ts), 1 / 30)
    white = [f.ts for f in frames if f is not None and f.image.min() == 255]
    assert white == [11.0]  # the frame starting second 11, and only it
    assert clock.t >= ts[-1]  # each frame was waited for, not delivered early


def test_video_that_fell_behind_skips_ahead_as_a_camera_drops_frames() -> None:
    clock = Clock(20.0)
    v = SyntheticVideo(width=64, height=48, clock=clock, sleep=clock.sleep)
    v.start()
    v.read()
    clock.t += 0.5  # the reader was busy for half a second
    f = v.read()
    assert f is not None and f.ts >= 20.5 - 1 / 30


def test_beep_starts_on_whole_seconds_and_lasts_beep_s() -> None:
    a = SyntheticAudio(rate=16000, realtime=False)
    s = a.samples(16000 * 5 - 800, 3200)  # 50 ms before second 5 to 150 ms after
    loud = np.flatnonzero(np.abs(s) > 0.2)
    assert abs(loud[0] - 800) <= 2  # onset within a few samples (a sine starts at 0)
    assert abs((loud[-1] - loud[0]) / 16000 - BEEP_S) < 0.002


def test_audio_blocks_are_stamped_by_sample_count_and_delivered_once_heard() -> None:
    clock = Clock(7.0)
    a = SyntheticAudio(rate=16000, clock=clock, sleep=clock.sleep)
    a.start()
    b1, b2 = a.read(), a.read()
    assert b1 is not None and b2 is not None
    assert b1.ts == 7.0 and abs(b2.ts - (7.0 + len(b1.samples) / 16000)) < 1e-9
    assert clock.t >= b2.ts + len(b2.samples) / 16000 - 1e-9
