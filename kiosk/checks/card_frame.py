"""Per-frame guidance for the ID card held up to the camera: card, face on it, blur and glare.

Card mode compares the clip with the photo printed on the person's ID card. The kiosk films the
card too: the GUI draws a card-shaped frame (:func:`card_guide`, ID-1's shape), each preview
frame is checked here, and a still is taken from the frames that passed, cropped to the card
(:func:`crop_card`), so the person's own face beside the card never reaches the service as the
"card photo". What the service then says about the still is predicted by
:func:`kiosk.checks.check_image` (-4015/-4017/-4018), which the flow runs on its JPEG.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from kiosk.checks import messages
from kiosk.checks import thresholds as lim
from kiosk.checks.faces import FaceBox, FaceDetector
from kiosk.texts import Text

CardStatus = Literal["ok", "no_card", "several_faces", "too_dark", "too_far", "too_close", "glare",
                     "blurred"]

_HINTS: dict[str, Text] = {
    "no_card": messages.CARD_HINT_NO_CARD,
    "several_faces": messages.CARD_HINT_SEVERAL_FACES,
    "too_dark": messages.CARD_HINT_TOO_DARK,
    "too_far": messages.CARD_HINT_TOO_FAR,
    "too_close": messages.CARD_HINT_TOO_CLOSE,
    "glare": messages.CARD_HINT_GLARE,
    "blurred": messages.CARD_HINT_BLURRED,
    "ok": messages.CARD_HINT_OK,
}
CARD_MESSAGES: dict[str, tuple[str, str]] = {s: (t.zh, t.en) for s, t in _HINTS.items()}


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in frame pixels."""

    x: float
    y: float
    w: float
    h: float

    def grown(self, share: float, width: float, height: float) -> Rect:
        """This rectangle ``share`` larger on every side, kept inside a width x height frame."""
        x0, y0 = max(0.0, self.x - self.w * share), max(0.0, self.y - self.h * share)
        x1 = min(width, self.x + self.w * (1 + share))
        y1 = min(height, self.y + self.h * (1 + share))
        return Rect(x0, y0, x1 - x0, y1 - y0)


def card_guide(width: float, height: float) -> Rect:
    """The card frame the GUI draws and the checks measure against, for a frame of this size."""
    w = width * lim.CARD_GUIDE_WIDTH_FRACTION
    h = w / lim.CARD_ASPECT
    if h > height * lim.CARD_GUIDE_MAX_HEIGHT_FRACTION:
        h = height * lim.CARD_GUIDE_MAX_HEIGHT_FRACTION
        w = h * lim.CARD_ASPECT
    return Rect((width - w) / 2, (height - h) / 2, w, h)


@dataclass(frozen=True)
class CardFeedback:
    """What one frame shows of the card: where it is, its photo's face, how sharp, how much glare.

    ``card`` and ``face`` are in frame pixels (None: not found); ``fill`` is the card's width over
    the card frame's; ``sharpness`` the variance of the Laplacian of the face (0 without one);
    ``glare`` the share of the card's pixels clipped white.
    """

    status: CardStatus
    card: Rect | None
    face: FaceBox | None
    faces: int
    fill: float
    sharpness: float
    glare: float
    mean_luma: float
    message_zh: str
    message_en: str

    @property
    def ok(self) -> bool:
        """True when the card is placed, sharp and free of glare: a still may be taken."""
        return self.status == "ok"


def sharpness(grey: np.ndarray) -> float:
    """Variance of the Laplacian of a grey patch scaled to CARD_FACE_NORM_PX wide (higher: sharper)."""
    if grey.size == 0:
        return 0.0
    h, w = grey.shape[:2]
    size = (lim.CARD_FACE_NORM_PX, max(1, round(h * lim.CARD_FACE_NORM_PX / w)))
    norm = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(norm, cv2.CV_64F).var())


def clipped_share(grey: np.ndarray) -> float:
    """Share of a grey patch's pixels at CARD_GLARE_LUMA or above."""
    if grey.size == 0:
        return 0.0
    return float(np.count_nonzero(grey >= lim.CARD_GLARE_LUMA)) / grey.size


def _find_card(grey: np.ndarray) -> Rect | None:
    """The largest bright four-cornered shape of about ID-1's aspect in a grey image, or None.

    A card is a light rectangle with straight edges; Otsu's threshold separates it from a darker
    background, and its outline, simplified to a polygon, has four corners.
    """
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: Rect | None = None
    area_min = 0.05 * grey.shape[0] * grey.shape[1]
    for contour in contours:
        area = cv2.contourArea(contour)
        if area < area_min:
            continue
        poly = cv2.approxPolyDP(contour, 0.03 * cv2.arcLength(contour, True), True)
        if len(poly) != 4:
            continue
        (_, _), (rw, rh), _ = cv2.minAreaRect(poly)
        aspect = max(rw, rh) / max(1.0, min(rw, rh))
        if abs(aspect - lim.CARD_ASPECT) > 0.25:
            continue
        x, y, w, h = cv2.boundingRect(poly)
        if best is None or w * h > best.w * best.h:
            best = Rect(float(x), float(y), float(w), float(h))
    return best


class CardFrameChecker:
    """Checks preview frames for a held-up ID card; one per preview thread (its own cascade)."""

    def __init__(self, detector: FaceDetector | None = None) -> None:
        self._detector = detector or FaceDetector()

    def check(self, image_bgr: np.ndarray) -> CardFeedback:
        """Guidance for one BGR frame: the most urgent thing to change, or ok."""
        h, w = image_bgr.shape[:2]
        guide = card_guide(w, h)
        # The card may overhang the frame drawn a little: search a region 15 % larger.
        region = guide.grown(0.15, w, h)
        x0, y0 = int(region.x), int(region.y)
        crop = image_bgr[y0:y0 + int(region.h), x0:x0 + int(region.w)]
        factor = crop.shape[1] / lim.CARD_DETECT_WIDTH if crop.shape[1] > lim.CARD_DETECT_WIDTH else 1.0
        size = (round(crop.shape[1] / factor), max(1, round(crop.shape[0] / factor)))
        small = cv2.resize(crop, size, interpolation=cv2.INTER_AREA) if factor > 1 else crop
        grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)

        found = _find_card(grey)
        faces = self._detector.detect(grey, min_size=20, scale_factor=1.1, min_neighbors=4)
        card_small = found
        if found is not None:  # only faces on the card count: a face beside it is the person's
            faces = [f for f in faces if _inside(f, found)]
        face = faces[0] if faces else None
        if card_small is None and face is not None:  # edges not found: judge the size by the face
            cw = face.w / lim.CARD_FACE_SHARE
            ch = cw / lim.CARD_ASPECT
            cx, cy = face.center
            card_small = Rect(cx - cw * 0.78, cy - ch * 0.42, cw, ch)
        area = grey if card_small is None else _cut(grey, card_small)
        luma = float(area.mean()) if area.size else float(grey.mean())
        glare = clipped_share(area) if card_small is not None else 0.0
        face_grey = _cut(grey, Rect(face.x, face.y, face.w, face.h)) if face else grey[:0]
        sharp = sharpness(face_grey) if face is not None else 0.0
        fill = card_small.w * factor / guide.w if card_small is not None else 0.0

        def to_frame(r: Rect) -> Rect:
            return Rect(r.x * factor + x0, r.y * factor + y0, r.w * factor, r.h * factor)

        card = to_frame(card_small) if card_small is not None else None
        face_frame = None
        if face is not None:
            face_frame = FaceBox(face.x * factor + x0, face.y * factor + y0, face.w * factor,
                                 face.h * factor)
        status: CardStatus
        if card_small is None:
            status = "no_card"
        elif luma < lim.CARD_DARK_MEAN:
            status = "too_dark"
        elif found is not None and glare > lim.CARD_GLARE_SHARE:
            status = "glare"  # a reflection may hide the face itself: said before "no card"
        elif fill < lim.CARD_MIN_FILL:
            status = "too_far"  # also when the photo's face is too small to be found
        elif face is None:
            status = "no_card"  # a light rectangle without a face: the back of the card
        elif len(faces) > 1:
            status = "several_faces"
        elif fill > lim.CARD_MAX_FILL:
            status = "too_close"
        elif glare > lim.CARD_GLARE_SHARE or clipped_share(face_grey) > lim.CARD_FACE_GLARE_SHARE:
            status = "glare"
        elif sharp < lim.CARD_SHARP_MIN:
            status = "blurred"
        else:
            status = "ok"
        zh, en = CARD_MESSAGES[status]
        return CardFeedback(status, card, face_frame, len(faces), fill, sharp, glare, luma, zh, en)


def crop_card(image_bgr: np.ndarray, feedback: CardFeedback | None) -> np.ndarray:
    """The part of the frame sent as the card photo: the card found (with a small margin), or
    the card frame drawn; never the whole picture with the person's face in it."""
    h, w = image_bgr.shape[:2]
    rect = feedback.card if feedback is not None and feedback.card is not None else card_guide(w, h)
    r = rect.grown(0.03, w, h)
    x0, y0 = int(r.x), int(r.y)
    return np.ascontiguousarray(image_bgr[y0:y0 + int(r.h), x0:x0 + int(r.w)])


def _inside(face: FaceBox, card: Rect) -> bool:
    cx, cy = face.center
    return card.x <= cx <= card.x + card.w and card.y <= cy <= card.y + card.h


def _cut(grey: np.ndarray, r: Rect) -> np.ndarray:
    x0, y0 = max(0, int(r.x)), max(0, int(r.y))
    return grey[y0:max(y0, int(r.y + r.h)), x0:max(x0, int(r.x + r.w))]


__all__ = ["CARD_MESSAGES", "CardFeedback", "CardFrameChecker", "CardStatus", "Rect", "card_guide",
           "clipped_share", "crop_card", "sharpness"]
