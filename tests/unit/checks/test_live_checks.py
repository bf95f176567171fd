"""Live preview guidance: face in and out of the oval, too far, too close, dark, bright; voice meter."""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np
import pytest

from kiosk.checks import FaceDetector, LiveFrameChecker, guide_oval, voice_level_dbfs, voice_status
from kiosk.checks import thresholds as lim
from kiosk.checks.live import MESSAGES

Compose = Callable[..., np.ndarray]  # the conftest fixture's signature


def check(frame: np.ndarray, detector: FaceDetector):
    return LiveFrameChecker(detector).check(frame)


def test_centred_face_of_good_size_is_ok(compose: Compose, detector: FaceDetector) -> None:
    fb = check(compose(), detector)
    assert fb.status == "ok" and fb.ok and fb.in_oval and fb.faces == 1
    assert fb.face is not None
    cx, cy = fb.face.center
    assert abs(cx - 320) < 20 and abs(cy - 240) < 20  # reported in the frame's own pixels
    assert lim.LIVE_MIN_FACE_FRACTION < fb.face_fraction < lim.LIVE_MAX_FACE_FRACTION
    assert (fb.message_zh, fb.message_en) == MESSAGES["ok"]


@pytest.mark.parametrize(("dx", "dy"), [(-150, 0), (150, 0), (0, -110), (90, 90)])
def test_face_outside_the_oval_centre_is_off_center(compose: Compose, detector: FaceDetector,
                                                    dx: int, dy: int) -> None:
    fb = check(compose(dx=dx, dy=dy), detector)
    assert (fb.status, fb.in_oval, fb.faces) == ("off_center", False, 1)


def test_small_offset_still_counts_as_inside(compose: Compose, detector: FaceDetector) -> None:
    assert check(compose(dx=20, dy=-15), detector).in_oval


def test_face_too_small_asks_to_come_closer(compose: Compose, detector: FaceDetector) -> None:
    # 115 px wide at 640: found (the 160 px search finds faces from ~100 px), under the 150 px asked.
    fb = check(compose(scale=0.6), detector)
    assert fb.status == "too_far"
    assert fb.face_fraction < lim.LIVE_MIN_FACE_FRACTION


def test_face_too_large_asks_to_move_back(compose: Compose, detector: FaceDetector) -> None:
    fb = check(compose(scale=2.0), detector)
    assert fb.status == "too_close"
    assert fb.face_fraction > lim.LIVE_MAX_FACE_FRACTION


def test_dark_picture(compose: Compose, detector: FaceDetector) -> None:
    fb = check((compose() * 0.22).astype(np.uint8), detector)
    assert fb.status == "too_dark" and fb.mean_luma < lim.DARK_MEAN


def test_bright_picture(compose: Compose, detector: FaceDetector) -> None:
    fb = check((compose() * 0.25 + 185).astype(np.uint8), detector)
    assert fb.status == "too_bright" and fb.mean_luma > lim.BRIGHT_MEAN


def test_light_is_judged_before_distance(compose: Compose, detector: FaceDetector) -> None:
    # A dark, far face: the light is the thing to fix first (more urgent, and it affects the rest).
    assert check((compose(scale=0.7) * 0.22).astype(np.uint8), detector).status == "too_dark"


def test_no_face(detector: FaceDetector) -> None:
    fb = check(np.full((480, 640, 3), 120, np.uint8), detector)
    assert (fb.status, fb.face, fb.faces, fb.in_oval) == ("no_face", None, 0, False)
    assert fb.mean_luma == pytest.approx(120)


def test_two_people(card_bgr: np.ndarray, detector: FaceDetector) -> None:
    frame = np.full((480, 640, 3), 120, np.uint8)
    small = cv2.resize(card_bgr, None, fx=0.85, fy=0.85)
    sh, sw = small.shape[:2]
    frame[:sh, :sw] = small
    frame[:sh, 640 - sw :] = small
    fb = check(frame, detector)
    assert (fb.status, fb.faces) == ("several_faces", 2)


def test_grey_frames_and_other_sizes_work(compose: Compose, detector: FaceDetector) -> None:
    grey = compose()[:, :, 1].copy()
    assert check(grey, detector).status == "ok"
    hd = check(compose(scale=2.0, size=(1280, 720)), detector)
    assert hd.status == "ok" and hd.face is not None
    assert abs(hd.face.center[0] - 640) < 40  # scaled back to the 1280-wide frame


def test_tracking_follows_a_person_who_moves_away(compose: Compose, detector: FaceDetector) -> None:
    checker = LiveFrameChecker(detector)
    assert [checker.check(compose()).status for _ in range(3)] == ["ok"] * 3
    # A jump the search near the last face cannot find: the whole frame is searched again.
    assert checker.check(compose(dx=-170)).status == "off_center"
    assert checker.check(np.full((480, 640, 3), 120, np.uint8)).status == "no_face"
    assert checker.check(compose()).status == "ok"


def test_a_second_person_is_noticed_while_tracking(compose: Compose, card_bgr: np.ndarray,
                                                   detector: FaceDetector) -> None:
    checker = LiveFrameChecker(detector, full_every=5)
    single = compose(scale=0.85, dx=-150)
    for _ in range(3):
        assert checker.check(single).faces == 1
    both = single.copy()
    small = cv2.resize(card_bgr, None, fx=0.85, fy=0.85)
    both[: small.shape[0], 640 - small.shape[1] :] = small
    statuses = [checker.check(both).status for _ in range(5)]
    assert "several_faces" in statuses  # within full_every frames


def test_guide_oval_geometry() -> None:
    oval = guide_oval(640, 480)
    assert (oval.cx, oval.cy) == (320, 240)
    assert oval.rx == pytest.approx(640 * lim.OVAL_WIDTH_FRACTION / 2)
    assert oval.ry == pytest.approx(min(oval.rx * lim.OVAL_ASPECT, 480 * 0.45))
    assert oval.contains(320, 240) and oval.contains(320, 240 + oval.ry - 1)
    assert not oval.contains(320 + oval.rx + 1, 240)
    # A wide, low frame: the oval is capped so it stays inside the picture.
    flat = guide_oval(1280, 400)
    assert flat.ry <= 400 / 2


def test_every_status_has_both_languages() -> None:
    for status, (zh, en) in MESSAGES.items():
        assert zh and en and zh != en, status
    assert len({zh for zh, _ in MESSAGES.values()}) == len(MESSAGES)


def sine(amplitude: float, n: int = 16000, rate: int = 16000) -> np.ndarray:
    t = np.arange(n) / rate
    return amplitude * np.sin(2 * math.pi * 440 * t)


def test_voice_level_of_known_signals() -> None:
    assert voice_level_dbfs(sine(1.0)) == pytest.approx(-3.01, abs=0.02)
    assert voice_level_dbfs(sine(0.1)) == pytest.approx(-23.01, abs=0.02)
    pcm = (sine(0.5) * 32767).astype(np.int16)
    assert voice_level_dbfs(pcm) == pytest.approx(-9.03, abs=0.05)
    stereo = np.stack([sine(0.1), sine(0.1)], axis=1)
    assert voice_level_dbfs(stereo) == pytest.approx(-23.01, abs=0.02)


def test_voice_level_of_nothing_is_the_floor() -> None:
    assert voice_level_dbfs(np.zeros(0)) == lim.VOICE_FLOOR_DBFS
    assert voice_level_dbfs(np.zeros(1600, np.int16)) == lim.VOICE_FLOOR_DBFS


@pytest.mark.parametrize(("level", "status"), [
    (-60.0, "quiet"), (lim.VOICE_LOW_DBFS - 0.1, "quiet"), (lim.VOICE_LOW_DBFS, "ok"),
    (lim.VOICE_TARGET_DBFS, "ok"), (lim.VOICE_HIGH_DBFS, "ok"), (lim.VOICE_HIGH_DBFS + 0.1, "loud"),
])
def test_voice_status_band(level: float, status: str) -> None:
    assert voice_status(level) == status


def test_voice_meter_on_a_sine_in_the_band() -> None:
    assert voice_status(voice_level_dbfs(sine(0.1))) == "ok"  # -23 dBFS
    assert voice_status(voice_level_dbfs(sine(0.01))) == "quiet"  # -43 dBFS
    assert voice_status(voice_level_dbfs(sine(0.5))) == "loud"  # -9 dBFS
