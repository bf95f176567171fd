"""Any sequence of frames, sound, stop, cancel and failure ends clean: a whole clip or no file,
no working folder, no ffmpeg left (hypothesis)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.errors import Cancelled
from kiosk.media import Recording, find_ffmpeg
from kiosk.media.errors import CameraLost, EncoderFailed
from kiosk.media.probe import clip_info
from kiosk.media.types import AudioBlock, VideoFrame
from tests.unit.media.fakes import assert_clean

RATE, FPS = 16000, 30.0

step = st.one_of(
    st.tuples(st.just("frames"), st.integers(1, 12), st.floats(0.4, 3.0)),  # count, gap in frames
    st.tuples(st.just("audio"), st.integers(1, 12), st.just(0.0)),  # count of 20 ms blocks
    st.tuples(st.sampled_from(["stop", "cancel", "fail"]), st.just(0), st.just(0.0)),
)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=7))
def test_any_sequence_ends_clean(tmp_path_factory: pytest.TempPathFactory,
                                 steps: list[tuple[str, int, float]]) -> None:
    folder = tmp_path_factory.mktemp("seq")
    out = folder / "clip.mp4"
    t0 = time.monotonic()
    rec = Recording(out, ffmpeg=find_ffmpeg(), width=64, height=48, seconds=1.0, start_at=t0)
    frame_t, audio_t, ended, frames = t0, t0, None, 0
    image = np.full((48, 64, 3), 128, np.uint8)
    for kind, count, gap in steps:
        if kind == "frames":
            for _ in range(count):
                rec.feed_video(VideoFrame(image, frame_t))
                frame_t += gap / FPS
                frames += 1
        elif kind == "audio":
            for _ in range(count):
                rec.feed_audio(AudioBlock(np.zeros(320, np.float32), audio_t, RATE))
                audio_t += 0.02
        elif ended is None:
            ended = kind
            {"stop": rec.stop, "cancel": rec.cancel,
             "fail": lambda: rec.fail(CameraLost("seq", 2.0))}[kind]()
    if ended is None:
        rec.stop()
    try:
        path = rec.wait(30)
    except (Cancelled, CameraLost, EncoderFailed) as exc:
        expected = {"cancel": Cancelled, "fail": CameraLost}.get(ended or "", EncoderFailed)
        # A recording may also end on its own (all 30 slots written) before a later cancel/fail.
        assert isinstance(exc, expected) or frames >= 30, (exc, steps)
        assert not out.exists()
        assert_clean(folder, rec.pids)
    else:
        assert ended in (None, "stop") or frames >= 30
        info = clip_info(path)
        assert info.video_codec == "h264" and info.audio_codec == "aac"
        assert 0 < info.video_duration <= 1.0 + 0.05
        # Sound at least as long as the picture (padded), and no longer than the picture or the
        # sound handed over before the end (sound ahead of a late camera is kept), give or take
        # AAC's 64 ms frames and its encoder delay.
        heard = min(audio_t - t0, 1.0)
        assert info.video_duration - 0.1 <= info.audio_duration
        assert info.audio_duration <= max(info.video_duration, heard) + 0.2
        assert_clean(folder, rec.pids, ["clip.mp4"])
