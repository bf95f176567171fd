"""Checking a person before they enter the registry, so comparisons against them can work."""

from __future__ import annotations

from kiosk.checks.findings import blocking
from kiosk.emulator.compare import NoFaceError, describe_image
from kiosk.emulator.faces import FaceEngine
from kiosk.emulator.store import normalise_name
from kiosk.errors import InputError


def check_enrollment(id_number: str, name: str, photo: bytes,
                     faces: FaceEngine | None = None) -> tuple[str, str]:
    """The normalised ID number and name; InputError when either or the photo is unusable."""
    from kiosk.checks import check_identity, check_image

    number = id_number.strip().upper()
    clean = normalise_name(name)
    found = blocking(check_identity(number, clean))
    if found:
        raise InputError(found[0].message_en, found[0].message_zh,
                         fix_en="check --id-number and --name", fix_zh="请检查 --id-number 和 --name")
    found = blocking(check_image(photo, role="card"))
    if found:
        raise InputError(f"the photo cannot be enrolled: {found[0].message_en}",
                         f"该照片无法登记：{found[0].message_zh}",
                         fix_en="use a clear, frontal JPEG or PNG portrait",
                         fix_zh="请使用清晰的正面 JPEG 或 PNG 人像照片")
    try:
        describe_image(faces or FaceEngine(), photo)
    except NoFaceError as exc:
        raise InputError("the face recognition model finds no face to compare in the photo",
                         "人脸识别模型在照片中找不到可比对的人脸",
                         fix_en="use a clear, frontal portrait with the face well lit",
                         fix_zh="请使用光线充足、清晰的正面人像照片") from exc
    return number, clean
