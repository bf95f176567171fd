"""Placing frames and sound on the recording's timeline by capture time."""

from __future__ import annotations

import numpy as np

from kiosk.media.timeline import FrameSlots, SampleAligner
from kiosk.media.types import AudioBlock, VideoFrame

FPS = 30.0


def frame(n: float, value: int) -> VideoFrame:
    return VideoFrame(np.full((2, 2, 3), value, np.uint8), 100.0 + n / FPS)


def values(images: list[np.ndarray]) -> list[int]:
    return [int(i[0, 0, 0]) for i in images]


def test_frames_on_time_fill_one_slot_each() -> None:
    slots = FrameSlots(FPS, total=3)
    out = [values(slots.place(frame(n, n))) for n in range(3)]
    assert out == [[0], [1], [2]]
    assert slots.done and slots.end == 100.0 + 3 / FPS


def test_missed_frames_repeat_the_last_picture_so_time_stays_true() -> None:
    slots = FrameSlots(FPS, total=10)
    slots.place(frame(0, 0))
    assert values(slots.place(frame(4, 4))) == [0, 0, 0, 4]  # slots 1-3 repeat frame 0
    assert slots.written == 5


def test_surplus_frames_for_a_written_slot_are_dropped() -> None:
    slots = FrameSlots(FPS, total=10)
    slots.place(frame(0, 0))
    slots.place(frame(1, 1))
    assert slots.place(frame(1.2, 9)) == []  # a second frame within slot 1
    assert values(slots.place(frame(2, 2))) == [2]


def test_nothing_written_past_the_total() -> None:
    slots = FrameSlots(FPS, total=2)
    slots.place(frame(0, 0))
    assert values(slots.place(frame(5, 5))) == [0]  # only slot 1 remains: a repeat
    assert slots.place(frame(6, 6)) == [] and slots.done


def block(start_s: float, count: int, value: float, rate: int = 1000) -> AudioBlock:
    return AudioBlock(np.full(count, value, np.float32), 100.0 + start_s, rate)


def test_sound_heard_before_the_first_frame_is_cut() -> None:
    al = SampleAligner(1000)
    assert al.place(block(-0.05, 100, 0.5)) == []  # held until t0 is known
    out = al.begin(100.0)
    assert sum(len(p) for p in out) == 50  # the 50 samples before t0 are gone
    assert al.written == 50


def test_sound_starting_late_is_preceded_by_silence() -> None:
    al = SampleAligner(1000)
    al.begin(100.0)
    parts = al.place(block(0.03, 10, 0.5))
    assert [len(p) for p in parts] == [30, 10]
    assert not parts[0].any() and parts[1].all()


def test_a_gap_in_the_sound_becomes_silence_not_a_shift() -> None:
    al = SampleAligner(1000)
    al.begin(100.0)
    al.place(block(0.0, 100, 0.5))
    parts = al.place(block(0.2, 100, 0.5))  # 100 samples lost in between
    assert [len(p) for p in parts] == [100, 100]
    assert al.written == 300


def test_small_clock_jitter_is_not_corrected() -> None:
    al = SampleAligner(1000, tolerance_s=0.005)
    al.begin(100.0)
    al.place(block(0.0, 100, 0.5))
    parts = al.place(block(0.103, 100, 0.5))  # 3 ms off: within tolerance, appended as is
    assert [len(p) for p in parts] == [100]


def test_limit_caps_the_sound_and_pad_to_fills_it() -> None:
    al = SampleAligner(1000)
    al.begin(100.0)
    al.limit = 150
    al.place(block(0.0, 100, 0.5))
    assert sum(len(p) for p in al.place(block(0.1, 100, 0.5))) == 50
    al.limit = None
    assert len(al.pad_to(200)) == 50 and al.written == 200
