"""Every capture failure: a typed error, no file, no ffmpeg left, the devices released."""

from __future__ import annotations

import contextlib
import errno
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.errors import Cancelled
from kiosk.media import Capture, Recording, open_video
from kiosk.media.errors import (
    CameraAbsent,
    CameraLost,
    DiskFull,
    EncoderFailed,
    FfmpegMissing,
    MicrophoneAbsent,
    MicrophoneLost,
    OutputUnwritable,
)
from kiosk.media.ffmpeg_exe import find_ffmpeg
from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo
from tests.unit.media.fakes import CueAudio, CueVideo, assert_clean, fake_ffmpeg, wait_until

pytestmark = pytest.mark.timeout(60)


def record_until_failure(folder: Path, video: Any, audio: Any, seconds: float = 5.0,
                         **kw: Any) -> tuple[BaseException, Any]:
    """Record into ``folder``; the error the recording ended with, and the recording."""
    with Capture(video, audio, **kw) as cap:
        rec = cap.record(folder / "clip.mp4", seconds=seconds)
        with pytest.raises(Exception) as err:
            rec.wait(30)
    return err.value, rec


def test_a_camera_lost_mid_recording_ends_it_with_camera_lost(tmp_path: Path) -> None:
    video, audio = CueVideo(fail_at=20, error=CameraLost("cue", 2.0)), CueAudio()
    error, rec = record_until_failure(tmp_path, video, audio)
    assert isinstance(error, CameraLost)
    assert_clean(tmp_path, rec.pids)
    assert video.stopped and audio.stopped


def test_a_microphone_lost_mid_recording_ends_it_with_microphone_lost(tmp_path: Path) -> None:
    video, audio = CueVideo(), CueAudio(fail_at=25, error=MicrophoneLost("cue", 2.0))
    error, rec = record_until_failure(tmp_path, video, audio)
    assert isinstance(error, MicrophoneLost)
    assert_clean(tmp_path, rec.pids)
    assert video.stopped and audio.stopped


def test_a_microphone_that_goes_quiet_ends_the_recording_within_its_timeout(tmp_path: Path) -> None:
    video, audio = CueVideo(), CueAudio(stall_at=20, stall_s=60.0)
    started = time.monotonic()
    error, rec = record_until_failure(tmp_path, video, audio, read_timeout=1.0)
    assert isinstance(error, MicrophoneLost)
    assert time.monotonic() - started < 4.0  # the picture pipe never blocked the failure
    assert_clean(tmp_path, rec.pids)


@pytest.mark.slow
def test_a_microphone_stall_leaves_silence_and_the_sound_after_it_in_sync(tmp_path: Path) -> None:
    from kiosk.media.probe import audio_track, beep_times, clip_info, flash_times
    from kiosk.media.synthetic import BEEP_S

    out = tmp_path / "clip.mp4"
    with Capture(CueVideo(), CueAudio(stall_at=40, stall_s=1.2), read_timeout=5.0) as cap:
        cap.record(out, seconds=4.0).wait(30)
    info = clip_info(out)
    assert abs(info.video_duration - 4.0) <= 0.2 and abs(info.audio_duration - 4.0) <= 0.2

    # The stalled stretch is digital silence (the synthetic hiss never is): find it.
    samples, rate, start = audio_track(out)
    win = rate // 50
    rms = np.sqrt(np.mean(samples[: len(samples) // win * win].reshape(-1, win) ** 2, axis=1))
    silent = np.flatnonzero(rms < 1e-4)
    assert silent.size, "the stall left no silence: late sound was shifted, not replaced"
    # the first run of silent windows is the stall's (any padding at the clip's end comes later)
    breaks = np.flatnonzero(np.diff(silent) > 1)
    run_end = silent[breaks[0]] if breaks.size else silent[-1]
    lost_from, lost_to = start + silent[0] / 50, start + (run_end + 1) / 50
    assert 0.3 <= lost_to - lost_from <= 1.5, (lost_from, lost_to)

    # A beep that began inside the lost stretch is cut (its onset is gone, as with a real
    # microphone); every flash whose beep lies wholly outside it must have its beep in sync.
    beeps = beep_times(out)
    outside = [f for f in flash_times(out)
               if f + BEEP_S <= lost_from - 0.02 or f >= lost_to + 0.02]
    # (A flash at the very start may have lost its beep's onset to the clip's start: no pair.)
    pairs = {f: min((b - f for b in beeps), key=abs) for f in outside if beeps}
    offsets = [o for o in pairs.values() if abs(o) <= 0.4]
    after = [f for f in outside if f >= lost_to]
    assert after and all(abs(pairs[f]) <= 0.4 for f in after), (pairs, lost_from, lost_to)
    assert max(abs(o) for o in offsets) <= 0.020, (offsets, lost_from, lost_to)


def test_an_absent_camera_fails_at_start_and_opens_no_microphone(tmp_path: Path) -> None:
    audio = CueAudio()
    with pytest.raises(CameraAbsent):
        Capture(open_video(str(tmp_path / "video7")), audio).start()
    assert not audio.started


def test_an_absent_microphone_fails_at_start_and_releases_the_camera() -> None:
    video = CueVideo()
    with pytest.raises(MicrophoneAbsent):
        Capture(video, CueAudio(start_error=MicrophoneAbsent("default", "no device"))).start()
    assert video.started and video.stopped


def test_no_ffmpeg_fails_before_anything_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_FFMPEG", str(tmp_path / "no-ffmpeg"))
    with Capture(CueVideo(), CueAudio()) as cap, pytest.raises(FfmpegMissing):
        cap.record(tmp_path / "clip.mp4")
    assert_clean(tmp_path, [])


def test_a_missing_folder_is_output_unwritable(tmp_path: Path) -> None:
    with Capture(CueVideo(), CueAudio()) as cap, pytest.raises(OutputUnwritable) as err:
        cap.record(tmp_path / "absent" / "clip.mp4")
    assert "absent" in err.value.en and err.value.fix_zh


def test_ffmpeg_exiting_early_is_encoder_failed(tmp_path: Path) -> None:
    work = tmp_path / "out"
    work.mkdir()
    exe = fake_ffmpeg(tmp_path, "echo 'Unknown encoder libx264' >&2; exit 1")
    error, rec = record_until_failure(work, CueVideo(), CueAudio(), ffmpeg=exe)
    assert isinstance(error, EncoderFailed) and "Unknown encoder libx264" in error.en
    assert_clean(work, rec.pids)


def test_ffmpeg_reporting_no_space_is_disk_full(tmp_path: Path) -> None:
    work = tmp_path / "out"
    work.mkdir()
    exe = fake_ffmpeg(tmp_path, "head -c 2000000 >/dev/null; "
                                "echo 'av_interleaved_write_frame(): No space left on device' >&2; exit 1")
    error, rec = record_until_failure(work, CueVideo(), CueAudio(), ffmpeg=exe)
    assert isinstance(error, DiskFull)
    assert_clean(work, rec.pids)


def test_a_stuck_ffmpeg_is_killed_when_the_capture_stops(tmp_path: Path) -> None:
    work = tmp_path / "out"
    work.mkdir()
    exe = fake_ffmpeg(tmp_path, "exec sleep 60")  # never reads its input
    video, audio = CueVideo(), CueAudio()
    with Capture(video, audio, ffmpeg=exe, cancel_grace=0.5) as cap:
        rec = cap.record(work / "clip.mp4", seconds=5.0)
        with pytest.raises(TimeoutError):
            rec.wait(0.5)
    with pytest.raises(Cancelled):
        rec.wait(0)
    assert_clean(work, rec.pids)
    assert video.stopped and audio.stopped


def test_cancel_keeps_nothing(tmp_path: Path) -> None:
    with Capture(CueVideo(), CueAudio()) as cap:
        rec = cap.record(tmp_path / "clip.mp4", seconds=5.0)
        with contextlib.suppress(TimeoutError):
            rec.wait(0.5)
        rec.cancel()
        with pytest.raises(Cancelled):
            rec.wait(10)
    assert_clean(tmp_path, rec.pids)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 40 KiB tmpfs (root only: mounting needs it; skipped elsewhere)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if shutil.which("mount") is None or subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(mnt)], capture_output=True
    ).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_real_full_disk_is_disk_full_with_nothing_left(tiny_disk: Path) -> None:
    error, rec = record_until_failure(tiny_disk, CueVideo(), CueAudio(), seconds=3.0)  # ~60 kB
    assert isinstance(error, DiskFull) and str(tiny_disk) in error.en
    assert_clean(tiny_disk, rec.pids)


def feed(rec: Recording, seconds: float, width: int = 64, height: int = 48) -> None:
    """Frames and sound from the synthetic pattern, as fast as they can be placed (no clock)."""
    video = SyntheticVideo(width=width, height=height, realtime=False)
    audio = SyntheticAudio(realtime=False)
    video.start()
    audio.start()
    t_end = rec.start_at + seconds
    while True:
        block = audio.read()
        assert block is not None
        rec.feed_audio(block)
        if block.ts > t_end:
            break
    while not rec.done():
        frame = video.read()
        assert frame is not None
        rec.feed_video(frame)
        if frame.ts > t_end + 1:
            break


def test_without_the_live_pipe_the_sound_goes_through_a_wav_and_a_second_ffmpeg(tmp_path: Path) -> None:
    from kiosk.media.probe import clip_info

    rec = Recording(tmp_path / "clip.mp4", ffmpeg=find_ffmpeg(), width=64, height=48, seconds=1.0,
                    live=False, start_at=time.monotonic())
    feed(rec, 3.0)
    assert rec.wait(30) == tmp_path / "clip.mp4"
    info = clip_info(tmp_path / "clip.mp4")
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert abs(info.video_duration - 1.0) <= 0.1
    assert len(rec.pids) == 2  # the encoder and the muxer
    assert_clean(tmp_path, rec.pids, ["clip.mp4"])


def test_kill_ends_a_recording_whose_muxer_ignores_the_cancel(tmp_path: Path) -> None:
    # The escalation in Capture.stop: a cancel leaves the muxer to finish; this one never does (it
    # has no input to lose and ignores SIGTERM), so only kill() ends the recording.
    work = tmp_path / "out"
    work.mkdir()
    exe = fake_ffmpeg(tmp_path, 'case "$*" in *pipe:*) cat >/dev/null; exit 0;; '
                                "*) trap '' TERM; exec sleep 60;; esac")
    rec = Recording(work / "clip.mp4", ffmpeg=exe, width=64, height=48, seconds=1.0, live=False,
                    start_at=time.monotonic())
    feed(rec, 3.0)
    assert wait_until(lambda: len(rec.pids) == 2)  # the muxer started
    rec.cancel()
    with pytest.raises(TimeoutError):
        rec.wait(0.5)
    started = time.monotonic()
    rec.kill()
    with pytest.raises(Cancelled):
        rec.wait(5)
    assert time.monotonic() - started < 2.0
    assert_clean(work, rec.pids)


class FullWav:
    """A WAV writer on a disk that fills up after the first block."""

    def __init__(self, path: Path, rate: int) -> None:
        self.writes = 0

    def write(self, samples: np.ndarray) -> None:
        self.writes += 1
        if self.writes > 1:
            raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        pass


def test_a_failing_wav_writer_is_disk_full(tmp_path: Path) -> None:
    rec = Recording(tmp_path / "clip.mp4", ffmpeg=find_ffmpeg(), width=64, height=48, seconds=1.0,
                    live=False, wav_opener=FullWav, start_at=time.monotonic())
    feed(rec, 2.0)
    with pytest.raises(DiskFull):
        rec.wait(30)
    assert_clean(tmp_path, rec.pids)
