"""The GUI hides the cameras `kiosk devices` marks infrared or virtual: one set of words."""

from __future__ import annotations

import pytest

from kiosk.media import CameraInfo, Devices
from kiosk.media.devices import kind_of
from kiosk.ui.devices import MediaDevices, is_hidden_camera

NAMES = ["Integrated IR Camera", "Infra Red Camera", "Windows Hello Face", "OBS Virtual Camera",
         "v4l2loopback Dummy", "DroidCam Source 3", "NVIDIA Broadcast", "Logitech BRIO",
         "Integrated Camera", "FIRE-i camera"]


@pytest.mark.parametrize("name", NAMES)
def test_the_gui_hides_what_kiosk_devices_marks(name: str) -> None:
    assert is_hidden_camera(CameraInfo("0", name, "/dev/video0")) is any(kind_of(name))


def test_the_panel_offers_the_others_only() -> None:
    devices = MediaDevices(lambda: Devices([CameraInfo(str(i), n, f"/dev/video{i}")
                                            for i, n in enumerate(NAMES)], []))
    assert devices.cameras() == ["Logitech BRIO", "Integrated Camera", "FIRE-i camera"]
