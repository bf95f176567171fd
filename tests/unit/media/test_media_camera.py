"""A camera through a scripted OpenCV capture: absent, busy, stale, unplugged, released."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.media.camera import CameraSource
from kiosk.media.errors import CameraAbsent, CameraBusy, CameraLost
from tests.unit.media.fakes import FakeCap, moving_frames


@pytest.fixture
def node(tmp_path: Path) -> str:
    path = tmp_path / "video0"
    path.touch()  # stands for /dev/video0: the device node is there
    return str(path)


def camera(device: str, opener: Any, **kw: Any) -> CameraSource:
    kw = {"open_timeout": 0.5, "stall_s": 0.3, "warmup_s": 0.0, **kw}
    return CameraSource(device, width=64, height=48, opener=opener, **kw)


def test_absent_device_node_is_camera_absent_without_opening(tmp_path: Path) -> None:
    opened: list[object] = []
    cam = camera(str(tmp_path / "video9"), opened.append)
    with pytest.raises(CameraAbsent) as err:
        cam.start()
    assert opened == [] and "synthetic" in err.value.fix_en and "synthetic" in err.value.fix_zh


def test_an_open_that_hangs_is_camera_busy_and_the_late_handle_is_released(node: str) -> None:
    go = threading.Event()
    cap = FakeCap(moving_frames)

    def slow_open(device: object) -> FakeCap:
        go.wait(5)
        return cap

    cam = camera(node, slow_open, open_timeout=0.2)
    with pytest.raises(CameraBusy):
        cam.start()
    go.set()
    assert cap.released.wait(2)  # opened after we gave up: must not keep the device


def test_a_device_that_will_not_open_is_camera_busy(node: str) -> None:
    cap = FakeCap(moving_frames, opened=False)
    with pytest.raises(CameraBusy) as err:
        camera(node, lambda d: cap).start()
    assert cap.released.is_set() and "other programs" in err.value.fix_en


def test_frames_arrive_stamped_in_order_and_stop_releases_the_camera(node: str) -> None:
    cap = FakeCap(moving_frames)
    cam = camera(node, lambda d: cap)
    cam.start()
    try:
        frames = [cam.read(timeout=2) for _ in range(5)]
    finally:
        cam.stop()
    ts = [f.ts for f in frames if f is not None]
    assert len(ts) == 5 and ts == sorted(ts) and len(set(ts)) == 5
    assert cap.released.wait(2)
    assert cap.props  # the requested size and rate were asked for


@pytest.mark.parametrize("failure", ["stale picture", "failed reads"])
def test_a_camera_that_stops_delivering_is_lost_after_a_reopen_attempt(node: str, failure: str) -> None:
    def frames(n: int) -> np.ndarray | None:
        if n < 5:
            return moving_frames(n)
        return moving_frames(4) if failure == "stale picture" else None

    caps = [FakeCap(frames), FakeCap(moving_frames, opened=False)]
    cam = camera(node, lambda d: caps.pop(0))
    cam.start()
    try:
        with pytest.raises(CameraLost) as err:
            for _ in range(200):
                cam.read(timeout=3)
    finally:
        cam.stop()
    assert not caps  # the watchdog tried to reopen before giving up
    assert "cable" in err.value.fix_en


def test_no_frame_within_the_read_timeout_is_camera_lost(node: str) -> None:
    cam = camera(node, lambda d: FakeCap(lambda n: None), stall_s=30)
    cam.start()
    try:
        with pytest.raises(CameraLost):
            cam.read(timeout=0.3)
    finally:
        cam.stop()


def test_frames_are_dropped_while_auto_exposure_settles(node: str) -> None:
    def brightening(n: int) -> np.ndarray:
        img = np.full((48, 64, 3), min(20 + 40 * n, 180), np.uint8)
        img[0, n % 64] = 0  # each picture differs a little (not stale)
        return img

    cam = camera(node, lambda d: FakeCap(brightening), warmup_s=10.0)
    cam.start()
    try:
        first = cam.read(timeout=3)
    finally:
        cam.stop()
    assert first is not None and first.image.mean() > 170  # the dark, changing frames were dropped
