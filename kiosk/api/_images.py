"""What kind of image a byte string holds, and whether it moves: judged by bytes, never by name.

The service refuses GIFs and other animated images (document, section 2, "不支持 .gif这类的动图").
Reading a few chunk headers is enough to tell; no image library is needed in the API layer.
"""

from __future__ import annotations

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def image_kind(data: bytes) -> str:
    """``jpeg``, ``png``, ``gif``, ``webp``, ``bmp`` or ``unknown``, from the magic bytes."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"BM"):
        return "bmp"
    return "unknown"


def content_type(data: bytes) -> str:
    """The MIME type to send for an image part."""
    kind = image_kind(data)
    return "application/octet-stream" if kind == "unknown" else f"image/{kind}"


def _png_is_animated(data: bytes) -> bool:
    # An APNG announces itself with an acTL chunk before the first IDAT.
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"acTL":
            return True
        if kind in (b"IDAT", b"IEND"):
            return False
        pos += 12 + length
    return False


def _webp_is_animated(data: bytes) -> bool:
    # Extended WebP: the VP8X chunk's flag 0x02 marks animation; ANIM/ANMF chunks carry it.
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        if kind == b"VP8X" and pos + 8 < len(data) and data[pos + 8] & 0x02:
            return True
        if kind in (b"ANIM", b"ANMF"):
            return True
        pos += 8 + length + (length & 1)  # chunks are padded to an even size
    return False


def is_animated(data: bytes) -> bool:
    """True for every GIF (the service takes none) and for animated PNG and WebP."""
    kind = image_kind(data)
    if kind == "gif":
        return True
    if kind == "png":
        return _png_is_animated(data)
    if kind == "webp":
        return _webp_is_animated(data)
    return False
