"""What a recording writes is a person's face and voice: 0600 files, a 0700 folder, handed back."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from kiosk.media import Recording, TempFolders
from kiosk.media.ffmpeg_exe import find_ffmpeg
from kiosk.media.recorder import PlainFolders
from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


class SpyFolders:
    """A TempFolders that notes the modes of what is in a folder when it is given back."""

    def __init__(self) -> None:
        self.plain = PlainFolders()
        self.made: list[tuple[Path, str]] = []
        self.modes: dict[str, int] = {}

    def make_folder(self, parent: Path, prefix: str) -> Path:
        folder = self.plain.make_folder(parent, prefix)
        self.made.append((folder, prefix))
        return folder

    def release(self, folder: Path) -> None:
        self.modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.iterdir()]}
        self.plain.release(folder)


def feed(rec: Recording, seconds: float) -> None:
    """The synthetic pattern, as fast as it can be placed."""
    video, audio = SyntheticVideo(width=64, height=48, realtime=False), SyntheticAudio(realtime=False)
    video.start()
    audio.start()
    t_end = rec.start_at + seconds
    while (block := audio.read()) is not None:
        rec.feed_audio(block)
        if block.ts > t_end:
            break
    while not rec.done() and (frame := video.read()) is not None:
        rec.feed_video(frame)
        if frame.ts > t_end + 1:
            break


@pytest.mark.parametrize("live", [True, False], ids=["live", "wav-and-mux"])
def test_every_file_of_a_recording_is_private(tmp_path: Path, live: bool) -> None:
    old = os.umask(0o022)  # the usual umask: new files would be 0644
    try:
        check_recording(tmp_path, live)
    finally:
        os.umask(old)


def check_recording(tmp_path: Path, live: bool) -> None:
    spy = SpyFolders()
    folders: TempFolders = spy
    out = tmp_path / "clip.mp4"
    rec = Recording(out, ffmpeg=find_ffmpeg(), width=64, height=48, seconds=1.0, live=live,
                    start_at=time.monotonic(), folders=folders)
    feed(rec, 2.0)
    assert rec.wait(30) == out
    assert [(f.parent, p) for f, p in spy.made] == [(tmp_path, ".kiosk-rec-")]
    [(folder, _)] = spy.made
    assert spy.modes.pop(folder.name) == 0o700
    expected = {"ffmpeg.log"} if live else {"audio.wav", "video.nut", "video.log", "mux.log"}
    assert set(spy.modes) == expected
    assert {name: f"{mode:o}" for name, mode in spy.modes.items()} == dict.fromkeys(expected, "600")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]
