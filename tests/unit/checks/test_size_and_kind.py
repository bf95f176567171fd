"""The body-size limit (23) at its edges, and telling photos from clips by their bytes."""

from __future__ import annotations

import pytest

from kiosk.checks import check_body_size
from kiosk.checks import thresholds as lim
from kiosk.checks.sniff import sniff_kind
from tests.support.media import CARD_PHOTO, SAMPLE_CLIP


@pytest.mark.parametrize(("size", "expected"), [
    (0, []), (lim.BODY_WARN_BYTES, []), (lim.BODY_WARN_BYTES + 1, [(23, "warn")]),
    (lim.BODY_LIMIT_BYTES, [(23, "warn")]), (lim.BODY_LIMIT_BYTES + 1, [(23, "block")]),
    (6 * 1024 * 1024, [(23, "block")]),  # "6 MB" read as MiB would let this through
])
def test_body_size_edges(size: int, expected: list) -> None:
    assert [(f.code, f.severity) for f in check_body_size(size)] == expected


def test_body_size_message_names_the_size() -> None:
    [f] = check_body_size(7_300_000)
    assert "7.3 MB" in f.message_en and "7.3 MB" in f.message_zh
    assert (f.value, f.limit) == (7_300_000, lim.BODY_LIMIT_BYTES)


@pytest.mark.parametrize(("head", "name", "kind"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "x.mp4", "photo"),  # the name lies
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x", "photo"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x00", "", "photo"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "", "photo"),
    (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "x.jpg", "clip"),
    (b"FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00", "", "clip"),
    (b"RIFF\x00\x00\x00\x00AVI LIST", "", "clip"),
    (b"\x1a\x45\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1f", "", "clip"),
    (b"this is not anything", "notes.jpg", "photo"),  # unknown bytes: the suffix decides
    (b"this is not anything", "notes.mp4", "clip"),
])
def test_sniff_kind(head: bytes, name: str, kind: str) -> None:
    assert sniff_kind(head, name) == kind


def test_sniff_the_sample_files() -> None:
    assert sniff_kind(SAMPLE_CLIP.read_bytes()[:16]) == "clip"
    assert sniff_kind(CARD_PHOTO.read_bytes()[:16]) == "photo"
