"""Animated images are told apart by their bytes, whatever their file name says."""

from __future__ import annotations

import io
import struct
import zlib

import pytest

from kiosk.api import image_kind, is_animated
from kiosk.api._images import PNG_SIGNATURE


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


IHDR = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
IDAT = png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
IEND = png_chunk(b"IEND", b"")
STILL_PNG = PNG_SIGNATURE + IHDR + IDAT + IEND
APNG = PNG_SIGNATURE + IHDR + png_chunk(b"acTL", struct.pack(">II", 2, 0)) + IDAT + IEND
# acTL after the first IDAT is not an animation marker (APNG requires it before).
LATE_ACTL = PNG_SIGNATURE + IHDR + IDAT + png_chunk(b"acTL", struct.pack(">II", 2, 0)) + IEND


def riff(*chunks: bytes) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


SIMPLE_WEBP = riff(webp_chunk(b"VP8 ", b"\x00" * 11))
EXTENDED_STILL_WEBP = riff(webp_chunk(b"VP8X", b"\x10" + b"\0" * 9), webp_chunk(b"VP8 ", b"\0" * 10))
ANIMATED_WEBP = riff(webp_chunk(b"VP8X", b"\x02" + b"\0" * 9), webp_chunk(b"ANIM", b"\0" * 6),
                     webp_chunk(b"ANMF", b"\0" * 17))
ODD_CHUNK_THEN_ANIM = riff(webp_chunk(b"ICCP", b"\0" * 3), webp_chunk(b"ANIM", b"\0" * 6))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\0" * 20 + b"\xff\xd9"


@pytest.mark.parametrize(("data", "kind", "animated"), [
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif", True),  # a one-frame GIF is refused too
    (b"GIF87a" + b"\0" * 10, "gif", True),
    (APNG, "png", True),
    (STILL_PNG, "png", False),
    (LATE_ACTL, "png", False),
    (ANIMATED_WEBP, "webp", True),
    (ODD_CHUNK_THEN_ANIM, "webp", True),
    (SIMPLE_WEBP, "webp", False),
    (EXTENDED_STILL_WEBP, "webp", False),
    (JPEG, "jpeg", False),
    (b"BM" + b"\0" * 40, "bmp", False),
    (b"plain text", "unknown", False),
    (PNG_SIGNATURE + b"\x00\x00", "png", False),  # cut short: no crash
    (b"RIFF\0\0\0\0WEBPVP8X", "webp", False),
])
def test_kind_and_animation(data: bytes, kind: str, animated: bool) -> None:
    assert image_kind(data) == kind
    assert is_animated(data) is animated


def test_real_files_from_pillow() -> None:
    image = pytest.importorskip("PIL.Image")
    frames = [image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    for fmt, expect in (("GIF", True), ("PNG", True), ("WEBP", True)):
        out = io.BytesIO()
        frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
        assert is_animated(out.getvalue()) is expect, fmt
    for fmt in ("PNG", "WEBP", "JPEG"):
        out = io.BytesIO()
        frames[0].save(out, fmt)
        assert not is_animated(out.getvalue()), fmt
