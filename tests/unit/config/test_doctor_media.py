"""The doctor's camera check: a picture from the configured camera, or why not and the fix."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.config import Paths, SecretStore, Settings, doctor, doctor_media
from kiosk.media import CameraBusy
from kiosk.media.synthetic import SyntheticVideo
from kiosk.resources import sample_clip_spec


def settings_with(tmp_path: Path, **flags: str) -> Settings:
    paths = Paths.under(tmp_path / "kiosk")
    return Settings(paths, flags=flags, env={},
                    secrets=SecretStore(paths.secret_file, warn=lambda en, zh: None))


def test_a_played_clip_gives_a_picture(tmp_path: Path) -> None:
    frame = doctor_media.check_camera_frame(settings_with(tmp_path, camera=sample_clip_spec()))
    assert frame.status == doctor.OK and "640x480" in frame.detail_en and "640x480" in frame.detail_zh


def test_a_camera_that_does_not_open_fails_with_its_fix(tmp_path: Path) -> None:
    def busy(spec: str) -> SyntheticVideo:
        raise CameraBusy(spec, 5.0)

    check = doctor_media.check_camera_frame(settings_with(tmp_path, camera="0"), open_video=busy)
    assert check.status == doctor.FAIL and check.fix_en and check.fix_zh


def test_a_dark_picture_warns(tmp_path: Path) -> None:
    class Dark(SyntheticVideo):
        def frame_image(self, n: int) -> np.ndarray:
            return np.full((self.height, self.width, 3), 20, np.uint8)

    check = doctor_media.check_camera_frame(settings_with(tmp_path, camera="synthetic"),
                                            open_video=lambda spec: Dark())
    assert check.status == doctor.WARN and "dark" in check.detail_en and "镜头盖" in check.fix_zh


def test_the_doctor_runs_the_capture_checks_in_its_order(tmp_path: Path) -> None:
    names = [name for name, _ in doctor.groups(settings_with(tmp_path))]
    assert names.index("devices") < names.index("camera frame") < names.index("display")
