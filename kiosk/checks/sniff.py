"""Tell a photo from a clip by the file's first bytes (the name can lie)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Literal

Kind = Literal["photo", "clip"]

_PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM", b"II*\x00",
                b"MM\x00*")
_CLIP_MAGIC = (b"FLV", b"\x1a\x45\xdf\xa3")  # FLV, Matroska/WebM
_PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".jfif"}


def sniff_kind(head: bytes, name: str = "") -> Kind:
    """``photo`` or ``clip`` from the first 16+ bytes; the file name's suffix breaks a tie."""
    if head.startswith(_PHOTO_MAGIC):
        return "photo"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "photo"
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide") or head.startswith(_CLIP_MAGIC):
        return "clip"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "clip"
    return "photo" if PurePath(name).suffix.lower() in _PHOTO_SUFFIXES else "clip"
