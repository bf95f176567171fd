"""Clip checks before upload: container, resolution, length, sound, noise, face, body size."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.checks import thresholds as lim
from kiosk.checks.audio import AudioStats, analyse_speech
from kiosk.checks.faces import FaceBox, FaceDetector, thread_detector
from kiosk.checks.findings import Finding, Severity
from kiosk.checks.probe import ClipDecodeError, ClipInfo, probe_clip
from kiosk.checks.size import check_body_size


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


def _invalid(value: object, limit: object, zh: str, en: str,
             severity: Severity = "block") -> Finding:
    return Finding(-5001, severity, value, limit,
                   f"视频无效：{zh}。请重新录制。", f"The video is not valid: {en}. Record again.")


def _container_findings(info: ClipInfo) -> list[Finding]:
    demuxers = set(info.container.split(","))
    if not demuxers & set(lim.ACCEPTED_CONTAINERS):
        return [_invalid(info.container, "mp4/avi/flv", f"格式 {info.container} 不受支持（只支持 "
                         "MP4、AVI、FLV）", f"the {info.container} format is not accepted "
                         "(MP4, AVI or FLV only)")]
    declared = info.declared_seconds
    if info.decode_error or (declared and info.decoded_seconds < lim.MIN_DECODED_FRACTION * declared):
        got = round(info.decoded_seconds, 2)
        return [_invalid(got, round(declared or 0.0, 2), f"文件不完整，只能读出 {got:.1f} 秒",
                         f"the file is cut off or damaged; only {got:.1f} s could be decoded")]
    return []


def _picture_findings(info: ClipInfo) -> list[Finding]:
    out: list[Finding] = []
    short, long = sorted((info.width, info.height))
    if short < lim.MIN_SHORT_SIDE or long < lim.MIN_LONG_SIDE:
        size = f"{info.width}x{info.height}"
        out.append(Finding(-5015, "block", size, f"{lim.MIN_SHORT_SIDE}x{lim.MIN_LONG_SIDE}",
                           f"视频分辨率 {size} 太低，最小 320x480（横竖均可）。请把摄像头设为 640x480 "
                           "或更高后重新录制。",
                           f"The video is {size}, below the minimum of 320x480 (either way round). "
                           "Set the camera to 640x480 or more and record again."))
    secs = round(info.seconds, 2)
    if secs < lim.MIN_SECONDS:
        out.append(Finding(-5005, "warn", secs, lim.MIN_SECONDS,
                           f"视频只有 {secs:.1f} 秒，太短。请录满约 5 秒，读完四位数字。",
                           f"The video is only {secs:.1f} s long. Record about 5 s and read all "
                           "four digits."))
    elif secs > lim.MAX_SECONDS:
        out.append(Finding(-5001, "warn", secs, lim.MAX_SECONDS,
                           f"视频长 {secs:.0f} 秒，超过 20 秒，服务可能拒绝。请录约 5 秒。",
                           f"The video is {secs:.0f} s long, over 20 s; the service may refuse it. "
                           "Record about 5 s."))
    return out


def _sound_findings(info: ClipInfo, stats: AudioStats | None) -> list[Finding]:
    if not info.has_audio or stats is None:
        return [Finding(-5007, "block", "no audio stream", "audio stream",
                        "视频里没有声音轨道。请检查麦克风是否连接并选中，然后重新录制。",
                        "The video has no sound track. Check that a microphone is connected and "
                        "selected, then record again.")]
    if stats.peak_dbfs < lim.SILENCE_PEAK_DBFS:
        peak = round(stats.peak_dbfs, 1)
        return [Finding(-5007, "block", peak, lim.SILENCE_PEAK_DBFS,
                        f"视频里没有声音（峰值 {peak} dBFS）。请检查麦克风是否静音，然后大声读出数字。",
                        f"The video is silent (peak {peak} dBFS). Check the microphone is not "
                        "muted, then read the digits aloud.")]
    out: list[Finding] = []
    lufs = round(stats.loudness_lufs, 1)
    noisy = stats.noise_dbfs > lim.NOISE_BLOCK_DBFS and (stats.snr_db is None or stats.snr_db < lim.SNR_BLOCK_DB)
    if noisy:
        snr = None if stats.snr_db is None else round(stats.snr_db, 1)
        out.append(Finding(-5012, "block", {"noise_dbfs": round(stats.noise_dbfs, 1), "snr_db": snr},
                           {"noise_dbfs": lim.NOISE_BLOCK_DBFS, "snr_db": lim.SNR_BLOCK_DB},
                           f"背景噪声太大（噪声 {stats.noise_dbfs:.0f} dBFS，信噪比 "
                           f"{'—' if snr is None else snr} dB）。请到安静的地方或关掉风扇、音乐后重新录制。",
                           f"Too much background noise (noise {stats.noise_dbfs:.0f} dBFS, "
                           f"speech {'not heard' if snr is None else f'{snr} dB'} above it). Move "
                           "somewhere quieter or switch off fans and music, then record again."))
    elif (stats.snr_db is not None and stats.snr_db < lim.SNR_WARN_DB
          and stats.speech_seconds >= lim.MIN_SPEECH_SECONDS):
        # A few stray VAD frames in a voiceless clip give an SNR that means nothing.
        out.append(Finding(-5012, "warn", round(stats.snr_db, 1), lim.SNR_WARN_DB,
                           f"背景有些吵（信噪比 {stats.snr_db:.0f} dB）。在更安静的地方识别更可靠。",
                           f"The background is noisy (speech only {stats.snr_db:.0f} dB above it). "
                           "A quieter place is more reliable."))
    if lufs < lim.LOUDNESS_BLOCK_LUFS and not noisy:
        out.append(Finding(-5013, "block", lufs, lim.LOUDNESS_BLOCK_LUFS,
                           f"声音太小（响度 {lufs} LUFS）。请靠近麦克风，大声、清楚地读出四位数字。",
                           f"The voice is too quiet ({lufs} LUFS). Come closer to the microphone "
                           "and read the four digits loudly and clearly."))
    elif lufs < lim.LOUDNESS_WARN_LUFS and not noisy:
        out.append(Finding(-5013, "warn", lufs, lim.LOUDNESS_WARN_LUFS,
                           f"声音偏小（响度 {lufs} LUFS）。请再大声一点。",
                           f"The voice is rather quiet ({lufs} LUFS). Speak up a little."))
    elif stats.speech_seconds < lim.MIN_SPEECH_SECONDS and not noisy:
        sp = round(stats.speech_seconds, 2)
        out.append(Finding(-5013, "warn", sp, lim.MIN_SPEECH_SECONDS,
                           f"几乎没有听到说话（{sp} 秒）。请读出全部四位数字。",
                           f"Hardly any speech was heard ({sp} s). Read all four digits aloud."))
    if stats.peak_dbfs > lim.CLIP_PEAK_DBFS:
        out.append(Finding(-5008, "warn", round(stats.peak_dbfs, 1), lim.CLIP_PEAK_DBFS,
                           "声音过载失真。请离麦克风远一点或调低麦克风音量。",
                           "The sound is clipped (distorted). Move back from the microphone or "
                           "turn its level down."))
    return out


def _face_findings(faces: list[list[FaceBox]]) -> list[Finding]:
    if not faces:
        return []
    share = sum(1 for f in faces if f) / len(faces)
    value = round(share, 2)
    if share < lim.FACE_FRAMES_BLOCK:
        return [Finding(-5009, "block", value, lim.FACE_FRAMES_BLOCK,
                        f"视频中大部分时间没有检测到人脸（{share:.0%} 的画面有人脸）。请正对镜头、"
                        "露出完整面部，光线充足后重新录制。",
                        f"No face was found in most of the video (a face in {share:.0%} of the "
                        "frames). Face the camera with your whole face visible, in good light, "
                        "and record again.")]
    if share < lim.FACE_FRAMES_WARN:
        return [Finding(-5009, "warn", value, lim.FACE_FRAMES_WARN,
                        f"部分画面没有检测到人脸（{share:.0%} 的画面有人脸）。录制时请一直正对镜头。",
                        f"Some frames show no face (a face in {share:.0%} of them). Keep facing "
                        "the camera while recording.")]
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
    findings += _face_findings(faces_in_frames(info.frames, detector))
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
                         f"无法解码（{exc.reason}）", f"it cannot be decoded ({exc.reason})"),
                *check_body_size(size + extra_body_bytes + lim.MULTIPART_ALLOWANCE_BYTES)]
    return judge_clip(info, extra_body_bytes=extra_body_bytes, detector=detector)
