"""Comparing a face with a reference: the registry portrait or the uploaded card photo."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from kiosk.emulator.faces import (
    FaceEngine,
    decode_image,
    descriptor_bytes,
    descriptor_from_bytes,
)
from kiosk.emulator.store import Person, Store

# How many of the best video frames are compared (kiosk.emulator.facework); the reply carries
# the one that scores highest.
COMPARED_FRAMES = 2
# Two frames of one clip further apart than this show different people (-4007). Same-person
# frames of one clip measure 0.05-0.3; different people 0.6 and up.
SAME_CLIP_MAX_DISTANCE = 0.6


class Describer(Protocol):
    """Anything that describes the face in an image (kiosk.emulator.facework's FaceWork)."""

    def describe_image(self, data: bytes) -> np.ndarray:
        """The most certain face's descriptor; NoFaceError when there is none."""
        ...


class NoFaceError(Exception):
    """No face could be described in an image that the kiosk's checks accepted."""


def describe_image(faces: FaceEngine, data: bytes) -> np.ndarray:
    """The descriptor of the most certain face in an image; NoFaceError when there is none."""
    image = decode_image(data)
    if image is None:
        raise NoFaceError("not decodable")
    found = faces.detect(image, thorough=True)
    if not found:
        raise NoFaceError("no face")
    return faces.descriptor(image, found[0])


def portrait_descriptor(store: Store, faces: Describer, person: Person) -> np.ndarray:
    """The registry portrait's descriptor, computed once and kept in the registry."""
    if person.descriptor is not None:
        return descriptor_from_bytes(person.descriptor)
    descriptor = faces.describe_image(person.photo)
    store.save_descriptor(person.id_number, descriptor_bytes(descriptor))
    return descriptor
