"""Listing cameras (a fake sysfs and by-id folder) and microphones (a fake PortAudio)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from kiosk.media.devices import kind_of, list_cameras, list_devices, list_microphones, v4l2_sizes
from tests.unit.media.fakes import FakeSoundDevice

V4L2_OUTPUT = """ioctl: VIDIOC_ENUM_FMT
	[0]: 'YUYV' (YUYV 4:2:2)
		Size: Discrete 640x480
		Size: Discrete 1280x720
	[1]: 'MJPG' (Motion-JPEG, compressed)
		Size: Discrete 1920x1080
		Size: Discrete 640x480
"""


def sysfs(tmp_path: Path, nodes: dict[str, tuple[str, str]]) -> tuple[Path, Path]:
    """A /sys/class/video4linux with ``{node: (name, index)}`` and a by-id folder for video0."""
    root, by_id = tmp_path / "v4l", tmp_path / "by-id"
    by_id.mkdir()
    for node, (name, index) in nodes.items():
        (root / node).mkdir(parents=True)
        (root / node / "name").write_text(name + "\n")
        (root / node / "index").write_text(index + "\n")
    dev = tmp_path / "dev" / "video0"
    dev.parent.mkdir()
    dev.touch()
    (by_id / "usb-Acme_HD_Webcam-video-index0").symlink_to(dev)
    return root, by_id


def runner(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    assert args[:2] == ["v4l2-ctl", "-d"]
    return subprocess.CompletedProcess(args, 0, stdout=V4L2_OUTPUT, stderr="")


def test_cameras_by_name_with_stable_paths_sizes_and_kinds(tmp_path: Path) -> None:
    root, by_id = sysfs(tmp_path, {
        "video0": ("Acme HD Webcam", "0"),
        "video1": ("Acme HD Webcam", "1"),  # the same camera's metadata node
        "video2": ("Integrated IR Camera", "0"),
        "video10": ("OBS Virtual Camera", "0"),
    })
    cams = list_cameras(sysfs=root, by_id_dir=by_id, runner=runner)
    assert [c.path for c in cams] == ["/dev/video0", "/dev/video2", "/dev/video10"]
    webcam, ir, virtual = cams
    assert webcam.spec == str(by_id / "usb-Acme_HD_Webcam-video-index0")  # by-id, not an index
    assert webcam.sizes == ["640x480", "1280x720", "1920x1080"]
    assert (webcam.infrared, webcam.virtual) == (False, False)
    assert ir.infrared and not ir.virtual and ir.spec == "/dev/video2"
    assert virtual.virtual and not virtual.infrared


def test_no_video4linux_folder_means_no_cameras(tmp_path: Path) -> None:
    assert list_cameras(sysfs=tmp_path / "absent", probe_sizes=False) == []


def test_v4l2_sizes_is_none_when_the_tool_is_missing() -> None:
    def missing(args: list[str], **kw: Any) -> Any:
        raise FileNotFoundError("v4l2-ctl")

    assert v4l2_sizes("/dev/video0", missing) is None


@pytest.mark.parametrize("name, kinds", [
    ("Integrated IR Camera", (True, False)), ("Infrared Camera", (True, False)),
    ("v4l2loopback Dummy", (False, True)), ("Logitech BRIO", (False, False)),
    ("FIRE-i camera", (False, False)),  # "IR" inside a word is not infrared
    # One set of words for kiosk devices and the GUI (which hid these by its own list before).
    ("Windows Hello Face", (True, False)), ("Infra Red Camera", (True, False)),
    ("Intel RealSense Depth Camera", (True, False)), ("OBS Virtual Camera", (False, True)),
    ("NVIDIA Broadcast", (False, True)), ("XSplit VCam", (False, True)),
    ("DroidCam Source 3", (False, True)), ("Jobs Camera", (False, False)),
])
def test_kind_from_name(name: str, kinds: tuple[bool, bool]) -> None:
    assert kind_of(name) == kinds


def test_microphones_are_input_devices_named_with_their_host_api() -> None:
    sd = FakeSoundDevice(default_in=2, devices=[
        {"name": "HDA Intel: HDMI 0", "index": 0, "hostapi": 0, "max_input_channels": 0,
         "default_samplerate": 48000.0},
        {"name": "USB Mic", "index": 1, "hostapi": 0, "max_input_channels": 1,
         "default_samplerate": 44100.0},
        {"name": "pulse", "index": 2, "hostapi": 1, "max_input_channels": 32,
         "default_samplerate": 44100.0},
    ])
    mics = list_microphones(sd)
    assert [(m.spec, m.index, m.is_default) for m in mics] == [
        ("USB Mic, ALSA", 1, False), ("pulse, PulseAudio", 2, True)]


def test_a_sound_system_that_cannot_be_asked_becomes_a_note() -> None:
    found = list_devices(sd_backend=FakeSoundDevice(query_error="no host api"),
                         sysfs=Path("/nonexistent"), probe_sizes=False)
    assert found.cameras == [] and found.microphones == []
    assert len(found.notes) == 1 and "no host api" in found.notes[0]
