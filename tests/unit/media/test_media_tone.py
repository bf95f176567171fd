"""The recording tone: the same generated sound everywhere, never a reason to stop."""

from __future__ import annotations

from typing import Any

import numpy as np

from kiosk.media import tone


def test_the_tone_is_a_short_soft_880_hz_sine_without_clicks() -> None:
    samples = tone.start_tone()
    assert samples.dtype == np.float32 and len(samples) == round(tone.SECONDS * tone.RATE)
    peak = float(np.max(np.abs(samples)))
    assert 0.2 < peak <= 10 ** (-12 / 20) + 1e-6, "about -12 dBFS, never clipping"
    spectrum = np.abs(np.fft.rfft(samples))
    freq = np.fft.rfftfreq(len(samples), 1 / tone.RATE)[int(np.argmax(spectrum))]
    assert abs(freq - tone.FREQUENCY_HZ) < 10
    assert abs(samples[0]) < 1e-3 and abs(samples[-1]) < 0.01, "faded in and out: no click"


class Player:
    def __init__(self, fail: bool = False) -> None:
        self.fail, self.calls = fail, []

    def play(self, data: Any, rate: int, *, blocking: bool) -> None:
        if self.fail:
            raise RuntimeError("Error querying device -1")
        self.calls.append((len(data), rate, blocking))


def test_it_plays_without_blocking() -> None:
    player = Player()
    assert tone.play_start_tone(player) is True
    assert player.calls == [(len(tone.start_tone()), tone.RATE, False)]


def test_no_output_device_is_no_error(caplog: Any) -> None:
    tone._warned = False
    assert tone.play_start_tone(Player(fail=True)) is False
    assert tone.play_start_tone(Player(fail=True)) is False
    assert sum("cannot be played" in r.message for r in caplog.records) == 1, "said once"
