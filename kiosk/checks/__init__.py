"""Local checks that predict the service's refusals before anything is uploaded.

Pure functions over ID numbers, image bytes, clip files, frames and audio blocks: no Qt, no
devices, no network. Every problem is a :class:`Finding` naming the service code it predicts,
whether it blocks the upload or only warns, the measured value, the limit, and what to do in
Chinese and English. The limits live in :mod:`kiosk.checks.thresholds`.

    check_identity(id_number, name, today=None)      -5801 -5804 (-5803 warns)
    check_image(data, role="photo"|"card")           -4016/-4018 -4015/-4017 23
    check_clip(path, extra_body_bytes=0)             -5001 -5015 -5007 -5013 -5012 -5009 -5010 -5011 23
    check_body_size(total_bytes)                     23
    blocking(findings)                               the findings that stop an upload
    LiveFrameChecker().check(frame) -> FrameFeedback preview guidance, every frame
    CardFrameChecker().check(frame) -> CardFeedback  the ID card held up (card mode by camera)
    voice_level_dbfs(samples) -> float               the voice meter, every audio block

Lower-level measurements shared with the emulator: :func:`probe_clip` (decode once: geometry,
16 kHz audio, sampled grey frames), :func:`analyse_speech` (loudness, VAD, noise floor, SNR),
:func:`faces_in_frames`, :class:`FaceDetector`, :func:`measure_liveness` (lips and motion).
"""

from kiosk.checks.audio import (
    AudioStats,
    analyse_speech,
    loudness_lufs,
    noise_floor_dbfs,
    speech_mask,
    voice_level_dbfs,
)
from kiosk.checks.card_frame import CardFeedback, CardFrameChecker, card_guide, crop_card
from kiosk.checks.clip import check_clip, faces_in_frames, judge_clip
from kiosk.checks.faces import FaceBox, FaceDetector
from kiosk.checks.findings import Finding, Severity, blocking
from kiosk.checks.idcard import check_identity, normalize_id_number, normalize_name
from kiosk.checks.image import check_image
from kiosk.checks.live import FrameFeedback, LiveFrameChecker, guide_oval, voice_status
from kiosk.checks.liveness import LivenessMeasures, liveness_findings, measure_liveness
from kiosk.checks.probe import ClipDecodeError, ClipInfo, probe_clip
from kiosk.checks.size import check_body_size

__all__ = [
    "AudioStats", "CardFeedback", "CardFrameChecker", "ClipDecodeError", "ClipInfo", "FaceBox",
    "FaceDetector", "Finding", "FrameFeedback", "LiveFrameChecker", "LivenessMeasures", "Severity",
    "analyse_speech", "blocking", "card_guide", "check_body_size", "check_clip", "check_identity",
    "check_image", "crop_card", "faces_in_frames", "guide_oval", "judge_clip", "liveness_findings",
    "loudness_lufs", "measure_liveness", "noise_floor_dbfs", "normalize_id_number", "normalize_name",
    "probe_clip", "speech_mask", "voice_level_dbfs", "voice_status",
]
