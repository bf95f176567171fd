"""The liveness side of the video calls: the kiosk's own clip checks, then what only the service checks.

Two parts that need nothing of each other, so they can run at once (on two threads, or as two
jobs of the face workers): the kiosk's clip checks (``probe_clip`` + ``judge_clip``, exactly what
``check_clip`` runs: -5001 -5015 -5007 -5013 -5012 -5009, so that the kiosk and the emulator never
disagree about one clip) with the sound's speech activity, and the emulator's own colour decode
with its usable faces. ``live_verdict`` then takes the first failure in the service's order:
the checks', too few frames with a usable face (-5005), no sound (-5007), no speech activity that
could be four digits (-5008).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk.checks.findings import Finding, blocking
from kiosk.emulator.clip import ClipData, read_clip
from kiosk.emulator.faces import Face, FaceEngine
from kiosk.emulator.speech import speech_activity

BODY_TOO_LARGE = 23
# A face narrower than this (in the clip's pixels) is too small to compare; the kiosk guides
# the person to about 150 px (docs/thresholds.md), so 80 px leaves room.
MIN_FACE_PX = 80
# Sharpness of the face crop (variance of the Laplacian) under which a frame is too blurred to
# compare. Measured on the sample clip's face crops: 56-98 as recorded, ~22 after a Gaussian blur
# of sigma 1 px (still fine to compare), ~9 at sigma 2 px (smeared); the cut sits between.
MIN_FACE_SHARPNESS = 12.0
# Of the (ten) sampled frames, at least this many must show a usable face.
MIN_USABLE_FRAMES = 3


@dataclass(frozen=True)
class Candidate:
    """A sampled frame with a usable face, and how good it is."""

    frame: np.ndarray
    face: Face
    time: float
    sharpness: float


@dataclass(frozen=True)
class ChecksPart:
    """What the kiosk's checks and the sound say of a clip: a refusal that comes before the
    frames' (-5001 or the first blocking finding), and what the sound gives for after them."""

    stop: tuple[int, str] | None
    has_audio: bool = False
    speech_reason: str = ""  # empty: the voice looks like four digits
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class FramesPart:
    """What the colour frames say: unreadable, or how many of the sampled frames are usable."""

    unreadable: str = ""
    usable: int = 0
    sampled: int = 0


def first_blocking(findings: list[Finding]) -> Finding | None:
    """The first finding that blocks, in the order the checks reported them."""
    found = blocking(findings)
    return found[0] if found else None


def face_sharpness(frame: np.ndarray, face: Face) -> float:
    """Variance of the Laplacian over the face crop: low means blurred."""
    left, top, right, bottom = face.box
    crop = frame[top:bottom, left:right]
    if crop.size == 0:
        return 0.0
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def usable_frames(path: Path, faces: FaceEngine) -> tuple[ClipData, list[Candidate]]:
    """Decode colour frames and keep those with a large, sharp face, best first.

    Raises ClipUnreadableError when the clip has no decodable frame.
    """
    clip = read_clip(path)
    candidates: list[Candidate] = []
    for frame, time in zip(clip.frames, clip.times, strict=True):
        found = faces.detect(frame)
        if not found or found[0].width < MIN_FACE_PX:
            continue
        sharp = face_sharpness(frame, found[0])
        if sharp >= MIN_FACE_SHARPNESS:
            candidates.append(Candidate(frame, found[0], time, sharp))
    # Most confident detection first; sharpness breaks ties between equally clear faces.
    candidates.sort(key=lambda c: (round(c.face.score, 1), c.sharpness), reverse=True)
    return clip, candidates


def frames_part(clip: ClipData, candidates: list[Candidate]) -> FramesPart:
    """The part of the verdict the frames decide."""
    return FramesPart(usable=len(candidates), sampled=len(clip.frames))


def checks_part(path: Path, *, checks: Any) -> ChecksPart:
    """The kiosk's clip checks (what ``check_clip`` runs), then the sound's speech activity."""
    try:
        info = checks.probe_clip(path)
    except checks.ClipDecodeError as exc:
        return ChecksPart((-5001, f"the video is not valid: {exc.reason}"))
    # The body size (23) was measured on the real body before this ran; the checks' own
    # estimate adds a framing allowance and would refuse a body the limit let through.
    findings = tuple(f for f in checks.judge_clip(info) if f.code != BODY_TOO_LARGE)
    stop = first_blocking(list(findings))
    if stop is not None:
        return ChecksPart((stop.code, stop.message_en), findings=findings)
    if not info.has_audio:
        return ChecksPart(None, findings=findings)
    return ChecksPart(None, True, speech_activity(info.audio16k).reason, findings)


def live_verdict(checks: ChecksPart, frames: FramesPart) -> tuple[int, str]:
    """The first failure in the service's order: the checks', an unreadable clip, too few
    usable frames (-5005), no sound (-5007), speech that is not four digits (-5008); else 0."""
    if checks.stop is not None:
        return checks.stop
    if frames.unreadable:
        return -5001, f"the video is not valid: {frames.unreadable}"
    if frames.usable < MIN_USABLE_FRAMES:
        # The kiosk's checks saw a face (else -5009 above), so this is the service's own
        # stricter judgement: too few frames fit to compare.
        return -5005, (f"too few usable frames: {frames.usable} of {frames.sampled} sampled "
                       f"frames show a sharp face of at least {MIN_FACE_PX} px "
                       f"(need {MIN_USABLE_FRAMES})")
    if not checks.has_audio:
        return -5007, "the video has no sound"
    if checks.speech_reason:
        return -5008, f"speech not recognised as four digits: {checks.speech_reason}"
    return 0, "OK"
