"""Photo checks (idcardcompare's image, the card photo): decodable, still, a face, small enough."""

from __future__ import annotations

import io
from typing import Literal

import numpy as np
from PIL import Image, UnidentifiedImageError

from kiosk import images
from kiosk.checks import thresholds as lim
from kiosk.checks.faces import FaceDetector, thread_detector
from kiosk.checks.findings import Finding
from kiosk.checks.size import check_body_size

Role = Literal["photo", "card"]
# (decode code, face code) per role: the service numbers the card photo's failures apart.
_CODES: dict[str, tuple[int, int]] = {"photo": (-4016, -4015), "card": (-4018, -4017)}
_WHAT = {"photo": ("照片", "photo"), "card": ("证件照", "card photo")}


def _decode_failure(role: Role, value: object, limit: object, zh: str, en: str) -> Finding:
    what_zh, what_en = _WHAT[role]
    return Finding(_CODES[role][0], "block", value, limit,
                   f"{what_zh}无法解码：{zh}。请换一张 JPEG 或 PNG 格式的静态{what_zh}。",
                   f"The {what_en} cannot be decoded: {en}. Use a still JPEG or PNG {what_en}.")


def open_still(data: bytes, role: Role) -> tuple[Image.Image | None, list[Finding]]:
    """Decode image bytes with Pillow; the image, or None and the finding saying why not."""
    if not data:
        return None, [_decode_failure(role, 0, "> 0 bytes", "文件是空的", "the file is empty")]
    try:
        img = Image.open(io.BytesIO(data))
        frames = images.frame_count(img)  # the API client refuses by the same count
        fmt = images.format_name(img)
        if frames > 1:
            # The service refuses animated images (docs/protocol.md); judge by the bytes, not the name.
            return None, [_decode_failure(role, frames, 1, f"这是 {frames} 帧的动图（{fmt}）",
                                          f"it is an animated {fmt} with {frames} frames")]
        img.load()  # a cut-off file fails here, not at open
    except Image.DecompressionBombError:
        return None, [_decode_failure(role, "pixels", Image.MAX_IMAGE_PIXELS, "像素数过多",
                                      "it has far too many pixels")]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        reason_en = "the file is cut off" if "truncated" in str(exc) else "not an image format"
        reason_zh = "文件不完整" if "truncated" in str(exc) else "不是图片格式"
        return None, [_decode_failure(role, "undecodable", "JPEG/PNG", reason_zh, reason_en)]
    if fmt == "GIF":
        # The document refuses ".gif这类的动图" by name, and the service (like the emulator) goes
        # by the GIF signature, so even a one-frame GIF is refused.
        return None, [_decode_failure(role, fmt, "JPEG/PNG", "这是 GIF 图片，服务不接受 GIF",
                                      "it is a GIF, which the service does not accept")]
    findings: list[Finding] = []
    if fmt not in lim.ACCEPTED_IMAGE_FORMATS:
        what_zh, what_en = _WHAT[role]
        findings.append(Finding(
            _CODES[role][0], "warn", fmt, "/".join(lim.ACCEPTED_IMAGE_FORMATS),
            f"{what_zh}是 {fmt} 格式，服务可能无法解码。请换成 JPEG 或 PNG。",
            f"The {what_en} is a {fmt} file, which the service may not decode. Use JPEG or PNG.",
        ))
    return img, findings


def grey_pixels(img: Image.Image) -> np.ndarray:
    """The image as a uint8 grey array, scaled so the long side is at most IMAGE_DETECT_LONG_SIDE."""
    grey = img.convert("L")
    long_side = max(grey.size)
    if long_side > lim.IMAGE_DETECT_LONG_SIDE:
        f = lim.IMAGE_DETECT_LONG_SIDE / long_side
        grey = grey.resize((max(1, round(grey.width * f)), max(1, round(grey.height * f))),
                           Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.uint8)


def check_image(data: bytes, *, role: Role, detector: FaceDetector | None = None) -> list[Finding]:
    """Check photo bytes before upload: decode (-4016/-4018), face (-4015/-4017), size (23)."""
    if role not in _CODES:
        raise ValueError(f"role must be 'photo' or 'card', not {role!r}")
    findings = check_body_size(len(data) + lim.MULTIPART_ALLOWANCE_BYTES)
    img, decode = open_still(data, role)
    findings[:0] = decode
    if img is None:
        return findings
    faces = (detector or thread_detector()).detect(grey_pixels(img), min_size=lim.MIN_IMAGE_FACE_PX)
    if not faces:
        what_zh, what_en = _WHAT[role]
        findings.insert(0, Finding(
            _CODES[role][1], "block", 0, 1,
            f"{what_zh}中没有找到人脸。请换一张正面、清晰、光线充足、脸部完整的{what_zh}。",
            f"No face was found in the {what_en}. Use a clear, frontal, well-lit {what_en} "
            "showing the whole face.",
        ))
    return findings
