"""Where the kiosk's read-only data files are: in a source checkout and in the PyInstaller bundle.

Files inside the ``kiosk`` package (translations, icons) are found relative to ``__file__`` in
both layouts, because the bundle keeps the package's folder structure under ``sys._MEIPASS``.
Only the repository-level ``assets/`` folder (sample clip, card photos, people.json) needs this
module: in a checkout it sits next to the package, in the bundle it is ``<_MEIPASS>/assets``.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

from kiosk.errors import InputError

ASSETS = "assets"
SAMPLE_CLIP = "sample_clip.mp4"


def is_frozen() -> bool:
    """True when running from the PyInstaller bundle rather than from Python sources."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_root() -> Path | None:
    """The bundle's data folder (``sys._MEIPASS``), or None when running from sources."""
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
        raise InputError(
            f"asset name {name!r} must be a plain name inside the assets folder",
            f"资源文件名 {name!r} 必须是资源目录内的相对名称",
            fix_en="give a name such as 'sample_clip.mp4'",
            fix_zh="请使用如 'sample_clip.mp4' 的文件名",
        )
    path = assets_dir().joinpath(*parts)
    if not path.is_file():
        raise InputError(
            f"the bundled file {name} is missing from {path.parent}",
            f"缺少内置文件 {name}（应位于 {path.parent}）",
            fix_en="reinstall the kiosk, or restore the assets/ folder of the source checkout",
            fix_zh="请重新安装本程序，或恢复源码目录中的 assets/ 文件夹",
        )
    return path


def sample_clip_spec() -> str:
    """The bundled sample clip as a ``file:`` source (camera and microphone); InputError if missing."""
    return f"file:{asset_path(SAMPLE_CLIP)}"


__all__ = ["SAMPLE_CLIP", "asset_path", "assets_dir", "bundle_root", "is_frozen", "sample_clip_spec"]
