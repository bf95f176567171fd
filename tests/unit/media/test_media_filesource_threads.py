"""A file: camera gives its decoder threads back when stopped, not at the next garbage collection.

A kiosk stops and starts its camera source at every session; closing PyAV's container alone kept
the stream's three frame-decoding threads alive until the source object was collected, and a
cancelled session's source lives on in a traceback's frames until then (found by the soak).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from kiosk.media.filesource import FileAudio, FileVideo

SAMPLE = Path(__file__).resolve().parents[3] / "assets" / "sample_clip.mp4"


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_stopped_file_sources_keep_no_decoder_threads() -> None:
    gc.collect()
    before = threads()
    kept = []  # held, as a cancelled session's traceback holds its capture
    for _ in range(3):
        video, audio = FileVideo(SAMPLE, realtime=False), FileAudio(SAMPLE, realtime=False)
        video.start()
        audio.start()
        for _ in range(10):
            assert video.read() is not None
            assert audio.read() is not None
        assert threads() > before, "the decoder runs on threads of its own"
        video.stop()
        audio.stop()
        kept += [video, audio]
    assert threads() == before, "stopped sources still hold decoder threads"


def test_a_stopped_file_source_starts_again() -> None:
    video = FileVideo(SAMPLE, realtime=False)
    video.start()
    first = video.read()
    video.stop()
    video.start()
    again = video.read()
    assert first is not None and again is not None
    assert again.image.shape == first.image.shape
    video.stop()
