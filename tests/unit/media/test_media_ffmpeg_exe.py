"""Finding ffmpeg: KIOSK_FFMPEG, then PATH, then imageio-ffmpeg; a clear error otherwise."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from kiosk.media import ffmpeg_exe
from kiosk.media.errors import FfmpegMissing
from tests.unit.media.fakes import fake_ffmpeg


def test_kiosk_ffmpeg_wins(tmp_path: Path) -> None:
    exe = fake_ffmpeg(tmp_path, "exit 0")
    assert ffmpeg_exe.find_ffmpeg({"KIOSK_FFMPEG": exe, "PATH": "/usr/bin"}) == exe


def test_a_missing_kiosk_ffmpeg_is_named_not_replaced(tmp_path: Path) -> None:
    with pytest.raises(FfmpegMissing) as err:
        ffmpeg_exe.find_ffmpeg({"KIOSK_FFMPEG": str(tmp_path / "nope")})
    assert "KIOSK_FFMPEG" in err.value.en and "KIOSK_FFMPEG" in err.value.zh


def test_path_before_imageio(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = fake_ffmpeg(tmp_path, "exit 0")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ffmpeg_exe.find_ffmpeg({}) == exe


def test_imageio_when_path_has_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    fake = types.SimpleNamespace(get_ffmpeg_exe=lambda: "/opt/imageio/ffmpeg-static")
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", fake)
    assert ffmpeg_exe.find_ffmpeg({}) == "/opt/imageio/ffmpeg-static"


def test_neither_is_a_typed_error_with_a_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    def broken() -> str:
        raise RuntimeError("No ffmpeg exe could be found")

    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", types.SimpleNamespace(get_ffmpeg_exe=broken))
    with pytest.raises(FfmpegMissing) as err:
        ffmpeg_exe.find_ffmpeg({})
    assert "apt-get install ffmpeg" in err.value.fix_en and err.value.exit_code == 2
