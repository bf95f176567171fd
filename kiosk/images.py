"""What image bytes hold and whether they move: judged by the bytes, never by the file's name.

The service refuses GIFs and other animated images (document, section 2, "不支持 .gif这类的动图").
The API client refuses them before sending and the photo checks explain them; both ask here, so
the two cannot disagree. The kind comes from the magic bytes (no decoding, for the content type);
the frames from Pillow, loaded only when a PNG or WebP has to be looked into. Apart from Pillow
this module depends on nothing, so every layer may use it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

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


def format_name(img: Image) -> str:
    """Pillow's name of the format; a multi-picture JPEG (MPO) is the JPEG every decoder sees."""
    fmt = img.format or "unknown"
    return "JPEG" if fmt == "MPO" else fmt


def frame_count(img: Image) -> int:
    """How many pictures play one after another: 1 for a still.

    Phones write multi-picture JPEGs (MPO: the photo, then a preview or a depth map) that Pillow
    counts as frames; they are still photos, and decoders show the first picture.
    """
    if img.format == "MPO":
        return 1
    return int(getattr(img, "n_frames", 1))


def is_animated(data: bytes) -> bool:
    """True for every GIF (the service takes none) and for PNG and WebP of more than one frame."""
    kind = image_kind(data)
    if kind == "gif":
        return True
    if kind not in ("png", "webp"):  # JPEG and BMP hold one picture
        return False
    import PIL.Image

    try:
        with PIL.Image.open(io.BytesIO(data)) as img:
            return frame_count(img) > 1
    except (OSError, ValueError, SyntaxError, EOFError, PIL.Image.DecompressionBombError):
        return False  # not decodable: the service (and the photo checks) say so, not this


__all__ = ["PNG_SIGNATURE", "content_type", "format_name", "frame_count", "image_kind",
           "is_animated"]
