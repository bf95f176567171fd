"""The face work of the calls (detection, landmarks, descriptors), in this thread or in a process pool.

dlib holds the interpreter lock while it works, so threads give a clip no second core: with four
clips at once each took 3.8 times as long as one alone. ``PooledFaceWork`` runs a clip's two
parts (its checks, and its frames with the best ones' descriptors: ``kiosk.emulator.analysis``)
and each photo's descriptor as jobs of a pool of worker processes, sized to the machine; the
request's thread only waits (without the lock), joins the parts (``clip_faces``) and scores the
descriptors (``scored``), so the event loop and ``livegetfour`` stay free. ``LocalFaceWork`` does
the same work in the calling thread and one more (tests, the GUI's demo mode: one customer at a
time, no processes to start).

Workers are spawned (never forked: the GUI and uvicorn run threads), load the models once at
start, ignore Ctrl-C (the parent shuts them down) and end by themselves when the parent dies.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np

from kiosk.emulator.analysis import (
    MIN_USABLE_FRAMES,
    ChecksPart,
    FramesPart,
    checks_part,
    frames_part,
    live_verdict,
    usable_frames,
)
from kiosk.emulator.clip import ClipUnreadableError
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
    """A clip's liveness verdict and, when asked, its best frames' descriptors and JPEGs."""

    code: int
    message: str
    descriptors: tuple[np.ndarray, ...] = ()
    jpegs: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class FramesFaces:
    """The frames' part of the verdict and, when comparing, the COMPARED_FRAMES best frames'
    descriptors and JPEGs: what a worker sends back, a few kilobytes, never the frames."""

    part: FramesPart
    descriptors: tuple[np.ndarray, ...] = ()
    jpegs: tuple[bytes, ...] = ()


def frames_faces(path: Path, compare: bool, *, faces: FaceEngine) -> FramesFaces:
    """Decode the clip's colour frames; when comparing and enough are usable, describe the best.

    The descriptors are made whatever the checks say (they run beside this, on another thread
    or worker): a refused clip costs that much more, a passed one is answered sooner.
    """
    try:
        clip, candidates = usable_frames(path, faces)
    except ClipUnreadableError as exc:
        return FramesFaces(FramesPart(unreadable=str(exc)))
    part = frames_part(clip, candidates)
    if not compare or part.usable < MIN_USABLE_FRAMES:
        return FramesFaces(part)
    chosen = candidates[:COMPARED_FRAMES]
    return FramesFaces(part, tuple(faces.descriptor(c.frame, c.face) for c in chosen),
                       tuple(encode_jpeg(c.frame) for c in chosen))


def clip_faces(checks: ChecksPart, frames: FramesFaces) -> ClipFaces:
    """The two parts joined: the liveness verdict, and the descriptors when it passed."""
    code, message = live_verdict(checks, frames.part)
    if code != 0:
        return ClipFaces(code, message)
    return ClipFaces(0, "OK", frames.descriptors, frames.jpegs)


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

    A card without a face (-4009) is refused before the clip is looked at. The frames are
    decoded on a second thread while the checks run (their decodes release the lock).
    """
    if card is not None:
        try:
            reference = describe_image(faces, card)
        except NoFaceError:
            return NO_CARD_FACE
    compare = reference is not None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="emulator-frames") as pool:
        frames = pool.submit(frames_faces, path, compare, faces=faces)
        checked = checks_part(path, checks=checks)
        return scored(clip_faces(checked, frames.result()), reference)


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
        # The clip goes by path; its frames and its checks are two jobs, so that with several
        # requests waiting both workers take the first request's work before the next one's.
        # What comes back is a verdict, descriptors and two JPEGs: no frames are pickled
        # between the processes. The card is described meanwhile; its verdict (-4009) still
        # comes before the clip's.
        rank = self._ranked.ticket()
        compare = card is not None or reference is not None
        frames = self._ranked.submit(rank, _frames_faces, str(path), compare)
        checked = self._ranked.submit(rank, _checks_part, str(path))
        if card is not None:
            reference = self._ranked.submit(rank, _describe, card).result()
            if reference is None:
                for job in (frames, checked):
                    if not job.cancel():  # not started yet: nothing reads the file
                        job.exception()  # let the worker finish with the request's file first
                return NO_CARD_FACE
        return scored(clip_faces(checked.result(), frames.result()), reference)

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
    from threadpoolctl import threadpool_limits

    # ...and for OpenBLAS (numpy's and OpenCV's): its threads took 0.07 CPU s a clip (a third
    # of the checks' CPU) to save 25 ms of wall time, spinning while they waited for work.
    threadpool_limits(1, user_api="blas")
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


def _frames_faces(path: str, compare: bool) -> FramesFaces:
    assert _engine is not None
    return frames_faces(Path(path), compare, faces=_engine)


def _checks_part(path: str) -> ChecksPart:
    import kiosk.checks

    return checks_part(Path(path), checks=kiosk.checks)
