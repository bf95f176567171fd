"""The liveness side of the video calls: the kiosk's own clip checks, then what only the service checks.

First the kiosk's clip checks (``probe_clip`` + ``judge_clip``, exactly what ``check_clip`` runs:
-5001 -5015 -5007 -5013 -5012 -5009), so that the kiosk and the emulator never disagree about one
clip. Then: too few frames with a usable face (-5005, on the emulator's own colour decode, which
runs meanwhile on a second thread) and no speech activity that could be four digits (-5008, on
the sound the checks decoded). The frames with a usable face are kept, best first.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk.checks.findings import Finding, blocking
from kiosk.emulator.clip import ClipData, ClipUnreadableError, read_clip
from kiosk.emulator.faces import Face, FaceEngine
from kiosk.emulator.speech import SpeechActivity, speech_activity

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


@dataclass
class LiveOutcome:
    """The liveness verdict: code 0 with the usable frames best first, or a refusal."""

    code: int
    message: str
    candidates: list[Candidate] = field(default_factory=list)
    clip: ClipData | None = None
    speech: SpeechActivity | None = None
    findings: list[Finding] = field(default_factory=list)


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


def _usable_frames(path: Path, faces: FaceEngine) -> tuple[ClipData, list[Candidate]]:
    """Decode colour frames and keep those with a large, sharp face."""
    clip = read_clip(path)
    candidates: list[Candidate] = []
    for frame, time in zip(clip.frames, clip.times, strict=True):
        found = faces.detect(frame)
        if not found or found[0].width < MIN_FACE_PX:
            continue
        sharp = face_sharpness(frame, found[0])
        if sharp >= MIN_FACE_SHARPNESS:
            candidates.append(Candidate(frame, found[0], time, sharp))
    return clip, candidates


def analyse_clip(path: Path, *, checks: Any, faces: FaceEngine) -> LiveOutcome:
    """Run every liveness check on the clip at ``path``; the first failure decides the code."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="emulator-frames") as pool:
        frames_job = pool.submit(_usable_frames, path, faces)
        try:
            info = checks.probe_clip(path)
        except checks.ClipDecodeError as exc:
            return LiveOutcome(-5001, f"the video is not valid: {exc.reason}")
        # The body size (23) was measured on the real body before this ran; the checks' own
        # estimate adds a framing allowance and would refuse a body the limit let through.
        findings = [f for f in checks.judge_clip(info) if f.code != BODY_TOO_LARGE]
        stop = first_blocking(findings)
        if stop is not None:
            return LiveOutcome(stop.code, stop.message_en, findings=findings)
        try:
            clip, candidates = frames_job.result()
        except ClipUnreadableError as exc:
            return LiveOutcome(-5001, f"the video is not valid: {exc}", findings=findings)

    if len(candidates) < MIN_USABLE_FRAMES:
        # The kiosk's checks saw a face (else -5009 above), so this is the service's own
        # stricter judgement: too few frames fit to compare.
        return LiveOutcome(
            -5005,
            f"too few usable frames: {len(candidates)} of {len(clip.frames)} sampled frames "
            f"show a sharp face of at least {MIN_FACE_PX} px (need {MIN_USABLE_FRAMES})",
            clip=clip, findings=findings,
        )
    if not info.has_audio:
        return LiveOutcome(-5007, "the video has no sound", clip=clip, findings=findings)
    speech = speech_activity(info.audio16k)
    if not speech.looks_like_digits:
        return LiveOutcome(-5008, f"speech not recognised as four digits: {speech.reason}",
                           clip=clip, speech=speech, findings=findings)
    # Most confident detection first; sharpness breaks ties between equally clear faces.
    candidates.sort(key=lambda c: (round(c.face.score, 1), c.sharpness), reverse=True)
    return LiveOutcome(0, "OK", candidates, clip, speech, findings)
