"""A microphone through a fake PortAudio: absent, timestamps from the sample count, lost."""

from __future__ import annotations

import pytest

from kiosk.media.errors import MicrophoneAbsent, MicrophoneLost
from kiosk.media.microphone import MicrophoneSource, device_arg
from tests.unit.media.fakes import FakeSoundDevice


class Clock:
    def __init__(self) -> None:
        self.t = 50.0

    def __call__(self) -> float:
        return self.t


def test_a_device_that_will_not_open_is_microphone_absent_with_the_reason() -> None:
    sd = FakeSoundDevice(fail_open="Error querying device -1")
    with pytest.raises(MicrophoneAbsent) as err:
        MicrophoneSource("default", backend=sd).start()
    assert "Error querying device -1" in err.value.en
    assert "synthetic" in err.value.fix_en and "synthetic" in err.value.fix_zh


def test_blocks_are_stamped_from_the_start_time_and_the_sample_count() -> None:
    clock, sd = Clock(), FakeSoundDevice()
    mic = MicrophoneSource("USB Mic", rate=16000, clock=clock, backend=sd)
    mic.start()
    stream = sd.streams[0]
    assert stream.device == "USB Mic" and stream.started and stream.blocksize == 320
    stream.push(320)
    stream.push(320)
    clock.t += 0.04  # both blocks were heard by now: no drift
    a, b = mic.read(0.1), mic.read(0.1)
    assert a is not None and b is not None
    assert (a.ts, b.ts) == (50.0, 50.0 + 320 / 16000)


def test_lost_samples_re_anchor_the_count_so_sound_never_drifts_behind() -> None:
    clock, sd = Clock(), FakeSoundDevice()
    mic = MicrophoneSource(rate=16000, clock=clock, backend=sd)
    mic.start()
    sd.streams[0].push(320)
    clock.t += 1.0  # the next block comes a second later: the samples between were lost
    mic.read(0.1)
    sd.streams[0].push(320)
    block = mic.read(0.1)
    assert block is not None
    assert abs(block.ts + 320 / 16000 - clock.t) < 0.01  # stamped when heard, not 20 ms after start


def test_a_reader_that_is_late_does_not_shift_the_sound() -> None:
    clock, sd = Clock(), FakeSoundDevice()
    mic = MicrophoneSource(rate=16000, clock=clock, backend=sd)
    mic.start()
    sd.streams[0].push(320)
    clock.t += 0.02
    sd.streams[0].push(320)
    clock.t += 0.5  # the capture thread was busy; both blocks waited in the queue
    a, b = mic.read(0.1), mic.read(0.1)
    assert a is not None and b is not None
    assert (a.ts, b.ts) == (50.0, 50.02)


def test_no_block_in_time_is_microphone_lost_and_stop_closes_the_stream() -> None:
    sd = FakeSoundDevice()
    mic = MicrophoneSource(backend=sd)
    mic.start()
    with pytest.raises(MicrophoneLost):
        mic.read(timeout=0.05)
    mic.stop()
    assert sd.streams[0].stopped and sd.streams[0].closed


@pytest.mark.parametrize("spec, arg", [("default", None), ("", None), ("3", 3), ("USB", "USB")])
def test_device_argument_from_spec(spec: str, arg: object) -> None:
    assert device_arg(spec) == arg
