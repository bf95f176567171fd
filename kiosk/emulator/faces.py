"""Face comparison with dlib's ResNet model, whose weights ship in ``face-recognition-models``.

Detection is dlib's HOG detector on a downscaled copy (fast enough for a handful of video
frames), with a full-size, upsampled retry and finally OpenCV's Haar cascade (the detector the
kiosk's own checks use) so the emulator does not miss a face the kiosk found. Each face gives a
128-number descriptor; the Euclidean distance between two descriptors maps to a 0-100 similarity
(``similarity_of``). Models load once, on first use, and are shared by every request thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

# Distance -> similarity anchors. dlib's own same-person cut is 0.6 (99.38 % on LFW); the same
# person usually lands at 0.25-0.45 and different people at 0.7-1.0. The curve puts the API's
# recommended threshold 70 at distance 0.52 and 80 (the stricter one) at 0.44, so a pass at 70 is
# stricter than dlib's own cut. See docs/emulator.md.
DISTANCE_ANCHORS = (0.0, 0.4, 0.6, 0.9, 1.2)
SIMILARITY_ANCHORS = (100.0, 85.0, 60.0, 10.0, 0.0)

# The HOG detector's window is 80x80: on a copy with this long side a face must span about a
# sixth of the frame's height, which a kiosk's framing ensures; smaller ones fall to the retry.
DETECT_LONG_SIDE = 400


def similarity_of(distance: float) -> float:
    """Map a descriptor distance to a 0-100 similarity (monotone, piecewise linear)."""
    return float(np.interp(distance, DISTANCE_ANCHORS, SIMILARITY_ANCHORS))


@dataclass(frozen=True)
class Face:
    """A face found in an image: its box (left, top, right, bottom) and the detector's score."""

    box: tuple[int, int, int, int]
    score: float = 0.0

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def area(self) -> int:
        return max(0, self.box[2] - self.box[0]) * max(0, self.box[3] - self.box[1])


def model_paths() -> tuple[Path, Path]:
    """The 5-point landmark and ResNet descriptor weights inside face_recognition_models."""
    import warnings

    with warnings.catch_warnings():
        # It imports pkg_resources, which warns about its own deprecation.
        warnings.simplefilter("ignore")
        import face_recognition_models as frm

    return (
        Path(frm.pose_predictor_five_point_model_location()),
        Path(frm.face_recognition_model_location()),
    )


class FaceEngine:
    """Detects faces and computes descriptors; thread-safe, loads the models lazily once."""

    def __init__(self) -> None:
        self._load_lock = threading.Lock()
        # dlib's networks keep per-call state in the model object: one call at a time.
        self._run_lock = threading.Lock()
        self._models: tuple[Any, Any, Any] | None = None
        self._haar: Any = None

    @property
    def loaded(self) -> bool:
        return self._models is not None

    def _load(self) -> tuple[Any, Any, Any]:
        if self._models is None:
            with self._load_lock:
                if self._models is None:
                    import dlib

                    shape_path, resnet_path = model_paths()
                    self._haar = cv2.CascadeClassifier(
                        str(Path(cv2.data.haarcascades)  # type: ignore[attr-defined]  # not in cv2's stubs
                            / "haarcascade_frontalface_default.xml")
                    )
                    self._models = (
                        dlib.get_frontal_face_detector(),
                        dlib.shape_predictor(str(shape_path)),
                        dlib.face_recognition_model_v1(str(resnet_path)),
                    )
        return self._models

    def detect(self, image_bgr: np.ndarray, *, thorough: bool = False) -> list[Face]:
        """Faces in an image, most certain first; ``thorough`` adds slower retries for photos."""
        detector, _, _ = self._load()
        height, width = image_bgr.shape[:2]
        scale = min(1.0, DETECT_LONG_SIDE / max(height, width))
        small = image_bgr if scale == 1.0 else cv2.resize(
            image_bgr, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
        )
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        with self._run_lock:
            rects, scores, _ = detector.run(rgb, 0, 0.0)
            if not rects and thorough:
                rects, scores, _ = detector.run(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB), 1, 0.0)
                scale = 1.0
        faces = [
            Face(_clip_box((r.left() / scale, r.top() / scale, r.right() / scale,
                            r.bottom() / scale), width, height), float(score))
            for r, score in zip(rects, scores, strict=True)
        ]
        if not faces and thorough:
            faces = self._haar_faces(image_bgr)
        # By the detector's confidence, not size: a large false hit (a badge, a patch) must not
        # win over the real face.
        return sorted(faces, key=lambda f: f.score, reverse=True)

    def _haar_faces(self, image_bgr: np.ndarray) -> list[Face]:
        gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
        side = min(gray.shape[:2])
        found = self._haar.detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=5, minSize=(max(24, side // 10),) * 2
        )
        height, width = gray.shape[:2]
        return [Face(_clip_box((x, y, x + w, y + h), width, height)) for (x, y, w, h) in found]

    def descriptor(self, image_bgr: np.ndarray, face: Face) -> np.ndarray:
        """The 128-number descriptor of one face."""
        import dlib

        _, shape_predictor, resnet = self._load()
        rgb = np.ascontiguousarray(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB))
        rect = dlib.rectangle(*face.box)
        with self._run_lock:
            shape = shape_predictor(rgb, rect)
            return np.asarray(resnet.compute_face_descriptor(rgb, shape), dtype=np.float64)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance between two descriptors."""
    return float(np.linalg.norm(a - b))


def descriptor_bytes(descriptor: np.ndarray) -> bytes:
    """A descriptor as bytes for the registry's cache."""
    return np.asarray(descriptor, dtype="<f8").tobytes()


def descriptor_from_bytes(data: bytes) -> np.ndarray:
    """A descriptor back from the registry's cache."""
    return np.frombuffer(data, dtype="<f8").astype(np.float64)


def decode_image(data: bytes) -> np.ndarray | None:
    """A BGR image from JPEG/PNG/... bytes; None when not decodable or animated (GIF)."""
    if data[:4] == b"GIF8" or not data:
        return None
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    return image if image is not None and image.size else None


def encode_jpeg(image_bgr: np.ndarray, quality: int = 85) -> bytes:
    """JPEG bytes of an image (the best frame in a reply)."""
    ok, buf = cv2.imencode(".jpg", image_bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(buf)


def _clip_box(box: tuple[float, float, float, float], width: int, height: int
              ) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return (max(0, int(left)), max(0, int(top)), min(width, int(right)), min(height, int(bottom)))
