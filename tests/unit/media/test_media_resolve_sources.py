"""One rule for the sources of every command and the GUI: a played camera brings its own sound."""

from __future__ import annotations

import pytest

from kiosk.media import Sources, is_played, resolve_sources


@pytest.mark.parametrize(("camera", "mic", "fallback", "expected"), [
    # Nobody chose a microphone: a file or the synthetic source is heard as well as seen.
    ("synthetic", None, "default", ("synthetic", "synthetic")),
    ("file:/clips/a.mp4", None, "default", ("file:/clips/a.mp4", "file:/clips/a.mp4")),
    ("synthetic", "", "USB Mic", ("synthetic", "synthetic")),  # the mic setting is for devices
    (" synthetic ", None, "default", ("synthetic", "synthetic")),
    # A chosen microphone is honoured, 'default' too (a test of the real microphone).
    ("synthetic", "default", "default", ("synthetic", "default")),
    ("file:/clips/a.mp4", "USB Mic", "default", ("file:/clips/a.mp4", "USB Mic")),
    ("synthetic", "file:/clips/b.mp4", "default", ("synthetic", "file:/clips/b.mp4")),
    # A device camera: the chosen microphone, else the setting, else the default device.
    ("0", None, "USB Mic", ("0", "USB Mic")),
    ("/dev/video2", None, "", ("/dev/video2", "default")),
    ("0", "synthetic", "USB Mic", ("0", "synthetic")),
])
def test_a_played_camera_brings_its_own_sound_unless_a_mic_is_chosen(
        camera: str, mic: str | None, fallback: str, expected: tuple[str, str]) -> None:
    assert resolve_sources(camera, mic, fallback_mic=fallback) == Sources(*expected)


def test_played_sources_are_files_and_the_synthetic_one() -> None:
    assert is_played("synthetic") and is_played("file:x.mp4") and is_played(" file:x.mp4")
    assert not any(is_played(s) for s in ("0", "/dev/video0", "Integrated Camera", "default", ""))
