"""Photo checks (idcardcompare's image, the card photo): decodable, still, a face, small enough."""

from __future__ import annotations

import io
from typing import Literal

import numpy as np
from PIL import Image, UnidentifiedImageError

from kiosk import images
from kiosk.checks import messages
from kiosk.checks import thresholds as lim
from kiosk.checks.faces import FaceDetector, thread_detector
from kiosk.checks.findings import Finding, finding
from kiosk.checks.size import check_body_size
from kiosk.texts import Message

Role = Literal["photo", "card"]
# (decode code, face code) per role: the service numbers the card photo's failures apart.
_CODES: dict[str, tuple[int, int]] = {"photo": (-4016, -4015), "card": (-4018, -4017)}
_WHAT = {"photo": messages.PHOTO, "card": messages.CARD_PHOTO}


def _decode_failure(role: Role, value: object, limit: object, why: Message) -> Finding:
    return finding(_CODES[role][0], "block", value, limit,
                   messages.IMAGE_UNDECODABLE(what=_WHAT[role](), why=why))


def open_still(data: bytes, role: Role) -> tuple[Image.Image | None, list[Finding]]:
    """Decode image bytes with Pillow; the image, or None and the finding saying why not."""
    if not data:
        return None, [_decode_failure(role, 0, "> 0 bytes", messages.IMAGE_EMPTY())]
    try:
        img = Image.open(io.BytesIO(data))
        frames = images.frame_count(img)  # the API client refuses by the same count
        fmt = images.format_name(img)
        if frames > 1:
            # The service refuses animated images (docs/protocol.md); judge by the bytes, not the name.
            return None, [_decode_failure(role, frames, 1,
                                          messages.IMAGE_ANIMATED(frames=frames, format=fmt))]
        img.load()  # a cut-off file fails here, not at open
    except Image.DecompressionBombError:
        return None, [_decode_failure(role, "pixels", Image.MAX_IMAGE_PIXELS,
                                      messages.IMAGE_TOO_MANY_PIXELS())]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        why = messages.IMAGE_CUT_OFF if "truncated" in str(exc) else messages.NOT_AN_IMAGE
        return None, [_decode_failure(role, "undecodable", "JPEG/PNG", why())]
    if fmt == "GIF":
        # The document refuses ".gif这类的动图" by name, and the service (like the emulator) goes
        # by the GIF signature, so even a one-frame GIF is refused.
        return None, [_decode_failure(role, fmt, "JPEG/PNG", messages.IMAGE_IS_GIF())]
    findings: list[Finding] = []
    if fmt not in lim.ACCEPTED_IMAGE_FORMATS:
        findings.append(finding(_CODES[role][0], "warn", fmt, "/".join(lim.ACCEPTED_IMAGE_FORMATS),
                                messages.IMAGE_FORMAT_DOUBTFUL(what=_WHAT[role](), format=fmt)))
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
        findings.insert(0, finding(_CODES[role][1], "block", 0, 1,
                                   messages.NO_FACE_IN_IMAGE(what=_WHAT[role]())))
    return findings
