"""The GUI's camera and microphone follow kiosk.media.resolve_sources, as the commands do."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Paths, Settings
from kiosk.ui.session import assemble

CREDENTIALS = {"KIOSK_APPID": "1000001", "KIOSK_SECRET_ID": "AKIDtest", "KIOSK_SECRET_KEY": "key"}


class NoDevices:
    def cameras(self) -> list[str]:
        return []

    def mics(self) -> list[str]:
        return []


def sources(tmp_path: Path, env: dict[str, str], **kw: str) -> tuple[str, str]:
    paths = Paths.under(tmp_path / "kiosk")
    parts = assemble(Settings(paths, env={**CREDENTIALS, **env}), paths, NoDevices(), **kw)  # type: ignore[arg-type]
    try:
        assert not parts.demo
        return parts.camera(), parts.mic()
    finally:
        parts.close()


def test_a_synthetic_camera_setting_brings_its_own_sound(tmp_path: Path) -> None:
    # The mic setting is for a device camera; before, the GUI opened it beside a synthetic camera.
    env = {"KIOSK_CAMERA": "synthetic", "KIOSK_MIC": "USB Mic"}
    assert sources(tmp_path, env) == ("synthetic", "synthetic")


def test_a_chosen_microphone_is_honoured(tmp_path: Path) -> None:
    assert sources(tmp_path, {}, camera="synthetic", mic="default") == ("synthetic", "default")


def test_a_device_camera_takes_the_mic_setting(tmp_path: Path) -> None:
    assert sources(tmp_path, {"KIOSK_CAMERA": "/dev/video7", "KIOSK_MIC": "USB Mic"}) == (
        "/dev/video7", "USB Mic")
