"""The face work of a video call: a card given as bytes scores as its descriptor does, in this thread and in the pool."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from threadpoolctl import threadpool_info

import kiosk.checks
from kiosk.emulator.facework import LocalFaceWork
from tests.support.media import CARD_PHOTO, SAMPLE_CLIP


@pytest.fixture(scope="module")
def work() -> LocalFaceWork:
    return LocalFaceWork()


def test_a_card_given_as_bytes_scores_as_its_descriptor_does(work: LocalFaceWork) -> None:
    card = CARD_PHOTO.read_bytes()
    by_descriptor = work.judge_video(SAMPLE_CLIP, work.describe_image(card), kiosk.checks)
    by_card = work.judge_video(SAMPLE_CLIP, None, kiosk.checks, card)
    assert by_card.code == by_descriptor.code == 0
    assert by_card.similarity == pytest.approx(by_descriptor.similarity)
    assert by_card.photo_jpeg == by_descriptor.photo_jpeg


def test_a_card_without_a_face_is_refused_before_the_clip_is_judged(work: LocalFaceWork) -> None:
    ok, grey = cv2.imencode(".jpg", np.full((400, 600, 3), 128, np.uint8))
    assert ok
    missing = SAMPLE_CLIP.with_name("no-such-clip.mp4")  # never opened: the card fails first
    verdict = work.judge_video(missing, None, kiosk.checks, grey.tobytes())
    assert (verdict.code, verdict.live_ok) == (-4009, True)
    assert "card photo" in verdict.message


def test_a_workers_one_thread_decode_gives_the_same_frames_and_sound() -> None:
    from kiosk.checks.probe import probe_clip, set_decode_threads
    from kiosk.emulator.clip import read_clip

    threaded, colour = probe_clip(SAMPLE_CLIP), read_clip(SAMPLE_CLIP)
    set_decode_threads(1)  # as kiosk.emulator.facework's workers do
    try:
        single, single_colour = probe_clip(SAMPLE_CLIP), read_clip(SAMPLE_CLIP)
    finally:
        set_decode_threads(0)
    assert single.frames_decoded == threaded.frames_decoded
    assert single.motion_times == threaded.motion_times
    assert all(np.array_equal(a, b) for a, b in zip(single.motion_frames, threaded.motion_frames,
                                                    strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(single.frames, threaded.frames, strict=True))
    assert np.array_equal(single.audio16k, threaded.audio16k)
    assert single_colour.times == colour.times
    assert all(np.array_equal(a, b) for a, b in zip(single_colour.frames, colour.frames,
                                                    strict=True))


def test_the_pool_scores_a_card_and_refuses_a_faceless_one_as_this_thread_does(
        work: LocalFaceWork) -> None:
    from kiosk.emulator.facework import PooledFaceWork

    card = CARD_PHOTO.read_bytes()
    ok, grey = cv2.imencode(".jpg", np.full((400, 600, 3), 128, np.uint8))
    pool = PooledFaceWork(workers=2)
    try:
        pooled = pool.judge_video(SAMPLE_CLIP, None, kiosk.checks, card)
        faceless = pool.judge_video(SAMPLE_CLIP, None, kiosk.checks, grey.tobytes())
        # A worker per core: OpenBLAS's own threads there only spun (0.07 CPU s a clip).
        blas = pool._pool.submit(threadpool_info).result()
    finally:
        pool.close()
    here = work.judge_video(SAMPLE_CLIP, None, kiosk.checks, card)
    assert (pooled.code, pooled.similarity, pooled.photo_jpeg) == (0, here.similarity,
                                                                   here.photo_jpeg)
    assert (faceless.code, faceless.live_ok) == (-4009, True)
    assert {lib["internal_api"] for lib in blas if lib["user_api"] == "blas"} == {"openblas"}
    assert {lib["num_threads"] for lib in blas if lib["user_api"] == "blas"} == {1}
