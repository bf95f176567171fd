"""The sync measurement itself: a clip made with a known offset reads back as that offset."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from kiosk.media.probe import av_offsets, clip_info
from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo

RATE = 16000


def make_clip(path: Path, sound_late_s: float, seconds: int = 3) -> Path:
    """A small clip of the synthetic pattern whose sound is ``sound_late_s`` behind its picture."""
    video = SyntheticVideo(width=160, height=120, realtime=False)
    audio = SyntheticAudio(rate=RATE, realtime=False)
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=30)
        vs.width, vs.height, vs.pix_fmt = 160, 120, "yuv420p"
        as_ = out.add_stream("aac", rate=RATE)
        as_.layout = "mono"
        for n in range(seconds * 30):
            frame = av.VideoFrame.from_ndarray(video.frame_image(n), format="bgr24")
            frame.pts, frame.time_base = n, Fraction(1, 30)
            out.mux(vs.encode(frame))
        shift = round(sound_late_s * RATE)
        samples = audio.samples(-shift, seconds * RATE).reshape(1, -1)
        for i in range(0, samples.shape[1], 1024):
            af = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[:, i:i + 1024]),
                                            format="flt", layout="mono")
            af.sample_rate, af.pts, af.time_base = RATE, i, Fraction(1, RATE)
            out.mux(as_.encode(af))
        out.mux(vs.encode(None))
        out.mux(as_.encode(None))
    return path


@pytest.mark.parametrize("late", [0.0, 0.1, -0.06])
def test_offset_of_a_known_clip_is_measured_within_a_frame(tmp_path: Path, late: float) -> None:
    offsets = av_offsets(make_clip(tmp_path / "c.mp4", late))
    assert len(offsets) >= 2  # flashes at 1 s and 2 s (and 0 s) each found their beep
    assert all(abs(o - late) < 0.012 for o in offsets), offsets


def test_clip_info_reads_codecs_size_and_durations(tmp_path: Path) -> None:
    info = clip_info(make_clip(tmp_path / "c.mp4", 0.0, seconds=2))
    assert (info.video_codec, info.pix_fmt, info.audio_codec) == ("h264", "yuv420p", "aac")
    assert (info.width, info.height, info.audio_rate) == (160, 120, RATE)
    assert abs(info.video_duration - 2.0) < 0.05 and abs(info.audio_duration - 2.0) < 0.1
    assert info.size == (tmp_path / "c.mp4").stat().st_size
