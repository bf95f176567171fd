"""``kiosk --version``: versions, paths, and robustness when parts are missing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk import about

REPO = Path(__file__).resolve().parents[3]


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60, env=env, cwd=REPO, check=False)


def test_version_reports_each_part_and_the_config_paths() -> None:
    report = about.collect(ffmpeg=None).render().splitlines()
    assert report[0].startswith("kiosk ")
    labels = [line.split()[0] for line in report[1:]]
    assert labels[:4] == ["runtime", "Qt", "OpenCV", "ffmpeg"]
    import cv2

    assert any(line.startswith("OpenCV") and cv2.__version__ in line for line in report)
    # tests/conftest.py points XDG_* at a temporary home: the paths must follow it
    settings = next(line for line in report if line.startswith("settings"))
    audit = next(line for line in report if line.startswith("audit log"))
    assert settings.split(None, 1)[1].startswith(os.environ["XDG_CONFIG_HOME"])
    assert audit.split(None, 2)[2].startswith(os.environ["XDG_DATA_HOME"])


def _fake_ffmpeg(folder: Path, body: str) -> Path:
    exe = folder / "ffmpeg"
    exe.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


@pytest.mark.skipif(os.name != "posix", reason="shell-script stand-in for ffmpeg")
def test_ffmpeg_version_is_read_from_the_binary(tmp_path: Path) -> None:
    exe = _fake_ffmpeg(tmp_path, 'echo "ffmpeg version 9.9-test Copyright (c) the authors"')
    part = about.ffmpeg_part(str(exe))
    assert part.version == "9.9-test"
    assert part.detail == str(exe)


@pytest.mark.skipif(os.name != "posix", reason="shell-script stand-in for ffmpeg")
def test_a_broken_ffmpeg_is_reported_not_raised(tmp_path: Path) -> None:
    exe = _fake_ffmpeg(tmp_path, "echo 'segfault' >&2; exit 139")
    part = about.ffmpeg_part(str(exe))
    assert part.version is None and "139" in part.detail
    missing = about.ffmpeg_part(str(tmp_path / "nowhere" / "ffmpeg"))
    assert missing.version is None and "does not run" in missing.detail
    assert about.ffmpeg_part(None).line().startswith("ffmpeg     not found")


def test_version_works_without_pyside6_and_imports_nothing_heavy() -> None:
    done = _run_python("""
        import sys
        sys.modules["PySide6"] = None  # as if PySide6 were not installed
        from kiosk.cli import main
        status = main(["--version"])
        heavy = sorted(m for m in ("kiosk.ui", "face_recognition", "dlib", "starlette",
                                   "uvicorn", "av", "requests", "sounddevice", "kiosk.emulator")
                       if m in sys.modules)
        print("HEAVY", heavy)
        raise SystemExit(status)
    """)
    assert done.returncode == 0, done.stderr
    assert "Qt         not installed" in done.stdout
    assert "OpenCV" in done.stdout
    # kiosk.media may import its own libraries; the rest must stay unloaded
    heavy = done.stdout.split("HEAVY", 1)[1]
    for name in ("kiosk.ui", "face_recognition", "dlib", "starlette", "uvicorn", "kiosk.emulator"):
        assert f"'{name}'" not in heavy, heavy


def test_version_shows_the_paths_kiosk_config_uses() -> None:
    # One implementation: --version asks kiosk.config.paths, it keeps no copy of its own.
    from kiosk.config.paths import Paths

    paths = Paths.default()
    assert about.file_paths() == {"settings": paths.settings_file, "logs": paths.log_file,
                                  "audit log": paths.audit_db}


@pytest.mark.skipif(os.name != "posix", reason="shell-script stand-in for ffmpeg")
def test_ffmpeg_is_found_by_the_media_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One lookup: --version names the ffmpeg a recording would use (KIOSK_FFMPEG first), and no
    # other; before, it kept its own PATH and imageio-ffmpeg fallback.
    exe = _fake_ffmpeg(tmp_path, 'echo "ffmpeg version 9.9-test"')
    monkeypatch.setenv("KIOSK_FFMPEG", str(exe))
    assert about.find_ffmpeg() == str(exe)
    monkeypatch.setenv("KIOSK_FFMPEG", str(tmp_path / "not-there"))
    assert about.find_ffmpeg() is None
    monkeypatch.delenv("KIOSK_FFMPEG")
    monkeypatch.setitem(sys.modules, "kiosk.media.ffmpeg_exe", None)  # a media package that fails
    assert about.find_ffmpeg() is None
