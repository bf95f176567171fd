"""A microphone through a fake PortAudio: absent, stamps from the reported latency and the sample
count, warm-up, lost sound, digital silence, a lost stream."""

from __future__ import annotations

import pytest

from kiosk.media.errors import MicrophoneAbsent, MicrophoneFault, MicrophoneLost
from kiosk.media.microphone import MicrophoneSource, device_arg
from tests.unit.media.fakes import FakeSoundDevice

N = 320  # 20 ms at 16 kHz


class Clock:
    def __init__(self) -> None:
        self.t = 50.0

    def __call__(self) -> float:
        return self.t


def started(**kw: object) -> tuple[Clock, FakeSoundDevice, MicrophoneSource]:
    clock, sd = Clock(), FakeSoundDevice()
    mic = MicrophoneSource("USB Mic", rate=16000, clock=clock, backend=sd, **kw)  # type: ignore[arg-type]
    mic.start()
    clock.t += 0.5  # as a real stream: its first block comes some time after the start
    return clock, sd, mic


def feed(clock: Clock, sd: FakeSoundDevice, mic: MicrophoneSource, blocks: int,
         latency: float | None = None, value: float = 0.1) -> list[float]:
    """``blocks`` blocks, each arriving 20 ms after the last; their stamps."""
    out = []
    for _ in range(blocks):
        clock.t += N / 16000
        sd.streams[0].push(N, value, latency=latency)
        block = mic.read(0.1)
        assert block is not None
        out.append(block.ts)
    return out


def errors_once_ready(clock: Clock, sd: FakeSoundDevice, mic: MicrophoneSource,
                      latencies: list[float], real: float = 0.02) -> list[float]:
    """One block per reported latency; each stamp's error (against a real ``real`` s) once ready."""
    errors = []
    for latency in latencies:
        clock.t += N / 16000
        sd.streams[0].push(N, 0.1, latency=latency)
        block = mic.read(0.1)
        assert block is not None
        if mic.ready.is_set():
            errors.append(block.ts - (clock.t - real))
    return errors


def test_a_device_that_will_not_open_is_microphone_absent_with_the_reason() -> None:
    sd = FakeSoundDevice(fail_open="Error querying device -1")
    with pytest.raises(MicrophoneAbsent) as err:
        MicrophoneSource("default", backend=sd).start()
    assert "Error querying device -1" in err.value.en
    assert "synthetic" in err.value.fix_en and "synthetic" in err.value.fix_zh


def test_without_adc_time_a_block_ends_when_it_arrives_and_the_count_runs_on() -> None:
    clock, sd, mic = started()
    assert sd.streams[0].device == "USB Mic" and sd.streams[0].blocksize == N
    a, b = feed(clock, sd, mic, 2)
    assert (a, b) == (pytest.approx(50.5), pytest.approx(50.5 + N / 16000))


def test_the_reported_input_latency_is_measured_and_compensated() -> None:
    clock, sd, mic = started()
    stamps = feed(clock, sd, mic, 30, latency=0.06)
    assert mic.latency == pytest.approx(0.06)
    # The last block arrived at clock.t; its first sample was heard 60 ms before.
    assert stamps[-1] == pytest.approx(clock.t - 0.06, abs=1e-3)


def test_a_latency_far_above_the_streams_own_is_not_believed() -> None:
    clock, sd, mic = started()
    feed(clock, sd, mic, 15, latency=0.03)
    assert mic.ready.is_set()
    stamps = feed(clock, sd, mic, 5, latency=0.45)  # a stream's first second can say so
    assert mic.latency == pytest.approx(0.03)
    assert stamps[-1] == pytest.approx(clock.t - 0.03, abs=1e-3)


def test_a_new_streams_falling_reports_are_not_believed_until_they_settle() -> None:
    # PulseAudio through ALSA: ~0.5 s at first, falling 20 ms a block to the real 20 ms. The
    # last steps of the fall (0.13, 0.11 ...) are within the margin but 100 ms too high: believed,
    # they put the sound 90 ms early (seen in CI). Every stamp must stay within 3 ms of the truth.
    clock, sd, mic = started()
    errors = errors_once_ready(clock, sd, mic, [0.51] * 5 + [0.51 - 0.02 * k for k in range(1, 25)] + [0.02] * 40)
    assert mic.latency == pytest.approx(0.02)
    assert errors and max(abs(e) for e in errors) <= 0.003, errors


def test_a_steady_latency_the_stream_cannot_have_yet_is_capped_by_its_start() -> None:
    # Seen through PulseAudio: a new stream reported a steady 120 ms for a real 20 ms, so the
    # first second's sound came 70-100 ms early. Sample k cannot be heard before the start plus
    # k samples' time.
    clock, sd, mic = started()
    started_at = clock.t - 0.5
    clock.t = started_at + 0.02  # the first block comes 20 ms after the start, as it does there
    for k in range(15):
        clock.t += N / 16000
        sd.streams[0].push(N, 0.1, latency=0.12)
        block = mic.read(0.1)
        assert block is not None
        # Not before the start allows, and not after the block's last sample came in.
        assert started_at + k * N / 16000 - 1e-9 <= block.ts <= clock.t - N / 16000 + 1e-9
    assert mic.ready.is_set()


def test_ready_only_once_blocks_came_steadily_with_a_steady_latency() -> None:
    clock, sd, mic = started()
    feed(clock, sd, mic, 5, latency=0.02)
    assert not mic.ready.is_set()  # 100 ms: not yet warm
    for lat in (0.09, 0.07, 0.05, 0.03):  # the latency still settling
        feed(clock, sd, mic, 1, latency=lat)
    feed(clock, sd, mic, 5, latency=0.02)
    assert not mic.ready.is_set()
    stamps = feed(clock, sd, mic, 6, latency=0.02)
    assert mic.ready.is_set()
    assert stamps[-1] == pytest.approx(clock.t - 0.02, abs=1e-3)


def test_lost_samples_re_anchor_the_count_so_sound_never_drifts_behind() -> None:
    clock, sd, mic = started()
    feed(clock, sd, mic, 20)
    clock.t += 1.0  # the next block comes a second late: the samples between were lost
    (ts,) = feed(clock, sd, mic, 1)
    assert ts + N / 16000 == pytest.approx(clock.t, abs=0.01)


def test_a_reader_that_is_late_does_not_shift_the_sound() -> None:
    clock, sd, mic = started()
    clock.t += 0.02
    sd.streams[0].push(N)
    clock.t += 0.02
    sd.streams[0].push(N)
    clock.t += 0.5  # the capture thread was busy; both blocks waited in the queue
    a, b = mic.read(0.1), mic.read(0.1)
    assert a is not None and b is not None
    assert (a.ts, b.ts) == (pytest.approx(50.5), pytest.approx(50.52))


def test_digital_silence_over_half_a_second_is_a_fault_naming_the_microphone() -> None:
    clock, sd, mic = started()
    feed(clock, sd, mic, 10)
    feed(clock, sd, mic, 25, value=0.0)  # exactly 0.5 s: a quiet room is never exact zeros
    with pytest.raises(MicrophoneFault) as err:
        feed(clock, sd, mic, 1, value=0.0)
    assert err.value.what == "silent" and "USB Mic" in err.value.en and "静音" in err.value.zh
    assert isinstance(err.value, MicrophoneLost)  # handled wherever a lost microphone is


def test_a_fault_from_the_sound_server_ends_reading_with_that_fault() -> None:
    clock, sd, mic = started()
    feed(clock, sd, mic, 3)
    mic._on_fault("moved", "Monitor of Kiosk")  # what the pactl watch reports
    with pytest.raises(MicrophoneFault) as err:
        feed(clock, sd, mic, 1)
    assert "moved to another device" in err.value.en and "Monitor of Kiosk" in err.value.en


def test_no_block_in_time_is_microphone_lost_and_stop_closes_the_stream() -> None:
    sd = FakeSoundDevice()
    mic = MicrophoneSource(backend=sd)
    mic.start()
    with pytest.raises(MicrophoneLost):
        mic.read(timeout=0.05)
    mic.stop()
    assert sd.streams[0].stopped and sd.streams[0].closed


@pytest.mark.parametrize("spec, arg", [("default", None), ("", None), ("3", 3), ("USB", "USB"),
                                       ("pulse:alsa_input.usb-mic", "pulse")])
def test_device_argument_from_spec(spec: str, arg: object) -> None:
    assert device_arg(spec) == arg


def test_after_a_late_first_block_ready_waits_until_the_inflated_reports_have_fallen() -> None:
    # PulseAudio's first stream: nothing for 1.35 s, then a steady 104 ms for 1.2 s, then the
    # real 20 ms. Ready on the plateau stamped the sound 85-100 ms early (CI, and here 5 of 6).
    clock, sd, mic = started()
    clock.t += 0.85
    errors = errors_once_ready(clock, sd, mic, [0.104] * 60 + [0.084, 0.064, 0.044, 0.024] + [0.02] * 40)
    assert errors and max(abs(e) for e in errors) <= 0.003, errors
