"""Face detection with OpenCV's Haar cascade, on downscaled grey images.

The frontal-face cascade ships in the opencv-python(-headless) 4.x wheels (``cv2.data``), needs no
download and runs in a few milliseconds on a 160-320 px wide image. It is a predictor of the
service's own detector, not a copy of it: it misses strongly turned faces, which the service also
refuses (-5009, -4015).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

CASCADE_FILE = "haarcascade_frontalface_default.xml"


@dataclass(frozen=True)
class FaceBox:
    """A face's bounding box in the coordinates of the image it was found in."""

    x: float
    y: float
    w: float
    h: float

    @property
    def center(self) -> tuple[float, float]:
        """The box's centre point."""
        return (self.x + self.w / 2, self.y + self.h / 2)

    def scaled(self, factor: float) -> FaceBox:
        """The same box in an image ``factor`` times larger."""
        return FaceBox(self.x * factor, self.y * factor, self.w * factor, self.h * factor)


class FaceDetector:
    """Finds frontal faces; one instance per thread (a cascade is not safe to share).

    Loading the cascade takes ~15 ms: keep an instance for a stream of frames.
    """

    def __init__(self, cascade_path: Path | None = None) -> None:
        # cv2.data exists in the 4.x wheels but not in OpenCV's type stubs.
        path = cascade_path or Path(cv2.data.haarcascades) / CASCADE_FILE  # type: ignore[attr-defined]
        self._cascade = cv2.CascadeClassifier(str(path))
        if self._cascade.empty():
            raise RuntimeError(f"cannot load the face cascade {path}")

    def detect(self, gray: np.ndarray, *, min_size: int = 24, scale_factor: float = 1.15,
               min_neighbors: int = 4, max_size: int = 0) -> list[FaceBox]:
        """Faces in a grey (uint8, 2-D) image, largest first; call with an already small image."""
        boxes = self._cascade.detectMultiScale(
            gray, scaleFactor=scale_factor, minNeighbors=min_neighbors,
            minSize=(min_size, min_size), maxSize=(max_size, max_size),
        )
        faces = [FaceBox(float(x), float(y), float(w), float(h)) for x, y, w, h in boxes]
        return sorted(faces, key=lambda f: f.w * f.h, reverse=True)

    def detect_near(self, gray: np.ndarray, last: FaceBox, *, min_neighbors: int = 3) -> list[FaceBox]:
        """The face near ``last`` (same image scale): a search of the area around it at nearby sizes.

        A few times cheaper than a whole-image search, because the small windows that dominate
        the cascade's cost are skipped; callers fall back to :meth:`detect` when it finds nothing.
        """
        h, w = gray.shape[:2]
        x0, y0 = max(0, int(last.x - last.w * 0.5)), max(0, int(last.y - last.h * 0.5))
        x1, y1 = min(w, int(last.x + last.w * 1.5)), min(h, int(last.y + last.h * 1.5))
        if x1 - x0 < 20 or y1 - y0 < 20:
            return []
        found = self.detect(gray[y0:y1, x0:x1], min_size=max(20, int(last.w * 0.75)),
                            scale_factor=1.15, min_neighbors=min_neighbors,
                            max_size=int(last.w * 1.35) + 1)
        return [FaceBox(b.x + x0, b.y + y0, b.w, b.h) for b in found[:1]]

    def detect_scaled(self, image: np.ndarray, width: int, *, min_size: int = 24) -> list[FaceBox]:
        """Faces in a BGR or grey image, detected at ``width`` px wide, in the image's coordinates."""
        gray = to_gray(image)
        factor = gray.shape[1] / width if gray.shape[1] > width else 1.0
        if factor > 1.0:
            small = cv2.resize(gray, (width, max(1, round(gray.shape[0] / factor))),
                               interpolation=cv2.INTER_AREA)
        else:
            small = gray
        return [f.scaled(factor) for f in self.detect(small, min_size=min_size)]


_per_thread = threading.local()


def thread_detector() -> FaceDetector:
    """This thread's default detector, loaded on first use and then reused.

    Parsing the cascade's XML costs ~20 ms of CPU, a tenth of a whole clip check; a cascade must
    not be shared between threads, so each thread keeps its own. It holds no results, only the
    loaded model, so reusing it changes no verdict.
    """
    detector: FaceDetector | None = getattr(_per_thread, "detector", None)
    if detector is None:
        detector = _per_thread.detector = FaceDetector()
    return detector


def to_gray(image: np.ndarray) -> np.ndarray:
    """A uint8 grey view of a BGR, BGRA or grey image."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
