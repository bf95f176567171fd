"""Where the kiosk's read-only data files are: in a source checkout and in the PyInstaller bundle.

Files inside the ``kiosk`` package (translations, icons) are found relative to ``__file__`` in
both layouts, because the bundle keeps the package's folder structure under ``sys._MEIPASS``.
Only the repository-level ``assets/`` folder (sample clip, card photos, people.json) needs this
module: in a checkout it sits next to the package, in the bundle it is ``<_MEIPASS>/assets``.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

from kiosk import core_messages as messages
from kiosk.errors import InputError

ASSETS = "assets"
SAMPLE_CLIP = "sample_clip.mp4"


def is_frozen() -> bool:
    """True when running from the PyInstaller bundle rather than from Python sources."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_root() -> Path | None:
    """The bundle's data folder (``sys._MEIPASS``), or None when running from sources."""
    # PyInstaller sets sys._MEIPASS at run time; typeshed does not know it.
    return Path(sys._MEIPASS) if is_frozen() else None  # type: ignore[attr-defined]


def assets_dir() -> Path:
    """The folder holding the sample media and people.json, in either layout."""
    root = bundle_root()
    if root is not None:
        return root / ASSETS
    return Path(__file__).resolve().parent.parent / ASSETS


def asset_path(name: str) -> Path:
    """The path of one asset (``"sample_clip.mp4"``); InputError when it is not there."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise InputError(messages.ASSET_NAME_NOT_PLAIN(name=name))
    path = assets_dir().joinpath(*parts)
    if not path.is_file():
        raise InputError(messages.ASSET_MISSING(name=name, folder=path.parent))
    return path


def sample_clip_spec() -> str:
    """The bundled sample clip as a ``file:`` source (camera and microphone); InputError if missing."""
    return f"file:{asset_path(SAMPLE_CLIP)}"


__all__ = ["SAMPLE_CLIP", "asset_path", "assets_dir", "bundle_root", "is_frozen", "sample_clip_spec"]
