"""A file-size limit (RLIMIT_FSIZE, ``ulimit -f``, systemd's LimitFSIZE=) that stops the clip.

ffmpeg then dies of SIGXFSZ (status -25), or gets EFBIG ("File too large") when it ignores the
signal; Python's own writes get EFBIG. Before issue 14 the error quoted ffmpeg's last log line,
which had nothing to do with it ("Guessed Channel Layout ..."). Now it names the limit.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from kiosk.errors import MediaError
from kiosk.media import Capture
from kiosk.media.recorder import output_error
from kiosk.media.sinks import write_error
from tests.unit.media.fakes import CueAudio, CueVideo, assert_clean, fake_ffmpeg

pytestmark = pytest.mark.timeout(60)

UNRELATED = "Guessed Channel Layout for Input Stream #1.0 : mono"


def record_until_failure(folder: Path, exe: str) -> tuple[BaseException, Any]:
    with Capture(CueVideo(), CueAudio(), ffmpeg=exe) as cap:
        rec = cap.record(folder / "clip.mp4", seconds=5.0)
        with pytest.raises(MediaError) as err:
            rec.wait(30)
    return err.value, rec


def says_file_size_limit(error: BaseException) -> None:
    assert isinstance(error, MediaError)
    assert "file-size limit" in error.en and "文件大小" in error.zh, error.en
    assert UNRELATED not in error.en + error.zh
    assert "ulimit" in error.fix_en and error.fix_zh != error.fix_en


@pytest.mark.parametrize("ending", [
    "kill -XFSZ $$",  # the default action of SIGXFSZ: status -25
    "echo 'Error writing trailer of clip.mp4: File too large' >&2; exit 1",  # EFBIG
])
def test_ffmpeg_stopped_by_the_file_size_limit_says_so(ending: str, tmp_path: Path) -> None:
    work = tmp_path / "out"
    work.mkdir()
    exe = fake_ffmpeg(tmp_path, f"head -c 300000 >/dev/null; echo '{UNRELATED}' >&2; {ending}")
    error, rec = record_until_failure(work, exe)
    says_file_size_limit(error)
    assert_clean(work, rec.pids)


def test_efbig_from_our_own_writes_says_so(tmp_path: Path) -> None:
    big = OSError(errno.EFBIG, "File too large")
    says_file_size_limit(write_error(big, tmp_path))
    says_file_size_limit(output_error(big, tmp_path / "clip.mp4"))
