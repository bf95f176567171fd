"""Per-frame and per-audio-block guidance for the preview: cheap enough for every frame.

The GUI draws the oval from :func:`guide_oval` and shows :attr:`FrameFeedback.message_zh` /
``message_en``; nothing here blocks, it only guides (the clip check decides after recording).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from kiosk.checks import messages
from kiosk.checks import thresholds as lim
from kiosk.checks.audio import voice_level_dbfs
from kiosk.checks.faces import FaceBox, FaceDetector
from kiosk.texts import Text

Status = Literal["ok", "no_face", "too_far", "too_close", "off_center", "too_dark", "too_bright",
                 "several_faces"]

# The words for each status, the most urgent first when several apply.
_HINTS: dict[str, Text] = {
    "no_face": messages.HINT_NO_FACE,
    "several_faces": messages.HINT_SEVERAL_FACES,
    "too_dark": messages.HINT_TOO_DARK,
    "too_bright": messages.HINT_TOO_BRIGHT,
    "too_far": messages.HINT_TOO_FAR,
    "too_close": messages.HINT_TOO_CLOSE,
    "off_center": messages.HINT_OFF_CENTRE,
    "ok": messages.HINT_OK,
}
# The same as (Chinese, English) per status: what FrameFeedback carries and the guide shows.
MESSAGES: dict[str, tuple[str, str]] = {
    status: (hint().zh, hint().en) for status, hint in _HINTS.items()
}


@dataclass(frozen=True)
class Oval:
    """The guide oval in frame pixels: centre and half-axes."""

    cx: float
    cy: float
    rx: float
    ry: float

    def contains(self, x: float, y: float) -> bool:
        """Whether a point lies inside the oval."""
        return ((x - self.cx) / self.rx) ** 2 + ((y - self.cy) / self.ry) ** 2 <= 1.0

    def centred(self, box: FaceBox) -> bool:
        """Whether the face's centre sits near the oval's: within OVAL_CENTRE_TOLERANCE of the axes.

        A Haar box covers brows to chin, much smaller than the oval drawn around a whole head,
        so overlap (IoU) would punish a well-placed face; the centre offset does not.
        """
        cx, cy = box.center
        tol = lim.OVAL_CENTRE_TOLERANCE
        return ((cx - self.cx) / (self.rx * tol)) ** 2 + ((cy - self.cy) / (self.ry * tol)) ** 2 <= 1.0


def guide_oval(width: float, height: float) -> Oval:
    """The oval the GUI draws and the checks measure against, for a frame of this size."""
    rx = width * lim.OVAL_WIDTH_FRACTION / 2
    ry = min(rx * lim.OVAL_ASPECT, height * 0.45)
    return Oval(width / 2, height / 2, rx, ry)


@dataclass(frozen=True)
class FrameFeedback:
    """What one preview frame shows: the face (frame pixels), where it sits, the light."""

    status: Status
    face: FaceBox | None
    faces: int
    in_oval: bool
    face_fraction: float  # face width / frame width
    mean_luma: float  # 0-255, over the face (or the whole frame when no face)
    message_zh: str
    message_en: str

    @property
    def ok(self) -> bool:
        """True when the person is placed well enough to record."""
        return self.status == "ok"


class LiveFrameChecker:
    """Checks preview frames; keep one per preview thread (it remembers the last face).

    After a face is found, the next frames search only around it at nearby sizes (a few times
    cheaper than a full search); every ``full_every``-th frame, and whenever the face is lost,
    the whole frame is searched again, so a second person or a jump is still noticed.
    """

    def __init__(self, detector: FaceDetector | None = None, *, full_every: int = 10) -> None:
        self._detector = detector or FaceDetector()  # its own: it may be used on another thread
        self._full_every = full_every
        self._count = 0
        self._last: FaceBox | None = None  # in the small image's pixels
        self._last_faces = 0

    def _find(self, grey: np.ndarray) -> list[FaceBox]:
        """Faces in the small grey frame, around the last face when there was one."""
        self._count += 1
        last = self._last
        if last is not None and self._count % self._full_every:
            found = self._detector.detect_near(grey, last)
            if found:
                # The face count carries over from the last full search.
                return found + [found[0]] * (self._last_faces - 1)
        min_face = max(20, int(lim.LIVE_MIN_FACE_FRACTION * grey.shape[1] * 0.5))
        faces = self._detector.detect(grey, min_size=min_face, scale_factor=1.2, min_neighbors=3)
        self._count = 0 if faces else self._count
        self._last_faces = len(faces)
        return faces

    def check(self, image_bgr: np.ndarray) -> FrameFeedback:
        """Guidance for one BGR (or grey) frame; a few milliseconds at 640x480."""
        h, w = image_bgr.shape[:2]
        sw = min(lim.LIVE_DETECT_WIDTH, w)
        sh = max(1, round(h * sw / w))
        # Shrink first, convert after: the colour conversion then touches 1/16 of the pixels.
        # Linear is ~8x cheaper than area averaging and the cascade does not notice the aliasing.
        small = cv2.resize(image_bgr, (sw, sh), interpolation=cv2.INTER_LINEAR) if sw < w else image_bgr
        grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        faces = self._find(grey)
        self._last = faces[0] if faces else None
        if not faces:
            return _feedback("no_face", None, 0, False, 0.0, float(grey.mean()))
        best = faces[0]
        x0, y0 = int(best.x), int(best.y)
        crop = grey[y0 : y0 + int(best.h), x0 : x0 + int(best.w)]
        luma = float(crop.mean()) if crop.size else float(grey.mean())
        clipped = float(np.count_nonzero((crop <= 25) | (crop >= 247))) / max(1, crop.size)
        face = best.scaled(w / sw)
        oval = guide_oval(w, h)
        in_oval = oval.centred(face)
        fraction = face.w / w
        if len(faces) > 1:
            status: Status = "several_faces"
        elif luma < lim.DARK_MEAN or (clipped > lim.CLIPPED_SHARE and luma < 128):
            status = "too_dark"
        elif luma > lim.BRIGHT_MEAN or (clipped > lim.CLIPPED_SHARE and luma >= 128):
            status = "too_bright"
        elif fraction < lim.LIVE_MIN_FACE_FRACTION:
            status = "too_far"
        elif fraction > lim.LIVE_MAX_FACE_FRACTION:
            status = "too_close"
        elif not in_oval:
            status = "off_center"
        else:
            status = "ok"
        return _feedback(status, face, len(faces), in_oval, fraction, luma)


def _feedback(status: Status, face: FaceBox | None, count: int, in_oval: bool, fraction: float,
              luma: float) -> FrameFeedback:
    zh, en = MESSAGES[status]
    return FrameFeedback(status, face, count, in_oval, fraction, luma, zh, en)


VoiceStatus = Literal["quiet", "ok", "loud"]


def voice_status(level_dbfs: float) -> VoiceStatus:
    """Where a block's level sits against the target band (RFC 7874: -22 dBFS +-6 dB)."""
    if level_dbfs < lim.VOICE_LOW_DBFS:
        return "quiet"
    if level_dbfs > lim.VOICE_HIGH_DBFS:
        return "loud"
    return "ok"


__all__ = ["FrameFeedback", "LiveFrameChecker", "Oval", "guide_oval", "voice_level_dbfs",
           "voice_status", "MESSAGES"]
