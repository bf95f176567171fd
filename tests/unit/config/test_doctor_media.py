"""The doctor's capture checks: a picture from the camera, the microphone's level, each with its fix."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.config import Paths, SecretStore, Settings, doctor, doctor_media
from kiosk.media import CameraBusy, MicrophoneAbsent
from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo
from kiosk.media.types import AudioBlock
from kiosk.resources import sample_clip_spec


def settings_with(tmp_path: Path, **flags: str) -> Settings:
    paths = Paths.under(tmp_path / "kiosk")
    return Settings(paths, flags=flags, env={},
                    secrets=SecretStore(paths.secret_file, warn=lambda en, zh: None))


def test_a_played_clip_gives_a_picture_and_its_own_sound(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, camera=sample_clip_spec(), mic="default")
    frame = doctor_media.check_camera_frame(settings)
    assert frame.status == doctor.OK and "640x480" in frame.detail_en, frame
    # A file: camera brings its own sound, as a verification records it (not the "default" mic).
    level = doctor_media.check_mic_level(settings)
    assert level.status == doctor.OK and level.detail_en.startswith("file:"), level
    assert "dBFS" in level.detail_zh


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


def test_a_silent_microphone_warns_and_a_missing_one_fails(tmp_path: Path) -> None:
    class Muted(SyntheticAudio):
        def read(self, timeout: float = 1.0) -> AudioBlock | None:
            block = super().read(timeout)
            assert block is not None
            return AudioBlock(np.zeros_like(block.samples), block.ts, block.rate)

    settings = settings_with(tmp_path, camera="0", mic="USB Microphone")
    check = doctor_media.check_mic_level(settings, open_audio=lambda spec: Muted())
    assert check.status == doctor.WARN and check.detail_en.startswith("USB Microphone") and check.fix_en

    def absent(spec: str) -> SyntheticAudio:
        raise MicrophoneAbsent(spec, "no such device")

    check = doctor_media.check_mic_level(settings, open_audio=absent)
    assert check.status == doctor.FAIL and check.fix_zh


def test_the_doctor_runs_the_capture_checks_in_its_order(tmp_path: Path) -> None:
    names = [name for name, _ in doctor.groups(settings_with(tmp_path))]
    assert names.index("devices") < names.index("camera frame") < names.index("microphone level")
