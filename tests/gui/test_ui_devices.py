"""The operator panel's device names come from kiosk.media's listing, hidden cameras left out."""

from __future__ import annotations

import pytest

from kiosk.media import CameraInfo, Devices, MicrophoneInfo
from kiosk.ui.devices import MediaDevices, is_hidden_camera


def camera(name: str, *, infrared: bool = False, virtual: bool = False) -> CameraInfo:
    return CameraInfo("0", name, "/dev/video0", infrared=infrared, virtual=virtual)


def mic(name: str) -> MicrophoneInfo:
    return MicrophoneInfo(name, name, 0)


@pytest.mark.parametrize("name", ["Integrated IR Camera", "Windows Hello Face", "OBS Virtual Camera",
                                  "v4l2loopback", "NVIDIA Broadcast", "Intel RealSense Depth"])
def test_infrared_and_virtual_cameras_are_hidden_by_name(name: str) -> None:
    assert is_hidden_camera(camera(name))


def test_the_listers_flags_hide_a_camera_whatever_its_name() -> None:
    assert is_hidden_camera(camera("Camera 2", infrared=True))
    assert is_hidden_camera(camera("Camera 3", virtual=True))
    assert not is_hidden_camera(camera("USB Camera"))


def test_names_from_a_listing() -> None:
    listing = Devices(
        [camera("USB Camera"), camera(" USB Camera "), camera("IR Camera"), camera(""),
         camera("Integrated Camera")],
        [mic("default"), mic("USB Microphone"), mic("USB Microphone")])
    devices = MediaDevices(lambda: listing)
    assert devices.cameras() == ["USB Camera", "Integrated Camera"]
    assert devices.mics() == ["default", "USB Microphone"]


def test_a_failed_scan_offers_no_device() -> None:
    def broken() -> Devices:
        raise OSError("driver crashed")

    devices = MediaDevices(broken)
    assert devices.cameras() == [] and devices.mics() == ["default"]
