"""One built clip or photo per predicted code: the checks report exactly that code."""

from __future__ import annotations

import pytest

from kiosk.checks import blocking, check_clip, check_image
from tests.support.media import CASES, MediaFactory

CLIPS = [n for n, c in CASES.items() if c.kind == "clip"]
PHOTOS = [n for n, c in CASES.items() if c.kind == "photo"]

pytestmark = pytest.mark.slow  # builds ~17 files with ffmpeg and sox once per session


@pytest.mark.parametrize("name", CLIPS)
def test_clip_reports_exactly_its_codes(media: MediaFactory, name: str) -> None:
    findings = check_clip(media.build(name))
    assert tuple(f.code for f in blocking(findings)) == CASES[name].codes, findings


@pytest.mark.parametrize("name", PHOTOS)
@pytest.mark.parametrize("role", ["photo", "card"])
def test_photo_reports_exactly_its_codes(media: MediaFactory, name: str, role: str) -> None:
    case = CASES[name]
    findings = check_image(media.build(name).read_bytes(), role=role)  # type: ignore[arg-type]
    expected = case.codes if role == "photo" else case.card_codes
    assert tuple(f.code for f in blocking(findings)) == expected, findings


def test_good_clip_has_no_findings_at_all(media: MediaFactory) -> None:
    assert check_clip(media.build("good")) == []


def test_findings_carry_value_limit_and_both_languages(media: MediaFactory) -> None:
    [quiet] = check_clip(media.build("quiet_speech"))
    assert quiet.value < quiet.limit == -40.0
    assert "LUFS" in quiet.message_en and "LUFS" in quiet.message_zh
    [low] = check_clip(media.build("low_resolution"))
    assert (low.value, low.limit) == ("320x240", "320x480")
    [noise] = check_clip(media.build("loud_noise"))
    assert noise.value["snr_db"] < noise.limit["snr_db"]
    assert noise.value["noise_dbfs"] > noise.limit["noise_dbfs"]


def test_card_photo_bytes_count_towards_the_clip_body(media: MediaFactory) -> None:
    good = media.build("good")
    assert check_clip(good, extra_body_bytes=5_900_000)[0].code == 23
    assert check_clip(good, extra_body_bytes=100_000) == []
