"""The liveness measures (-5010 lips still while speaking, -5011 nothing moves) on real clips.

The clips are assets/make_samples.py's liveness clips (tests.support.media builds them from the
assets): the verdicts, and the measures' distance from their limits, so that a change that eats
the margin fails here before it flips a verdict somewhere else.
"""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.checks import check_clip, probe_clip
from kiosk.checks import thresholds as lim
from kiosk.checks.liveness import (
    LivenessMeasures,
    eye_aspect,
    liveness_findings,
    measure_liveness,
    mouth_opening,
    speech_at,
    track_landmarks,
)
from tests.support.media import MediaFactory, session_factory


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    return session_factory(tmp_path_factory)


@pytest.fixture(scope="module")
def measured(media: MediaFactory) -> dict[str, LivenessMeasures]:
    names = ("good", "still_photo", "frozen_mouth", "moving_mouth", "other_voice")
    return {n: measure_liveness(probe_clip(media.build(n))) for n in names}


def test_the_sample_clip_moves_and_speaks(measured: dict[str, LivenessMeasures]) -> None:
    good = measured["good"]
    assert good.face_frames >= 45  # ~10 frames a second over 5 s, a face in each
    assert good.speech_frames >= lim.LIVENESS_MIN_SPEECH_FRAMES
    assert good.speech_mouth_spread is not None
    assert good.speech_mouth_spread > 1.5 * lim.MIN_MOUTH_SPREAD
    assert good.head_motion is not None and good.head_motion > 3 * lim.MIN_HEAD_MOTION
    assert liveness_findings(good) == []


def test_a_repeated_frame_is_not_a_live_person(measured: dict[str, LivenessMeasures]) -> None:
    still = measured["still_photo"]
    assert still.still
    assert still.head_motion is not None and still.head_motion < lim.MIN_HEAD_MOTION / 5
    [found] = liveness_findings(still)
    assert (found.code, found.severity) == (-5011, "block")


def test_a_still_jaw_under_speech_is_lips_not_moving(measured: dict[str, LivenessMeasures]) -> None:
    frozen, moving = measured["frozen_mouth"], measured["moving_mouth"]
    # The head moves in both (zoom and pan), so neither is a still picture.
    assert not frozen.still and not moving.still
    assert frozen.speech_mouth_spread is not None and moving.speech_mouth_spread is not None
    assert frozen.speech_mouth_spread < 0.7 * lim.MIN_MOUTH_SPREAD
    assert moving.speech_mouth_spread > 1.5 * lim.MIN_MOUTH_SPREAD
    [found] = liveness_findings(frozen)
    assert (found.code, found.severity) == (-5010, "block")
    assert found.message_zh.endswith("请边看数字边读出声来，嘴要动。")
    assert liveness_findings(moving) == []


def test_other_digits_in_another_voice_pass(measured: dict[str, LivenessMeasures]) -> None:
    # The digits are not recognised (docs/emulator.md): lips and motion are all that is judged.
    assert liveness_findings(measured["other_voice"]) == []


@pytest.mark.parametrize(("name", "codes"), [("good", []), ("still_photo", [-5011]),
                                              ("frozen_mouth", [-5010]), ("moving_mouth", [])])
def test_check_clip_blocks_with_the_liveness_codes(media: MediaFactory, name: str,
                                                   codes: list[int]) -> None:
    found = [f.code for f in check_clip(media.build(name)) if f.severity == "block"]
    assert found == codes


def test_no_speech_means_no_lips_verdict() -> None:
    quiet = LivenessMeasures(face_frames=50, head_motion=0.04, eye_spread=0.02,
                             mouth_spread=0.001, speech_frames=2, speech_mouth_spread=0.001)
    assert liveness_findings(quiet) == []  # too little speech to judge the lips by


def test_a_talking_person_who_holds_the_head_still_is_live() -> None:
    talking = LivenessMeasures(face_frames=50, head_motion=0.0, eye_spread=0.0,
                               mouth_spread=0.05, speech_frames=30, speech_mouth_spread=0.05)
    assert liveness_findings(talking) == []


def test_frames_without_a_face_get_no_landmarks(media: MediaFactory) -> None:
    info = probe_clip(media.build("good"))
    frames = info.motion_frames[:20] + [np.zeros_like(info.motion_frames[0])] * 30
    times = [i / lim.LIVENESS_FPS for i in range(len(frames))]
    track = track_landmarks(frames, times)
    assert all(p is not None for p in track[:20])
    # Within a second (LIVENESS_VERIFY_S) of the face going, the frames count as faceless.
    assert all(p is None for p in track[20 + round(lim.LIVENESS_VERIFY_S * lim.LIVENESS_FPS):])


def _face(jaw_drop: float = 0.0, eyes_shut: bool = False) -> np.ndarray:
    """A schematic 68-point face: eyes 60 px apart, nose tip, lower lip ``jaw_drop`` px down."""
    points = np.zeros((68, 2))
    for start, cx in ((36, 100.0), (42, 160.0)):
        half = 1.0 if eyes_shut else 6.0
        points[start:start + 6] = [(cx - 15, 100), (cx - 5, 100 - half), (cx + 5, 100 - half),
                                   (cx + 15, 100), (cx + 5, 100 + half), (cx - 5, 100 + half)]
    points[33] = (130, 140)
    points[57] = (130, 170 + jaw_drop)
    return points


def test_mouth_opening_and_eye_aspect_in_units_of_the_eye_distance() -> None:
    assert mouth_opening(_face()) == pytest.approx(30 / 60)
    assert mouth_opening(_face(jaw_drop=6)) == pytest.approx(36 / 60)
    # Twice as close to the camera, the same opening.
    assert mouth_opening(_face(6) * 2) == pytest.approx(mouth_opening(_face(6)))
    assert eye_aspect(_face()) == pytest.approx(12 / 30)
    assert eye_aspect(_face(eyes_shut=True)) == pytest.approx(2 / 30)


def test_speech_at_marks_the_frames_inside_the_voice(media: MediaFactory) -> None:
    sound = probe_clip(media.build("good")).audio16k
    # make_samples.py: room tone until 0.8 s, then the four digits.
    assert speech_at([0.2, 0.5, 1.2, 2.3], sound) == [False, False, True, True]
    assert speech_at([0.2, 1.2], np.zeros_like(sound)) == [False, False]
    assert speech_at([1.2], np.zeros(0, np.float32)) == [False]
