"""Liveness as the service judges it: does the mouth move while the digits are heard (-5010), does
the face move at all (-5011)?

Both are measured on dlib's 68 facial landmarks (the model ships in the face-recognition-models
wheel, nothing is downloaded) over the grey frames ``probe_clip`` keeps about ten times a second,
and on the WebRTC VAD's speech frames. The kiosk (``check_clip``) and the emulator (which runs
``judge_clip``) call the same functions on the same decoded frames, so they always agree.

What it does not catch (docs/checks.md, "Liveness"): a replayed video of the person speaking, a
screen or photo whose mouth moves (a cut-out, an animated photo), a mask worn by someone speaking;
moiré and replay loops are not looked for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from kiosk.checks import messages
from kiosk.checks import thresholds as lim
from kiosk.checks.audio import FRAME_MS, speech_mask
from kiosk.checks.findings import Finding, finding
from kiosk.checks.probe import ClipInfo

# Landmark indices of the 68-point (iBUG 300-W) layout.
RIGHT_EYE = slice(36, 42)
LEFT_EYE = slice(42, 48)
VAD_SETTLING_FRAMES = 3
RIGID = list(range(27, 48))  # the nose and both eyes: they move with the head, not the mouth
NOSE_TIP = 33
LOWER_LIP = 57  # the lower lip's bottom middle

_models: tuple[Any, Any] | None = None
_models_lock = threading.Lock()
# dlib's detector and predictor are not documented as safe to share between threads.
_run_lock = threading.Lock()


def models() -> tuple[Any, Any]:
    """dlib's HOG face detector and 68-point shape predictor, loaded once per process (~0.7 s)."""
    global _models
    if _models is None:
        with _models_lock:
            if _models is None:
                import warnings

                import dlib

                with warnings.catch_warnings():
                    # It imports pkg_resources, which warns about its own deprecation.
                    warnings.simplefilter("ignore")
                    import face_recognition_models as frm
                _models = (dlib.get_frontal_face_detector(),
                           dlib.shape_predictor(frm.pose_predictor_model_location()))
    return _models


@dataclass(frozen=True)
class LivenessMeasures:
    """What the landmarks showed over a clip; ``None`` where there was too little to measure."""

    face_frames: int
    head_motion: float | None  # 90th percentile of the per-step median landmark shift / eye distance
    eye_spread: float | None  # 90th - 10th percentile of the eye aspect ratio
    mouth_spread: float | None  # the same of the mouth opening, over the whole clip
    speech_frames: int  # frames with a face while speech is heard
    speech_mouth_spread: float | None  # mouth opening spread over those frames

    @property
    def still(self) -> bool:
        """Nothing moved: not the head, not the eyes, not the mouth (a photo or a frozen frame)."""
        return (self.head_motion is not None and self.head_motion < lim.MIN_HEAD_MOTION
                and (self.eye_spread or 0.0) < lim.MIN_EYE_SPREAD
                and (self.mouth_spread or 0.0) < lim.MIN_MOUTH_SPREAD)

    @property
    def lips_still(self) -> bool:
        """Speech was heard for long enough, and the mouth did not move while it was."""
        return (self.speech_frames >= lim.LIVENESS_MIN_SPEECH_FRAMES
                and self.speech_mouth_spread is not None
                and self.speech_mouth_spread < lim.MIN_MOUTH_SPREAD)


def _detect(detector: Any, grey: np.ndarray) -> tuple[int, int, int, int] | None:
    """The most certain face's box (left, top, right, bottom) in ``grey``'s pixels."""
    width = grey.shape[1]
    scale = min(1.0, lim.LIVENESS_DETECT_WIDTH / width)
    small = grey if scale == 1.0 else cv2.resize(
        grey, (round(width * scale), max(1, round(grey.shape[0] * scale))),
        interpolation=cv2.INTER_AREA)
    rects, scores, _ = detector.run(small, 0, 0.0)
    if not rects:
        return None
    best = max(zip(scores, rects, strict=True), key=lambda sr: sr[0])[1]
    return (round(best.left() / scale), round(best.top() / scale),
            round(best.right() / scale), round(best.bottom() / scale))


def track_landmarks(frames: list[np.ndarray], times: list[float]) -> list[np.ndarray | None]:
    """68 landmarks (68x2, pixels) per grey frame, None where no face was found.

    The detector finds the face on the first frame; then its box follows the eyes and nose
    (which do not move with the mouth: a box that followed the jaw would shift the landmarks with
    each word), moved and scaled as they moved. Every LIVENESS_VERIFY_S the detector looks
    again: no face there, and the frame has none (the predictor would place landmarks on
    anything); a face elsewhere, and the box starts from it. A face where the box already is does
    not move the box: re-anchoring makes the landmarks jump (measured: a still jaw then spread
    0.023, near the limit).
    """
    import dlib

    detector, predictor = models()
    out: list[np.ndarray | None] = []
    box: tuple[int, int, int, int] | None = None
    anchor: tuple[np.ndarray, float, tuple[int, int, int, int]] | None = None
    last_look = -1e9
    with _run_lock:
        for grey, t in zip(frames, times, strict=True):
            detected = False
            if box is None or t - last_look >= lim.LIVENESS_VERIFY_S:
                last_look = t
                found = _detect(detector, grey)
                if found is None or box is None or _far_apart(found, box):
                    box, detected = found, found is not None
            if box is None:
                out.append(None)
                continue
            shape = predictor(grey, dlib.rectangle(*box))
            points = np.array([(p.x, p.y) for p in shape.parts()], np.float64)
            rigid = points[RIGID]
            centre = rigid.mean(axis=0)
            size = float(np.sqrt(((rigid - centre) ** 2).sum(axis=1).mean()))
            if detected or anchor is None:
                anchor = (centre, size, box)
            x0, y0 = points.min(axis=0)
            x1, y1 = points.max(axis=0)
            inside = (x0 >= 0 and y0 >= 0 and x1 <= grey.shape[1] and y1 <= grey.shape[0]
                      and size > 5)
            if not inside:
                out.append(None)
                box = anchor = None  # lost: detect again on the next frame
                continue
            out.append(points)
            ref_centre, ref_size, ref_box = anchor
            scale = size / max(ref_size, 1e-6)
            box = tuple(round(centre[k % 2] + (ref_box[k] - ref_centre[k % 2]) * scale)
                        for k in range(4))  # type: ignore[assignment]
    return out


def _far_apart(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Two boxes whose centres are more than half a box width apart: not the same face."""
    width = max(b[2] - b[0], 1)
    return bool(abs((a[0] + a[2]) - (b[0] + b[2])) / 2 > width / 2
                or abs((a[1] + a[3]) - (b[1] + b[3])) / 2 > width / 2)


def eye_distance(points: np.ndarray) -> float:
    """Distance between the eyes' centres, the unit every other measure is divided by."""
    return float(np.linalg.norm(points[RIGHT_EYE].mean(axis=0) - points[LEFT_EYE].mean(axis=0)))


def mouth_opening(points: np.ndarray) -> float:
    """How far the lower lip is from the nose tip, over the eye distance.

    Speaking drops the jaw and the lower lip with it; measured from the nose, which does not move
    with the jaw, this follows the voice more steadily than the lip gaps, whose few pixels the
    landmarks place less surely (docs/checks.md, "Liveness": 4x the jitter's spread, against 2x).
    """
    gap = np.linalg.norm(points[NOSE_TIP] - points[LOWER_LIP])
    return float(gap / max(eye_distance(points), 1.0))


def eye_aspect(points: np.ndarray) -> float:
    """The eye aspect ratio (Soukupova and Cech, 2016), both eyes averaged: ~0.3 open, ~0.1 shut."""
    ratios = []
    for eye in (points[RIGHT_EYE], points[LEFT_EYE]):
        vertical = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
        ratios.append(vertical / (2 * max(float(np.linalg.norm(eye[0] - eye[3])), 1.0)))
    return float(np.mean(ratios))


def _spread(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    return float(np.percentile(values, 90) - np.percentile(values, 10))


def speech_at(times: list[float], samples16k: np.ndarray) -> list[bool]:
    """Whether speech is heard at each video time (within LIVENESS_SPEECH_SLACK_S)."""
    if samples16k.size == 0:
        return [False] * len(times)
    mask = speech_mask(samples16k)
    # The VAD calls its first three frames speech before it adapts (kiosk.checks.thresholds,
    # VAD_MODE): no lips are judged by them.
    mask[:VAD_SETTLING_FRAMES] = False
    frame_s = FRAME_MS / 1000
    voiced = np.flatnonzero(mask) * frame_s + frame_s / 2
    if voiced.size == 0:
        return [False] * len(times)
    return [bool(np.min(np.abs(voiced - t)) <= lim.LIVENESS_SPEECH_SLACK_S + frame_s / 2)
            for t in times]


def measure_liveness(info: ClipInfo) -> LivenessMeasures:
    """The landmark measures over a probed clip's motion frames and sound."""
    track = track_landmarks(info.motion_frames, info.motion_times)
    heard = speech_at(info.motion_times, info.audio16k)
    faces = [(p, h) for p, h in zip(track, heard, strict=True) if p is not None]
    steps: list[float] = []
    for before, after in zip(track, track[1:], strict=False):
        if before is not None and after is not None:
            shift = np.linalg.norm(after - before, axis=1)
            steps.append(float(np.median(shift)) / max(eye_distance(after), 1.0))
    openings = [mouth_opening(p) for p, _ in faces]
    return LivenessMeasures(
        face_frames=len(faces),
        head_motion=float(np.percentile(steps, 90)) if steps else None,
        eye_spread=_spread([eye_aspect(p) for p, _ in faces]),
        mouth_spread=_spread(openings),
        speech_frames=sum(1 for _, h in faces if h),
        speech_mouth_spread=_spread([o for o, (_, h) in zip(openings, faces, strict=True) if h]),
    )


def liveness_findings(measures: LivenessMeasures) -> list[Finding]:
    """-5011 when nothing in the face moved, else -5010 when the lips stayed still during speech."""
    if measures.still:
        return [finding(-5011, "block", _rounded(measures),
                        {"head_motion": lim.MIN_HEAD_MOTION, "eye_spread": lim.MIN_EYE_SPREAD,
                         "mouth_spread": lim.MIN_MOUTH_SPREAD},
                        messages.FACE_NOT_MOVING())]
    if measures.lips_still:
        spread = round(measures.speech_mouth_spread or 0.0, 3)
        return [finding(-5010, "block", spread, lim.MIN_MOUTH_SPREAD,
                        messages.LIPS_NOT_MOVING())]
    return []


def _rounded(measures: LivenessMeasures) -> dict[str, float | None]:
    return {name: None if value is None else round(value, 3) for name, value in (
        ("head_motion", measures.head_motion), ("eye_spread", measures.eye_spread),
        ("mouth_spread", measures.mouth_spread))}
