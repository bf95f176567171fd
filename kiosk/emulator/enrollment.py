"""Checking a person before they enter the registry, so comparisons against them can work."""

from __future__ import annotations

from kiosk.checks.findings import blocking
from kiosk.emulator import messages
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
    if found:  # the finding says what is wrong; the table says what to do
        fix = messages.CHECK_ID_AND_NAME()
        raise InputError(found[0].message_en, found[0].message_zh, fix_en=fix.en, fix_zh=fix.zh)
    found = blocking(check_image(photo, role="card"))
    if found:
        raise InputError(messages.PHOTO_NOT_ENROLLABLE(finding=found[0]))
    try:
        describe_image(faces or FaceEngine(), photo)
    except NoFaceError as exc:
        raise InputError(messages.NO_FACE_TO_ENROLL()) from exc
    return number, clean
