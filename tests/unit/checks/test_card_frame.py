"""The held-up ID card checker on drawn scenes: a sharp card passes; blur, glare, distance refused."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.checks import check_image
from kiosk.checks import thresholds as lim
from kiosk.checks.card_frame import CardFrameChecker, card_guide, crop_card
from tests.support.card_scene import card_frame


@pytest.fixture(scope="module")
def checker() -> CardFrameChecker:
    return CardFrameChecker()


@pytest.mark.parametrize("t", [0.0, 0.4, 1.3])
@pytest.mark.parametrize("scale", [0.5, 0.62, 0.75])
def test_a_sharp_card_held_in_the_frame_passes(checker, t, scale):
    fb = checker.check(card_frame(t=t, scale=scale))
    assert fb.ok, (fb.status, fb.fill, fb.sharpness)
    assert fb.faces == 1 and fb.card is not None and fb.face is not None
    assert fb.sharpness >= 1.5 * lim.CARD_SHARP_MIN, "a margin over the limit"
    assert fb.message_en == "Good, hold still"


@pytest.mark.parametrize("sigma", [2.0, 3.0])
def test_a_blurred_card_is_refused(checker, sigma):
    fb = checker.check(card_frame(blur=sigma))
    assert fb.status == "blurred" and not fb.ok
    assert fb.message_zh == "画面模糊，请拿稳身份证"


def test_glare_on_the_card_is_refused(checker):
    fb = checker.check(card_frame(glare=True))
    assert fb.status == "glare" and fb.glare > lim.CARD_GLARE_SHARE
    assert checker.check(card_frame()).glare == 0.0


def test_no_card_too_far_and_too_close(checker):
    assert checker.check(card_frame(card=False)).status == "no_card"
    assert checker.check(card_frame(scale=0.35)).status == "too_far"
    assert checker.check(card_frame(scale=0.9)).status == "too_close"


def test_a_face_beside_the_card_is_not_the_card(checker):
    # The person's face (the bundled photo, large) beside a card held in the frame: only the
    # card's face counts, and the still is cut to the card.
    frame = card_frame(scale=0.55)
    person = cv2.imread("assets/card_photo.jpg")
    assert person is not None
    small = cv2.resize(person, (110, 135))
    frame[5:140, 5:115] = small
    fb = checker.check(frame)
    assert fb.ok, fb.status
    still = crop_card(frame, fb)
    h, w = still.shape[:2]
    assert abs(w / h - lim.CARD_ASPECT) < 0.15 and w < frame.shape[1] * 0.7


def test_the_guide_has_the_id1_shape_and_fits_any_frame():
    for w, h in ((640, 480), (1280, 720), (480, 640), (1920, 1080)):
        g = card_guide(w, h)
        assert abs(g.w / g.h - 85.6 / 54) < 1e-6
        assert g.x >= 0 and g.x + g.w <= w and g.y >= 0 and g.y + g.h <= h


def test_the_still_passes_the_card_photo_checks(checker):
    frame = card_frame()
    fb = checker.check(frame)
    ok, buf = cv2.imencode(".jpg", crop_card(frame, fb))
    assert ok
    assert check_image(bytes(buf), role="card") == []
    # The frame without a card gives a still the service would refuse: no face (-4017).
    empty = card_frame(card=False)
    ok, buf = cv2.imencode(".jpg", crop_card(empty, checker.check(empty)))
    assert [f.code for f in check_image(bytes(buf), role="card")] == [-4017]


def test_a_grey_frame_is_no_card(checker):
    assert checker.check(np.full((480, 640, 3), 128, np.uint8)).status == "no_card"
