"""Clip checks before upload: container, resolution, length, sound, noise, face, liveness, body size."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.checks import messages
from kiosk.checks import thresholds as lim
from kiosk.checks.audio import AudioStats, analyse_speech
from kiosk.checks.faces import FaceBox, FaceDetector, thread_detector
from kiosk.checks.findings import Finding, blocking, finding
from kiosk.checks.liveness import liveness_findings, measure_liveness
from kiosk.checks.probe import ClipDecodeError, ClipInfo, probe_clip
from kiosk.checks.size import check_body_size
from kiosk.texts import Message


def faces_in_frames(frames: list[np.ndarray], detector: FaceDetector | None = None) -> list[list[FaceBox]]:
    """The faces found in each sampled grey frame (already small: see probe_clip).

    After a face is found, the next frame is first searched only around it at nearby sizes
    (about three times cheaper); a whole-frame search follows only when that finds nothing, so a
    person who moved is still found. Only whether a frame shows a face is used downstream.
    """
    det = detector or thread_detector()
    out: list[list[FaceBox]] = []
    last: FaceBox | None = None
    for frame in frames:
        found = det.detect_near(frame, last, min_neighbors=4) if last is not None else []
        if not found:
            found = det.detect(frame, min_size=24, scale_factor=1.2, min_neighbors=4)
        out.append(found)
        last = found[0] if found else None
    return out


def _invalid(value: object, limit: object, why: Message) -> Finding:
    return finding(-5001, "block", value, limit, messages.CLIP_INVALID(why=why))


def _container_findings(info: ClipInfo) -> list[Finding]:
    demuxers = set(info.container.split(","))
    if not demuxers & set(lim.ACCEPTED_CONTAINERS):
        return [_invalid(info.container, "mp4/avi/flv",
                         messages.CONTAINER_NOT_ACCEPTED(container=info.container))]
    declared = info.declared_seconds
    if info.decode_error or (declared and info.decoded_seconds < lim.MIN_DECODED_FRACTION * declared):
        got = round(info.decoded_seconds, 2)
        return [_invalid(got, round(declared or 0.0, 2), messages.CLIP_CUT_OFF(seconds=got))]
    return []


def _picture_findings(info: ClipInfo) -> list[Finding]:
    out: list[Finding] = []
    short, long = sorted((info.width, info.height))
    if short < lim.MIN_SHORT_SIDE or long < lim.MIN_LONG_SIDE:
        out.append(finding(-5015, "block", f"{info.width}x{info.height}",
                           f"{lim.MIN_SHORT_SIDE}x{lim.MIN_LONG_SIDE}",
                           messages.RESOLUTION_TOO_LOW(width=info.width, height=info.height)))
    secs = round(info.seconds, 2)
    if secs < lim.MIN_SECONDS:
        out.append(finding(-5005, "warn", secs, lim.MIN_SECONDS,
                           messages.CLIP_TOO_SHORT(seconds=secs)))
    elif secs > lim.MAX_SECONDS:
        out.append(finding(-5001, "warn", secs, lim.MAX_SECONDS,
                           messages.CLIP_TOO_LONG(seconds=secs)))
    return out


def _sound_findings(info: ClipInfo, stats: AudioStats | None) -> list[Finding]:
    if not info.has_audio or stats is None:
        return [finding(-5007, "block", "no audio stream", "audio stream",
                        messages.NO_SOUND_TRACK())]
    if stats.peak_dbfs < lim.SILENCE_PEAK_DBFS:
        peak = round(stats.peak_dbfs, 1)
        return [finding(-5007, "block", peak, lim.SILENCE_PEAK_DBFS, messages.SILENT(peak=peak))]
    out: list[Finding] = []
    lufs = round(stats.loudness_lufs, 1)
    noisy = stats.noise_dbfs > lim.NOISE_BLOCK_DBFS and (stats.snr_db is None or stats.snr_db < lim.SNR_BLOCK_DB)
    if noisy:
        snr = None if stats.snr_db is None else round(stats.snr_db, 1)
        out.append(finding(-5012, "block", {"noise_dbfs": round(stats.noise_dbfs, 1), "snr_db": snr},
                           {"noise_dbfs": lim.NOISE_BLOCK_DBFS, "snr_db": lim.SNR_BLOCK_DB},
                           messages.TOO_NOISY_NO_SPEECH(noise=stats.noise_dbfs) if snr is None
                           else messages.TOO_NOISY(noise=stats.noise_dbfs, snr=snr)))
    elif (stats.snr_db is not None and stats.snr_db < lim.SNR_WARN_DB
          and stats.speech_seconds >= lim.MIN_SPEECH_SECONDS):
        # A few stray VAD frames in a voiceless clip give an SNR that means nothing.
        out.append(finding(-5012, "warn", round(stats.snr_db, 1), lim.SNR_WARN_DB,
                           messages.RATHER_NOISY(snr=stats.snr_db)))
    if lufs < lim.LOUDNESS_BLOCK_LUFS and not noisy:
        out.append(finding(-5013, "block", lufs, lim.LOUDNESS_BLOCK_LUFS,
                           messages.VOICE_TOO_QUIET(lufs=lufs)))
    elif lufs < lim.LOUDNESS_WARN_LUFS and not noisy:
        out.append(finding(-5013, "warn", lufs, lim.LOUDNESS_WARN_LUFS,
                           messages.VOICE_RATHER_QUIET(lufs=lufs)))
    elif stats.speech_seconds < lim.MIN_SPEECH_SECONDS and not noisy:
        sp = round(stats.speech_seconds, 2)
        out.append(finding(-5013, "warn", sp, lim.MIN_SPEECH_SECONDS,
                           messages.HARDLY_ANY_SPEECH(seconds=sp)))
    if stats.peak_dbfs > lim.CLIP_PEAK_DBFS:
        out.append(finding(-5008, "warn", round(stats.peak_dbfs, 1), lim.CLIP_PEAK_DBFS,
                           messages.SOUND_CLIPPED()))
    return out


def _face_findings(faces: list[list[FaceBox]]) -> list[Finding]:
    if not faces:
        return []
    share = sum(1 for f in faces if f) / len(faces)
    value = round(share, 2)
    if share < lim.FACE_FRAMES_BLOCK:
        return [finding(-5009, "block", value, lim.FACE_FRAMES_BLOCK,
                        messages.FACE_MOSTLY_MISSING(share=share))]
    if share < lim.FACE_FRAMES_WARN:
        return [finding(-5009, "warn", value, lim.FACE_FRAMES_WARN,
                        messages.FACE_SOMETIMES_MISSING(share=share))]
    return []


def judge_clip(info: ClipInfo, *, extra_body_bytes: int = 0,
               detector: FaceDetector | None = None) -> list[Finding]:
    """The findings for an already probed clip (see :func:`check_clip`)."""
    findings = check_body_size(info.size_bytes + extra_body_bytes + lim.MULTIPART_ALLOWANCE_BYTES)
    broken = _container_findings(info)
    if broken:
        return broken + findings  # what else was measured on a cut-off file means little
    stats = analyse_speech(info.audio16k) if info.has_audio and info.audio16k.size else None
    findings += _picture_findings(info)
    findings += _sound_findings(info, stats)
    face = _face_findings(faces_in_frames(info.frames, detector))
    findings += face
    if not blocking(face) and info.motion_frames:
        # Lips and motion mean something only on a face that is there (else -5009 says it).
        findings += liveness_findings(measure_liveness(info))
    return sorted(findings, key=lambda f: f.severity != "block")


def check_clip(path: Path, *, extra_body_bytes: int = 0,
               detector: FaceDetector | None = None) -> list[Finding]:
    """Check a recorded clip before upload; blocking findings first.

    ``extra_body_bytes`` is what else goes in the same request (the card photo, for livedetectfour
    with compare_flag); multipart framing is allowed for. Raises InputError when the file cannot
    be read at all; a file that is not a decodable video is a -5001 finding.
    """
    try:
        info = probe_clip(Path(path))
    except ClipDecodeError as exc:
        size = Path(path).stat().st_size
        return [_invalid(exc.reason, "a decodable MP4/AVI/FLV video",
                         messages.CLIP_UNDECODABLE(reason=exc.reason)),
                *check_body_size(size + extra_body_bytes + lim.MULTIPART_ALLOWANCE_BYTES)]
    return judge_clip(info, extra_body_bytes=extra_body_bytes, detector=detector)
