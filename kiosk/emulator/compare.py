"""Comparing a face with a reference: the registry portrait or the uploaded card photo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.emulator.analysis import Candidate
from kiosk.emulator.faces import (
    FaceEngine,
    decode_image,
    descriptor_bytes,
    descriptor_from_bytes,
    distance,
    similarity_of,
)
from kiosk.emulator.store import Person, Store

# How many of the best video frames are compared; the reply carries the one that scores highest.
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


@dataclass(frozen=True)
class FrameMatch:
    """The best-scoring video frame and its similarity to the reference."""

    candidate: Candidate
    similarity: float
    distance: float


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


def best_frame(faces: FaceEngine, candidates: list[Candidate], reference: np.ndarray
               ) -> tuple[FrameMatch | None, float]:
    """The candidate most similar to ``reference``, and the widest distance between candidates."""
    described = [(c, faces.descriptor(c.frame, c.face)) for c in candidates[:COMPARED_FRAMES]]
    if not described:
        return None, 0.0
    spread = max(
        (distance(a[1], b[1]) for i, a in enumerate(described) for b in described[i + 1:]),
        default=0.0,
    )
    scored = [(c, distance(d, reference)) for c, d in described]
    cand, dist = min(scored, key=lambda item: item[1])
    return FrameMatch(cand, similarity_of(dist), dist), spread
