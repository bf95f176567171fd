"""The face work of the calls (detection, landmarks, descriptors), in this thread or in a process pool.

dlib holds the interpreter lock while it works, so threads give a clip no second core: with four
clips at once each took 3.8 times as long as one alone. ``PooledFaceWork`` runs each clip's whole
analysis and its best frames' descriptors (``clip_faces``) and each photo's descriptor in one of
a pool of worker processes, sized to the machine; the request's thread only waits (without the
lock) and scores the descriptors (``scored``), so the event loop and ``livegetfour`` stay free. ``LocalFaceWork`` does the same work in the calling thread (tests, the
GUI's demo mode: one customer at a time, no processes to start).

Workers are spawned (never forked: the GUI and uvicorn run threads), load the models once at
start, ignore Ctrl-C (the parent shuts them down) and end by themselves when the parent dies.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np

from kiosk.emulator.analysis import analyse_clip
from kiosk.emulator.compare import (
    COMPARED_FRAMES,
    SAME_CLIP_MAX_DISTANCE,
    NoFaceError,
    describe_image,
)
from kiosk.emulator.faces import FaceEngine, distance, encode_jpeg, similarity_of
from kiosk.emulator.ranked import RankedPool

log = logging.getLogger("kiosk.emulator")

# More workers than this only add memory (~210 MB each with the models): four clips at once is
# the benchmark's load, and a counter sends one at a time.
MAX_WORKERS = 4
# How often a worker looks whether its parent is still there (a killed parent cannot stop it).
PARENT_CHECK_S = 1.0


def pool_size() -> int:
    """Workers for this machine: one per core, at most MAX_WORKERS."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


@dataclass(frozen=True)
class VideoVerdict:
    """A clip's liveness and, with a reference, its comparison: what the reply is made of."""

    code: int
    message: str
    live_ok: bool = False  # a refusal of the comparison, after the liveness passed
    similarity: float = 0.0
    photo_jpeg: bytes = b""  # the best frame, for the reply's photo field


NO_CARD_FACE = VideoVerdict(-4009, "no face could be described in the card photo", live_ok=True)


@dataclass(frozen=True)
class ClipFaces:
    """A clip's liveness verdict and, when asked, its best frames' descriptors and JPEGs.

    What a worker sends back: a few kilobytes, never the frames themselves.
    """

    code: int
    message: str
    descriptors: tuple[np.ndarray, ...] = ()
    jpegs: tuple[bytes, ...] = ()


def clip_faces(path: Path, compare: bool, *, checks: Any, faces: FaceEngine) -> ClipFaces:
    """Analyse the clip; when comparing, describe its COMPARED_FRAMES best frames."""
    outcome = analyse_clip(path, checks=checks, faces=faces)
    if outcome.code != 0 or not compare:
        return ClipFaces(outcome.code, outcome.message)
    chosen = outcome.candidates[:COMPARED_FRAMES]
    return ClipFaces(0, "OK", tuple(faces.descriptor(c.frame, c.face) for c in chosen),
                     tuple(encode_jpeg(c.frame) for c in chosen))


def scored(clip: ClipFaces, reference: np.ndarray | None) -> VideoVerdict:
    """The verdict: the clip's own refusal, else (with a reference) its best frame's score."""
    if clip.code != 0:
        return VideoVerdict(clip.code, clip.message)
    if reference is None:
        return VideoVerdict(0, "OK")
    if not clip.descriptors:
        return VideoVerdict(-4006, "no face features could be taken from the video", live_ok=True)
    spread = max((distance(a, b) for i, a in enumerate(clip.descriptors)
                  for b in clip.descriptors[i + 1:]), default=0.0)
    if spread > SAME_CLIP_MAX_DISTANCE:
        return VideoVerdict(-4007, f"frames of the video show different faces "
                            f"(distance {spread:.2f})", live_ok=True)
    distances = [distance(d, reference) for d in clip.descriptors]
    best = min(range(len(distances)), key=distances.__getitem__)  # the first of equals
    return VideoVerdict(0, "OK", similarity=similarity_of(distances[best]),
                        photo_jpeg=clip.jpegs[best])


def judge_video(path: Path, reference: np.ndarray | None, *, checks: Any,
                faces: FaceEngine, card: bytes | None = None) -> VideoVerdict:
    """Analyse the clip; with a reference (or a card photo to take it from), score its best frame.

    A card without a face (-4009) is refused before the clip is looked at.
    """
    if card is not None:
        try:
            reference = describe_image(faces, card)
        except NoFaceError:
            return NO_CARD_FACE
    compare = reference is not None
    return scored(clip_faces(path, compare, checks=checks, faces=faces), reference)


@runtime_checkable
class FaceWork(Protocol):
    """What the calls ask of the face models."""

    def describe_image(self, data: bytes) -> np.ndarray:
        """The most certain face's descriptor; NoFaceError when there is none."""
        ...

    def judge_video(self, path: Path, reference: np.ndarray | None, checks: Any,
                    card: bytes | None = None) -> VideoVerdict:
        """The clip's verdict (see :func:`judge_video`)."""
        ...

    def close(self) -> None:
        """Release workers, if any."""
        ...


class LocalFaceWork:
    """Face work in the calling thread, with one shared FaceEngine."""

    def __init__(self, engine: FaceEngine | None = None) -> None:
        self.engine = engine or FaceEngine()

    def describe_image(self, data: bytes) -> np.ndarray:
        return describe_image(self.engine, data)

    def judge_video(self, path: Path, reference: np.ndarray | None, checks: Any,
                    card: bytes | None = None) -> VideoVerdict:
        return judge_video(path, reference, checks=checks, faces=self.engine, card=card)

    def close(self) -> None:
        """Nothing to release."""


class PooledFaceWork:
    """Face work in ``workers`` spawned processes; started at once, so the models load meanwhile."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or pool_size()
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start, initargs=(os.getpid(),))
        self._local = LocalFaceWork()  # for checks other than kiosk.checks (test spies)
        # Each submit finds no idle worker and spawns one: all start loading now, in parallel.
        self._warming = [self._pool.submit(_ready) for _ in range(self.workers)]
        # Requests' jobs reach the workers in the order the requests came (kiosk.emulator.ranked).
        self._ranked = RankedPool(self._pool, self.workers)

    def wait_ready(self) -> None:
        """Block until every worker has loaded its models (the startup figure in README)."""
        for job in self._warming:
            job.result()

    def describe_image(self, data: bytes) -> np.ndarray:
        descriptor = self._ranked.submit(self._ranked.ticket(), _describe, data).result()
        if descriptor is None:
            raise NoFaceError("no face")
        return descriptor

    def judge_video(self, path: Path, reference: np.ndarray | None, checks: Any,
                    card: bytes | None = None) -> VideoVerdict:
        import kiosk.checks

        if checks is not kiosk.checks:
            return self._local.judge_video(path, reference, checks, card)
        # The clip goes by path and comes back as descriptors and two JPEGs: no frames are
        # pickled between the processes. The card is described meanwhile, by another worker
        # when one is free; its verdict (-4009) still comes before the clip's.
        rank = self._ranked.ticket()
        clip_job = self._ranked.submit(rank, _clip_faces, str(path), card is not None or
                                       reference is not None)
        if card is not None:
            reference = self._ranked.submit(rank, _describe, card).result()
            if reference is None:
                clip_job.exception()  # let the worker finish with the request's file first
                return NO_CARD_FACE
        return scored(clip_job.result(), reference)

    def close(self) -> None:
        """Stop the workers (a clip being judged is finished first); idempotent."""
        self._ranked.close()
        self._pool.shutdown(wait=True, cancel_futures=True)


# --- inside a worker process -----------------------------------------------------------------

_engine: FaceEngine | None = None


def _worker_start(parent: int) -> None:
    """Load the models once; ignore Ctrl-C (the parent stops the pool); die with the parent."""
    global _engine
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch",
                     daemon=True).start()
    # One thread per worker for OpenCV and the decoder: the pool already gives each core a
    # worker, and their own threads would only make two workers contend for two cores.
    cv2.setNumThreads(1)
    from kiosk.checks.liveness import models
    from kiosk.checks.probe import set_decode_threads

    set_decode_threads(1)

    _engine = FaceEngine()
    _engine.detect(np.zeros((120, 160, 3), np.uint8))  # loads detector, landmarks, ResNet
    models()
    _warm_up(_engine)


def _warm_up(engine: FaceEngine) -> None:
    """Judge the sample clip against the card photo once, so the first real clip pays no
    first-call costs (the checks' cascade, the VAD, the decoder, dlib's buffers: ~0.1 s)."""
    import kiosk.checks
    from kiosk.errors import InputError
    from kiosk.resources import asset_path

    try:
        clip, card = asset_path("sample_clip.mp4"), asset_path("card_photo.jpg")
    except InputError:
        return  # an install without the samples: the first clip pays instead
    judge_video(clip, None, checks=kiosk.checks, faces=engine, card=card.read_bytes())


def _watch_parent(parent: int) -> None:
    """Exit when the parent is gone (killed): a worker must never outlive the emulator."""
    stop = threading.Event()
    while os.getppid() == parent:
        stop.wait(PARENT_CHECK_S)
    os._exit(0)


def _ready() -> int:
    return os.getpid()


def _describe(data: bytes) -> np.ndarray | None:
    assert _engine is not None
    try:
        return describe_image(_engine, data)
    except NoFaceError:
        return None


def _clip_faces(path: str, compare: bool) -> ClipFaces:
    import kiosk.checks

    assert _engine is not None
    return clip_faces(Path(path), compare, checks=kiosk.checks, faces=_engine)
