"""What ``kiosk --version`` reports: versions of the parts in use and where the kiosk keeps files.

Support asks for this first, so it must work on a broken install: each part is probed on its
own, a missing or unusable one is reported as such, and nothing heavier than the probed library
is imported (no GUI, no face model, no server).
"""

from __future__ import annotations

import importlib
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import __version__
from kiosk.resources import bundle_root

NOT_INSTALLED = "not installed"


@dataclass(frozen=True)
class Part:
    """One library or program: its version, or why there is none, and where it came from."""

    name: str
    version: str | None
    detail: str = ""

    def line(self) -> str:
        """``name  version (detail)`` for the report."""
        text = self.version or self.detail or NOT_INSTALLED
        if self.version and self.detail:
            text = f"{self.version} ({self.detail})"
        return f"{self.name:<10} {text}"


@dataclass(frozen=True)
class About:
    """Everything ``kiosk --version`` prints."""

    version: str
    runtime: str
    parts: list[Part] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)

    def render(self) -> str:
        """The report as plain text, one fact a line."""
        lines = [f"kiosk {self.version}", f"{'runtime':<10} {self.runtime}"]
        lines += [p.line() for p in self.parts]
        lines += [f"{label:<10} {path}" for label, path in self.paths.items()]
        return "\n".join(lines)


def qt_part() -> Part:
    """Qt as PySide6 loads it: the Qt library's own version and the binding's.

    The one Qt import outside kiosk.ui, on purpose: it reads a version and makes no GUI, and
    ``--version`` must not load kiosk.ui (it must work, and stay light, on a broken install).
    """
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError as exc:
        missing = getattr(exc, "name", None) in ("PySide6", "shiboken6") or isinstance(
            exc, ModuleNotFoundError)
        return Part("Qt", None, NOT_INSTALLED if missing else f"unusable: {exc}")
    return Part("Qt", QtCore.qVersion(), f"PySide6 {PySide6.__version__}")


def opencv_part() -> Part:
    """OpenCV's version as the imported module reports it."""
    try:
        import cv2
    except ModuleNotFoundError:
        return Part("OpenCV", None, NOT_INSTALLED)
    except ImportError as exc:  # e.g. a shared library the wheel needs is missing
        return Part("OpenCV", None, f"unusable: {exc}")
    return Part("OpenCV", str(cv2.__version__))


def find_ffmpeg() -> str | None:
    """The ffmpeg the kiosk records with, by kiosk.media's one lookup (KIOSK_FFMPEG, PATH,
    imageio-ffmpeg); None when there is none, or when kiosk.media does not load (then the kiosk
    cannot record with any, and the OpenCV line says why)."""
    try:
        finder = importlib.import_module("kiosk.media.ffmpeg_exe").find_ffmpeg
        return str(finder())
    except Exception:  # noqa: BLE001 - FfmpegMissing, or a broken install: --version still reports
        return None


Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def ffmpeg_part(exe: str | None, *, run: Runner = subprocess.run) -> Part:
    """ffmpeg's version from ``ffmpeg -version``, and which binary it is."""
    if not exe:
        return Part("ffmpeg", None, "not found (install ffmpeg or imageio-ffmpeg)")
    try:
        done = run([exe, "-hide_banner", "-version"], capture_output=True, text=True,
                   timeout=10, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return Part("ffmpeg", None, f"{exe} does not run: {exc}")
    first = (done.stdout or "").splitlines()[:1]
    words = first[0].split() if first else []
    if done.returncode != 0 or len(words) < 3 or words[1] != "version":
        return Part("ffmpeg", None, f"{exe} does not run (exit status {done.returncode})")
    return Part("ffmpeg", words[2], exe)


def file_paths() -> dict[str, Path]:
    """Where settings, logs and the audit log live (kiosk.config's paths)."""
    from kiosk.config.paths import Paths

    paths = Paths.default()
    return {"settings": paths.settings_file, "logs": paths.log_file,
            "audit log": paths.audit_db}


def runtime() -> str:
    """Python, platform, and whether this is the bundle or a source install."""
    root = bundle_root()
    where = f"bundle in {root.parent}" if root is not None else f"sources in {Path(__file__).parent}"
    return (f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
            f"{where}")


def collect(*, ffmpeg: str | None = None, run: Runner = subprocess.run) -> About:
    """Probe every part; ``ffmpeg`` names a binary to use instead of looking for one."""
    return About(
        version=__version__,
        runtime=runtime(),
        parts=[qt_part(), opencv_part(), ffmpeg_part(ffmpeg or find_ffmpeg(), run=run)],
        paths=file_paths(),
    )


def print_report() -> int:
    """Print the report on stdout; always exit status 0 (a missing part is information)."""
    sys.stdout.write(collect().render() + "\n")
    return 0


__all__ = ["About", "Part", "collect", "find_ffmpeg", "print_report"]
