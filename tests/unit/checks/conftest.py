"""Fixtures for the checks' tests: the session's built media, and preview frames made to order."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from kiosk.checks import FaceBox, FaceDetector
from tests.support.media import CARD_PHOTO, MediaFactory, session_factory

Compose = Callable[..., np.ndarray]


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    """Builds (once per session) the clips and photos of tests.support.media.CASES."""
    return session_factory(tmp_path_factory)


@pytest.fixture(scope="session")
def detector() -> FaceDetector:
    """One loaded cascade for the session's tests."""
    return FaceDetector()


@pytest.fixture(scope="session")
def card_bgr() -> np.ndarray:
    """The sample person's card photo (358x441 BGR)."""
    image = cv2.imread(str(CARD_PHOTO))
    assert image is not None
    return image


@pytest.fixture(scope="session")
def card_face(card_bgr: np.ndarray, detector: FaceDetector) -> FaceBox:
    """Where the face is in the card photo (to place it in a frame)."""
    [face] = detector.detect(cv2.cvtColor(card_bgr, cv2.COLOR_BGR2GRAY))
    return face


@pytest.fixture(scope="session")
def compose(card_bgr: np.ndarray, card_face: FaceBox) -> Compose:
    """``compose(scale=1.0, dx=0, dy=0, size=(640, 480))``: a grey frame with the card photo
    pasted so the face's centre sits ``dx, dy`` pixels from the frame's centre."""

    def make(scale: float = 1.0, dx: float = 0, dy: float = 0,
             size: tuple[int, int] = (640, 480)) -> np.ndarray:
        width, height = size
        frame = np.full((height, width, 3), 120, np.uint8)
        img = cv2.resize(card_bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        cx, cy = (c * scale for c in card_face.center)
        x0, y0 = round(width / 2 + dx - cx), round(height / 2 + dy - cy)
        h, w = img.shape[:2]
        fx0, fy0, fx1, fy1 = max(0, x0), max(0, y0), min(width, x0 + w), min(height, y0 + h)
        frame[fy0:fy1, fx0:fx1] = img[fy0 - y0 : fy1 - y0, fx0 - x0 : fx1 - x0]
        return frame

    return make
