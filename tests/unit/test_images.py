"""Animated images are told apart by their bytes, whatever their file name says (kiosk.images).

The API client and the photo checks ask the same functions, so they cannot disagree: before, the
client read chunk headers by hand while the checks counted Pillow's frames, and a phone's
multi-picture JPEG was a still to one and an "animated MPO" to the other.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from kiosk import api
from kiosk.checks.image import open_still
from kiosk.images import PNG_SIGNATURE, image_kind, is_animated


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
# Animation chunks around no decodable picture: Pillow cannot read it, so it is not judged moving
# here; the service refuses it as undecodable (the photo checks say so before).
BROKEN_ANIMATED_WEBP = riff(webp_chunk(b"VP8X", b"\x02" + b"\0" * 9), webp_chunk(b"ANIM", b"\0" * 6),
                            webp_chunk(b"ANMF", b"\0" * 17))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\0" * 20 + b"\xff\xd9"


@pytest.mark.parametrize(("data", "kind", "animated"), [
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif", True),  # a one-frame GIF is refused too
    (b"GIF87a" + b"\0" * 10, "gif", True),
    (APNG, "png", True),
    (STILL_PNG, "png", False),
    (LATE_ACTL, "png", False),
    (BROKEN_ANIMATED_WEBP, "webp", False),
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
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    for fmt, expect in (("GIF", True), ("PNG", True), ("WEBP", True)):
        out = io.BytesIO()
        frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
        assert is_animated(out.getvalue()) is expect, fmt
    for fmt in ("PNG", "WEBP", "JPEG"):
        out = io.BytesIO()
        frames[0].save(out, fmt)
        assert not is_animated(out.getvalue()), fmt


def mpo() -> bytes:
    out = io.BytesIO()
    first, second = (Image.new("RGB", (64, 64), c) for c in ("red", "blue"))
    first.save(out, "MPO", save_all=True, append_images=[second])
    return out.getvalue()


def test_a_phones_multi_picture_jpeg_is_a_still_jpeg_to_the_client_and_the_checks() -> None:
    data = mpo()
    assert image_kind(data) == "jpeg" and not is_animated(data)
    img, findings = open_still(data, "photo")
    assert img is not None and findings == []  # before: blocked as "an animated MPO with 2 frames"


def test_the_client_and_the_checks_refuse_the_same_moving_images() -> None:
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    for fmt in ("GIF", "PNG", "WEBP"):
        out = io.BytesIO()
        frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
        img, findings = open_still(out.getvalue(), "card")
        assert api.is_animated(out.getvalue()) and img is None and findings[0].severity == "block"
