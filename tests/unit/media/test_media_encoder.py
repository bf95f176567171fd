"""ffmpeg commands and the diagnosis of a failing ffmpeg (early exit, full disk, no program)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.media.encoder import EncodeSettings, FfmpegProcess, live_command, mux_command
from kiosk.media.errors import DiskFull, EncoderFailed
from tests.unit.media.fakes import alive, fake_ffmpeg


def opt(args: list[str], flag: str) -> str:
    """An output option's value: the last occurrence (inputs come first, with their own)."""
    return args[len(args) - 1 - args[::-1].index(flag) + 1]


@pytest.mark.parametrize("fmt", ["mp4", "flv"])
def test_live_command_makes_h264_yuv420p_and_aac_within_the_budget(fmt: str) -> None:
    s = EncodeSettings()
    args = live_command("ffmpeg", Path("/x/clip." + fmt), 640, 480, 30.0, 7, 16000, fmt, s)
    assert opt(args, "-vcodec") == "libx264" and opt(args, "-pix_fmt") == "yuv420p"
    assert opt(args, "-acodec") == "aac" and opt(args, "-f") == fmt
    assert "pipe:7" in args and "pipe:0" in args
    assert opt(args, "-maxrate") == f"{s.maxrate_kbit}k"
    # The budget: 5 s at the capped rates stays under the 1 MB target.
    assert 5 * (s.maxrate_kbit + s.audio_kbit) * 1000 / 8 <= 1_000_000
    assert ("-movflags" in args) == (fmt == "mp4")  # fast start only where MP4 has an index


def test_mux_command_copies_the_video_and_encodes_the_sound() -> None:
    args = mux_command("ffmpeg", Path("v.h264"), Path("a.wav"), Path("o.mp4"), 30.0, "mp4",
                       EncodeSettings())
    assert opt(args, "-vcodec") == "copy" and opt(args, "-acodec") == "aac"
    assert opt(args, "-movflags") == "+faststart"


def run(tmp_path: Path, body: str, data: bytes = b"x" * 300_000) -> FfmpegProcess:
    exe = fake_ffmpeg(tmp_path, body)
    proc = FfmpegProcess([exe], tmp_path / "ff.log", stdin=True, folder=tmp_path)
    try:
        proc.write(data)
        proc.finish(timeout=10)
    finally:
        assert not alive(proc.pid) or proc.proc.poll() is not None
    return proc


def test_early_exit_is_encoder_failed_with_ffmpeg_last_words(tmp_path: Path) -> None:
    with pytest.raises(EncoderFailed) as err:
        run(tmp_path, "echo \"Unknown encoder 'libx264'\" >&2; exit 1")
    assert "Unknown encoder 'libx264'" in err.value.en
    assert err.value.fix_en and err.value.zh != err.value.en


def test_no_space_in_ffmpeg_messages_is_disk_full(tmp_path: Path) -> None:
    with pytest.raises(DiskFull) as err:
        run(tmp_path, "head -c 1000 >/dev/null; "
                      "echo 'av_interleaved_write_frame(): No space left on device' >&2; exit 1")
    assert str(tmp_path) in err.value.en and "磁盘" in err.value.zh


def test_non_zero_status_after_reading_everything_is_encoder_failed(tmp_path: Path) -> None:
    with pytest.raises(EncoderFailed, match="status 3"):
        run(tmp_path, "cat >/dev/null; echo 'muxer failed' >&2; exit 3")


def test_a_program_that_cannot_start_is_encoder_failed(tmp_path: Path) -> None:
    with pytest.raises(EncoderFailed, match="could not be started"):
        FfmpegProcess([str(tmp_path / "missing")], tmp_path / "ff.log", stdin=True, folder=tmp_path)


def test_abort_reaps_a_process_that_ignores_its_input(tmp_path: Path) -> None:
    exe = fake_ffmpeg(tmp_path, "trap '' TERM; exec sleep 30")
    proc = FfmpegProcess([exe], tmp_path / "ff.log", stdin=True, folder=tmp_path)
    proc.abort()
    assert proc.proc.returncode is not None and not alive(proc.pid)


def test_a_full_disk_at_the_trailer_is_disk_full_even_when_ffmpeg_exits_0(tmp_path: Path) -> None:
    # ffmpeg 5.1 reports these and still exits 0, leaving a clip without its index.
    with pytest.raises(DiskFull):
        run(tmp_path, "cat >/dev/null; echo 'Error writing trailer of x.mp4: No space left on device' >&2")


def test_a_failed_close_with_status_0_is_encoder_failed(tmp_path: Path) -> None:
    with pytest.raises(EncoderFailed, match="Input/output error"):
        run(tmp_path, "cat >/dev/null; echo 'Error closing file x.flv: Input/output error' >&2")
