"""Photo checks beyond the built cases: formats, animation in other containers, empty bytes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.checks import check_image
from tests.support.media import CARD_PHOTO


def encode(fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    Image.open(CARD_PHOTO).save(out, fmt, **kw)
    return out.getvalue()


def found(data: bytes, role: str = "photo") -> list[tuple[int, str]]:
    return [(f.code, f.severity) for f in check_image(data, role=role)]  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["PNG", "BMP", "JPEG"])
def test_accepted_formats_with_a_face_pass(fmt: str) -> None:
    assert found(encode(fmt)) == []


def test_other_decodable_formats_only_warn() -> None:
    assert found(encode("TIFF")) == [(-4016, "warn")]
    assert found(encode("TIFF"), "card") == [(-4018, "warn")]


def test_animated_png_is_refused_like_a_gif() -> None:
    img = Image.open(CARD_PHOTO)
    out = io.BytesIO()
    img.save(out, "PNG", save_all=True, append_images=[img.rotate(5)], duration=200)
    [f] = check_image(out.getvalue(), role="card")
    assert (f.code, f.severity, f.value) == (-4018, "block", 2)
    assert "PNG" in f.message_en


def test_a_single_frame_gif_is_refused_too() -> None:
    # The document names .gif; the service and the emulator go by the GIF signature.
    assert found(encode("GIF")) == [(-4016, "block")]


def test_empty_bytes() -> None:
    [f] = check_image(b"", role="photo")
    assert (f.code, f.severity, f.value) == (-4016, "block", 0)


def test_a_face_too_small_to_see_is_no_face() -> None:
    tiny = io.BytesIO()
    Image.open(CARD_PHOTO).resize((36, 44)).save(tiny, "JPEG")
    assert found(tiny.getvalue(), "card") == [(-4017, "block")]


def test_unknown_role_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="role"):
        check_image(encode("PNG"), role="selfie")  # type: ignore[arg-type]
