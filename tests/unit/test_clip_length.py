"""One clip-length range: the settings, the command-line flags and the recorder take the same."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kiosk.clip_length import MAX_CLIP_SECONDS, MIN_CLIP_SECONDS, clip_seconds_ok
from kiosk.config.schema import BY_KEY
from kiosk.errors import ConfigError, UsageError

EDGES = [MIN_CLIP_SECONDS - 0.5, MIN_CLIP_SECONDS, MAX_CLIP_SECONDS, MAX_CLIP_SECONDS + 0.5]


def test_the_range_and_nan() -> None:
    assert [clip_seconds_ok(s) for s in EDGES] == [False, True, True, False]
    assert not clip_seconds_ok(float("nan"))


def test_the_setting_takes_the_range() -> None:
    setting = BY_KEY["clip_seconds"]
    assert (setting.low, setting.high) == (MIN_CLIP_SECONDS, MAX_CLIP_SECONDS)
    assert setting.parse(str(MIN_CLIP_SECONDS)) == MIN_CLIP_SECONDS
    with pytest.raises(ConfigError):
        setting.parse(str(MAX_CLIP_SECONDS + 1))


def test_kiosk_record_takes_the_range() -> None:
    from kiosk.cli.record import seconds_of

    for seconds in EDGES:
        args = argparse.Namespace(seconds=str(seconds))
        if clip_seconds_ok(seconds):
            assert seconds_of(args) == seconds
        else:
            with pytest.raises(UsageError, match=f"from {MIN_CLIP_SECONDS} to {MAX_CLIP_SECONDS} s"):
                seconds_of(args)


def test_the_recorder_takes_the_range(tmp_path: Path) -> None:
    # Before, the recorder took 0.5-20 s while the settings took 3-10.
    from kiosk.media import Capture, open_audio, open_video

    with Capture(open_video("synthetic", width=64, height=48), open_audio("synthetic")) as cap:
        for seconds in (EDGES[0], EDGES[-1], 20.0, 0.5):
            with pytest.raises(ValueError, match="3-10"):
                cap.record(tmp_path / "clip.mp4", seconds=seconds)
    assert list(tmp_path.iterdir()) == []
