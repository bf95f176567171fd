"""Clips recorded in real time from the synthetic and file: sources, checked by decoding them."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import av
import numpy as np
import pytest

from kiosk.media import Capture, Recording, open_audio, open_video
from kiosk.media.probe import av_offsets, clip_info
from tests.unit.media.fakes import CueAudio, CueVideo, assert_clean

pytestmark = pytest.mark.slow  # each records for real: 2-5 s of clip takes 2-5 s

SYNC_TOLERANCE_S = 0.020  # the goal; the service tolerates a few frames (33 ms each)
SIZE_BUDGET = 1_000_000  # bytes for 5 s at 640x480 (the whole upload must stay under 6 MB)
SAMPLE = Path(__file__).resolve().parents[3] / "assets" / "sample_clip.mp4"


def top_level_boxes(path: Path) -> list[str]:
    """The MP4 top-level box types in file order (fast start: moov before mdat)."""
    data, pos, out = path.read_bytes(), 0, []
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        out.append(data[pos + 4:pos + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[pos + 8:pos + 16], "big")
        if size < 8:
            break
        pos += size
    return out


def tick(rec: Recording, seconds: float) -> None:
    """Wait for the recording to end, at most ``seconds`` (a poll, never a fixed sleep)."""
    with contextlib.suppress(TimeoutError):
        rec.wait(timeout=seconds)


def frame_times(path: Path) -> list[float]:
    with av.open(str(path)) as c:
        return [float(f.time or 0.0) for f in c.decode(c.streams.video[0])]


def test_synthetic_mp4_has_the_codecs_size_duration_sync_and_fast_start(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    with Capture(open_video("synthetic"), open_audio("synthetic")) as cap:
        rec = cap.record(out, seconds=5.0)
        levels, elapsed = [], []
        while not rec.done():
            levels.append(cap.level_dbfs())
            elapsed.append(rec.elapsed)
            tick(rec, 0.1)
        frame = cap.latest_frame()
        assert rec.wait() == out
    info = clip_info(out)
    assert (info.video_codec, info.pix_fmt, info.audio_codec) == ("h264", "yuv420p", "aac")
    assert (info.width, info.height, info.fps) == (640, 480, 30.0)
    assert info.size <= SIZE_BUDGET
    assert abs(info.video_duration - 5.0) <= 0.2 and abs(info.audio_duration - 5.0) <= 0.2
    assert top_level_boxes(out).index("moov") < top_level_boxes(out).index("mdat")
    offsets = av_offsets(out)
    assert len(offsets) >= 4, offsets  # a flash and a beep every second
    assert max(abs(o) for o in offsets) <= SYNC_TOLERANCE_S, offsets
    # Live state for the GUI while it ran.
    assert frame is not None and frame.image.shape == (480, 640, 3)
    assert elapsed == sorted(elapsed) and elapsed[-1] > 3.0
    assert max(levels) > -20 and min(levels) < -35  # the beeps and the hiss between them
    assert_clean(tmp_path, rec.pids, ["clip.mp4"])


def test_synthetic_flv_is_flv_with_h264_aac_in_sync(tmp_path: Path) -> None:
    out = tmp_path / "clip.flv"
    with Capture(open_video("synthetic"), open_audio("synthetic")) as cap:
        rec = cap.record(out, seconds=3.0, fmt="flv")
        rec.wait(30)
    info = clip_info(out)
    assert info.container == "flv" and (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert abs(info.video_duration - 3.0) <= 0.2
    offsets = av_offsets(out)
    assert len(offsets) >= 2 and max(abs(o) for o in offsets) <= SYNC_TOLERANCE_S, offsets
    assert_clean(tmp_path, rec.pids, ["clip.flv"])


def test_dropped_and_late_frames_keep_a_constant_rate_and_do_not_shift_the_sound(tmp_path: Path) -> None:
    def skip(n: int) -> bool:
        stall = 40 <= n % 90 < 50  # a third of a second with no picture, every 3 s
        return n % 30 != 0 and (n % 7 == 3 or stall)  # flash frames arrive: they are the marks

    video = CueVideo(skip=skip, jitter_s=lambda n: 0.008 * math.sin(n))
    out = tmp_path / "clip.mp4"
    with Capture(video, CueAudio()) as cap:
        cap.record(out, seconds=3.0).wait(30)
    times = frame_times(out)
    assert len(times) == 90  # every slot written: missed frames repeated
    assert np.allclose(np.diff(times), 1 / 30, atol=1e-3)
    offsets = av_offsets(out)
    assert len(offsets) >= 2 and max(abs(o) for o in offsets) <= SYNC_TOLERANCE_S, offsets


def test_file_source_records_the_sample_from_its_beginning_and_the_checks_accept_it(
    tmp_path: Path,
) -> None:
    from kiosk.checks import blocking, check_clip

    spec = f"file:{SAMPLE}"
    out = tmp_path / "clip.mp4"
    with Capture(open_video(spec), open_audio(spec)) as cap:
        cap.record(out, seconds=5.0).wait(30)
    info = clip_info(out)
    assert (info.video_codec, info.audio_codec, info.width, info.height) == ("h264", "aac", 640, 480)
    assert abs(info.video_duration - 5.0) <= 0.2 and info.size <= SIZE_BUDGET
    with av.open(str(SAMPLE)) as a, av.open(str(out)) as b:
        first_sample = next(a.decode(video=0)).to_ndarray(format="gray").astype(float)
        first_out = next(b.decode(video=0)).to_ndarray(format="gray").astype(float)
    assert np.abs(first_sample - first_out).mean() < 6  # the sample's own first picture
    assert blocking(check_clip(out)) == []


def test_stop_keeps_what_was_recorded_with_sound_as_long_as_picture(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    with Capture(CueVideo(), CueAudio()) as cap:
        rec = cap.record(out, seconds=10.0)
        while rec.elapsed < 1.5:
            tick(rec, 0.05)
        rec.stop()
        rec.wait(30)
        again = cap.record(tmp_path / "again.mp4", seconds=3.0)  # a retry on the same devices
        again.wait(30)
    info = clip_info(out)
    assert 1.4 <= info.video_duration <= 2.5
    assert abs(info.audio_duration - info.video_duration) <= 0.1
    assert abs(clip_info(tmp_path / "again.mp4").video_duration - 3.0) <= 0.2


def test_the_size_budget_holds_for_the_hardest_picture(tmp_path: Path) -> None:
    """Pure noise (nothing to compress) for 5 s still fits the 1 MB budget: the rate cap works."""
    from kiosk.media import find_ffmpeg
    from kiosk.media.synthetic import SyntheticAudio
    from kiosk.media.types import VideoFrame

    rng = np.random.default_rng(7)
    noise = [rng.integers(0, 256, (480, 640, 3), np.uint8) for _ in range(8)]
    start = 1000.0
    rec = Recording(tmp_path / "clip.mp4", ffmpeg=find_ffmpeg(), width=640, height=480,
                    seconds=5.0, start_at=start, clock=lambda: start)
    audio = SyntheticAudio(realtime=False)
    audio._m = round(start * audio.rate)  # the same grid as the frames: sound from t0 on
    n = 0
    while not rec.done():
        # Faster than real time, but never more than ~20 frames ahead of the encoder (a camera
        # cannot run ahead of the clock; past the queue limit the recorder drops frames).
        if n < 150 and rec.elapsed * 30 > n - 20:
            rec.feed_video(VideoFrame(noise[n % 8], start + n / 30))
            n += 1
        elif audio._m is not None and audio._m < round((start + 5.2) * audio.rate):
            block = audio.read()
            assert block is not None
            rec.feed_audio(block)
        else:
            tick(rec, 0.01)
    rec.wait(60)
    assert (tmp_path / "clip.mp4").stat().st_size <= SIZE_BUDGET
    assert abs(clip_info(tmp_path / "clip.mp4").video_duration - 5.0) <= 0.2
