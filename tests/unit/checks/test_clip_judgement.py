"""The clip verdict from measured properties (judge_clip over a changed ClipInfo) and edge files."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from kiosk.checks import ClipInfo, blocking, check_clip, judge_clip, probe_clip
from kiosk.checks import thresholds as lim
from kiosk.errors import InputError
from tests.support.media import SAMPLE_CLIP, ffmpeg_exe


@pytest.fixture(scope="module")
def sample() -> ClipInfo:
    """The sample clip, decoded once: every test changes one property of it."""
    return probe_clip(SAMPLE_CLIP)


def verdict(info: ClipInfo, **changes: object) -> list[tuple[int, str]]:
    return [(f.code, f.severity) for f in judge_clip(dataclasses.replace(info, **changes))]


def test_the_sample_as_measured_has_no_findings(sample: ClipInfo) -> None:
    assert (sample.width, sample.height, sample.has_audio) == (640, 480, True)
    assert sample.seconds == pytest.approx(5.0, abs=0.1)
    assert len(sample.frames) == lim.FACE_SAMPLE_FRAMES
    assert sample.frames[0].shape[1] == lim.CLIP_DETECT_WIDTH
    assert verdict(sample) == []


@pytest.mark.parametrize(("width", "height", "blocked"), [
    (320, 480, False), (480, 320, False), (640, 360, False), (1280, 720, False),
    (319, 480, True), (480, 319, True), (400, 400, True), (320, 240, True),
])
def test_resolution_either_way_round(sample: ClipInfo, width: int, height: int,
                                     blocked: bool) -> None:
    assert verdict(sample, width=width, height=height) == ([(-5015, "block")] if blocked else [])


@pytest.mark.parametrize(("seconds", "expected"), [
    (1.5, [(-5005, "warn")]), (2.0, []), (20.0, []), (25.0, [(-5001, "warn")]),
])
def test_duration_outside_the_usual_range_warns(sample: ClipInfo, seconds: float,
                                                expected: list) -> None:
    assert verdict(sample, declared_seconds=seconds, decoded_seconds=seconds) == expected


def test_a_cut_off_file_is_5001_and_nothing_else(sample: ClipInfo) -> None:
    [f] = judge_clip(dataclasses.replace(sample, declared_seconds=5.0, decoded_seconds=3.0,
                                         width=160, height=120))
    assert (f.code, f.severity, f.value, f.limit) == (-5001, "block", 3.0, 5.0)
    assert verdict(sample, decode_error="InvalidDataError: corrupt") == [(-5001, "block")]
    # Up to MIN_DECODED_FRACTION short is normal (audio ends a frame later than the picture).
    assert verdict(sample, declared_seconds=5.0, decoded_seconds=4.6) == []


@pytest.mark.parametrize(("container", "ok"), [
    ("mov,mp4,m4a,3gp,3g2,mj2", True), ("avi", True), ("flv", True),
    ("matroska,webm", False), ("mpegts", False),
])
def test_only_the_services_containers_pass(sample: ClipInfo, container: str, ok: bool) -> None:
    assert verdict(sample, container=container) == ([] if ok else [(-5001, "block")])


@pytest.mark.parametrize(("blank", "expected"), [
    (0, []), (2, []), (3, [(-5009, "warn")]), (5, [(-5009, "warn")]), (6, [(-5009, "block")]),
    (10, [(-5009, "block")]),
])
def test_face_share_of_sampled_frames(sample: ClipInfo, blank: int, expected: list) -> None:
    frames = [np.full_like(f, 128) if i < blank else f for i, f in enumerate(sample.frames)]
    assert verdict(sample, frames=frames) == expected


def test_no_audio_stream_and_a_silent_one_are_5007(sample: ClipInfo) -> None:
    assert verdict(sample, has_audio=False, audio16k=np.zeros(0, np.float32)) == [(-5007, "block")]
    assert verdict(sample, audio16k=np.zeros_like(sample.audio16k)) == [(-5007, "block")]


@pytest.mark.parametrize(("gain_db", "expected"), [
    (0, []), (-6, []), (-13, [(-5013, "warn")]), (-20, [(-5013, "block")]),
    (-30, [(-5013, "block")]), (19, [(-5008, "warn")]),
])
def test_voice_level(sample: ClipInfo, gain_db: float, expected: list) -> None:
    audio = np.clip(sample.audio16k * 10 ** (gain_db / 20), -1.0, 1.0).astype(np.float32)
    assert verdict(sample, audio16k=audio) == expected


def test_noise_over_the_voice_is_5012_not_5013(sample: ClipInfo) -> None:
    rng = np.random.default_rng(7)
    noise = rng.normal(0.0, 10 ** (-24 / 20), sample.audio16k.size).astype(np.float32)
    assert verdict(sample, audio16k=sample.audio16k + noise) == [(-5012, "block")]
    quiet = rng.normal(0.0, 10 ** (-35 / 20), sample.audio16k.size).astype(np.float32)
    assert verdict(sample, audio16k=sample.audio16k + quiet) == [(-5012, "warn")]


def test_the_card_photo_counts_towards_the_body(sample: ClipInfo) -> None:
    room = lim.BODY_LIMIT_BYTES - sample.size_bytes - lim.MULTIPART_ALLOWANCE_BYTES
    assert verdict(sample, size_bytes=sample.size_bytes) == []
    [f] = judge_clip(sample, extra_body_bytes=room + 1)
    assert (f.code, f.severity, f.limit) == (23, "block", lim.BODY_LIMIT_BYTES)
    assert verdict(dataclasses.replace(sample), size_bytes=sample.size_bytes + room) == [
        (23, "warn")]


def test_missing_file_and_folder_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        check_clip(tmp_path / "nope.mp4")
    assert "nope.mp4" in missing.value.en and missing.value.fix_zh
    with pytest.raises(InputError, match="folder"):
        check_clip(tmp_path)


def test_empty_file_is_5001(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert [(f.code, f.severity) for f in check_clip(empty)] == [(-5001, "block")]


def test_a_picture_without_video_stream_is_5001(tmp_path: Path) -> None:
    wav = tmp_path / "sound.m4a"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(SAMPLE_CLIP),
                    "-vn", "-c:a", "copy", str(wav)], check=True, timeout=60)
    [f] = blocking(check_clip(wav))
    assert f.code == -5001 and "no video stream" in f.value


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg to rotate the sample")
def test_a_phone_clip_with_display_rotation_is_judged_as_shown(tmp_path: Path) -> None:
    """Stored sideways plus a 'rotate' tag, as phones record: faces are looked for upright."""
    sideways = tmp_path / "sideways.mp4"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(SAMPLE_CLIP),
                    "-vf", "transpose=1", "-c:a", "copy", "-t", "3", "-threads", "1",
                    str(sideways)], check=True, timeout=120)
    tagged = tmp_path / "tagged.mp4"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(sideways),
                    "-c", "copy", "-metadata:s:v:0", "rotate=90", str(tagged)],
                   check=True, timeout=60)
    info = probe_clip(tagged)
    assert (info.width, info.height) == (640, 480)  # as displayed
    assert check_clip(tagged) == []
    # The same pixels without the tag really show a face lying on its side.
    assert [f.code for f in blocking(check_clip(sideways))] == [-5009]
