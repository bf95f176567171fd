"""Fake devices for media tests: sources that fail on cue, a scripted OpenCV capture, a fake
PortAudio, stand-in ffmpeg programs, and a look at this process's children in /proc."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from kiosk.errors import MediaError
from kiosk.media.errors import MicrophoneLost
from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo
from kiosk.media.types import AudioBlock, VideoFrame


class CueVideo:
    """The synthetic picture in real time, with faults on cue; remembers start/stop for the
    'devices released' checks."""

    def __init__(
        self,
        *,
        fail_at: int | None = None,
        error: MediaError | None = None,
        skip: Callable[[int], bool] = lambda n: False,
        jitter_s: Callable[[int], float] = lambda n: 0.0,
        width: int = 640,
        height: int = 480,
    ) -> None:
        self._inner = SyntheticVideo(width=width, height=height)
        self.spec, self.width, self.height, self.fps = "cue", width, height, 30.0
        self.fail_at, self.error = fail_at, error
        self.skip, self.jitter_s = skip, jitter_s
        self.reads = 0
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True
        self._inner.start()

    def read(self, timeout: float = 1.0) -> VideoFrame | None:
        while True:
            self.reads += 1
            if self.fail_at is not None and self.reads >= self.fail_at:
                assert self.error is not None
                raise self.error
            frame = self._inner.read(timeout)
            assert frame is not None
            n = round(frame.ts * self._inner.fps)
            if self.skip(n):
                continue  # a frame the camera never delivered
            # A late frame is handed over late but stamped when it was taken, as a camera does.
            return VideoFrame(frame.image, frame.ts + self.jitter_s(n))

    def stop(self) -> None:
        self.stopped = True
        self._inner.stop()


class CueAudio:
    """The synthetic sound in real time, failing with ``error`` at block ``fail_at``."""

    def __init__(self, *, fail_at: int | None = None, error: MediaError | None = None,
                 start_error: MediaError | None = None, stall_at: int | None = None,
                 stall_s: float = 0.0) -> None:
        self._inner = SyntheticAudio()
        self.spec, self.rate = "cue", self._inner.rate
        self.fail_at, self.error, self.start_error = fail_at, error, start_error
        self.stall_at, self.stall_s = stall_at, stall_s
        self.reads = 0
        self.started = self.stopped = False

    def start(self) -> None:
        if self.start_error is not None:
            raise self.start_error
        self.started = True
        self._inner.start()

    def read(self, timeout: float = 1.0) -> AudioBlock | None:
        self.reads += 1
        if self.fail_at is not None and self.reads >= self.fail_at:
            assert self.error is not None
            raise self.error
        if self.reads == self.stall_at:
            # The device goes quiet; a microphone source gives up after ``timeout`` (as
            # MicrophoneSource does), else the backlog arrives at once, stamped by sample count.
            if self.stall_s > timeout:
                time.sleep(timeout)
                raise MicrophoneLost(self.spec, timeout)
            time.sleep(self.stall_s)
        return self._inner.read(timeout)

    def stop(self) -> None:
        self.stopped = True
        self._inner.stop()


class FakeCap:
    """A cv2.VideoCapture stand-in: ``frames`` gives each picture (None: a failed read)."""

    def __init__(self, frames: Callable[[int], np.ndarray | None], *, opened: bool = True,
                 period_s: float = 1 / 30) -> None:
        self.frames, self.opened, self.period_s = frames, opened, period_s
        self.n = 0
        self.released = threading.Event()
        self.props: dict[int, float] = {}

    def set(self, prop: int, value: float) -> bool:
        self.props[prop] = value
        return True

    def get(self, prop: int) -> float:
        return self.props.get(prop, 0.0)

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.opened

    def read(self) -> tuple[bool, np.ndarray | None]:
        time.sleep(self.period_s)  # the device's pace, on the camera's own reader thread
        img = self.frames(self.n)
        self.n += 1
        return img is not None, img

    def release(self) -> None:
        self.released.set()


def moving_frames(n: int) -> np.ndarray:
    """A picture that differs from the previous one (a live camera)."""
    img = np.full((48, 64, 3), 100, np.uint8)
    img[n % 48, :, :] = 200
    return img


class FakeStream:
    """sounddevice.InputStream stand-in; ``push`` plays PortAudio's thread calling back."""

    instances: list[FakeStream] = []

    def __init__(self, *, device: Any, channels: int, samplerate: int, dtype: str, blocksize: int,
                 callback: Callable[..., None]) -> None:
        self.device, self.samplerate, self.blocksize, self.callback = device, samplerate, blocksize, callback
        self.started = self.stopped = self.closed = False
        FakeStream.instances.append(self)

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self.closed = True

    def push(self, count: int, value: float = 0.1, status: int = 0,
             latency: float | None = None) -> None:
        """A block; with ``latency``, PortAudio's time info reports that input latency."""
        info = None
        if latency is not None:
            info = SimpleNamespace(inputBufferAdcTime=1000.0 - latency, currentTime=1000.0)
        self.callback(np.full((count, 1), value, np.float32), count, info, status)


class FakePortAudioError(Exception):
    """sounddevice.PortAudioError stand-in."""


class FakeSoundDevice:
    """The parts of the sounddevice module the kiosk uses."""

    PortAudioError = FakePortAudioError

    def __init__(self, *, devices: list[dict[str, Any]] | None = None, fail_open: str = "",
                 default_in: int = -1, query_error: str = "") -> None:
        self.devices = devices or []
        self.fail_open, self.query_error = fail_open, query_error
        self.default = type("Default", (), {"device": [default_in, -1]})()
        self.streams: list[FakeStream] = []

    def InputStream(self, **kw: Any) -> FakeStream:  # noqa: N802 - sounddevice's name
        if self.fail_open:
            raise FakePortAudioError(self.fail_open)
        stream = FakeStream(**kw)
        self.streams.append(stream)
        return stream

    def query_devices(self) -> list[dict[str, Any]]:
        if self.query_error:
            raise FakePortAudioError(self.query_error)
        return self.devices

    def query_hostapis(self) -> list[dict[str, Any]]:
        return [{"name": "ALSA"}, {"name": "PulseAudio"}]


def fake_ffmpeg(folder: Path, body: str, name: str = "ffmpeg") -> str:
    """An executable shell script standing in for ffmpeg."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def children(pid: int | None = None) -> list[tuple[int, str, str]]:
    """(pid, command name, state) of the direct children of ``pid`` (this process)."""
    pid = os.getpid() if pid is None else pid
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append((int(entry.name), comm, fields[0]))
    return out


def alive(pid: int) -> bool:
    """Whether a process (a zombie included: not reaped) still exists."""
    return Path(f"/proc/{pid}").exists()


def leftovers(folder: Path) -> list[str]:
    """Names in ``folder`` a failed recording must not leave (partial clips, working folders)."""
    return sorted(p.name for p in folder.iterdir())


def wait_until(cond: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``cond`` (for a background thread's effect); never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def assert_clean(folder: Path, pids: list[int], expect: list[str] | None = None) -> None:
    """Nothing but ``expect`` left in ``folder``, and every ffmpeg started is gone (reaped)."""
    assert leftovers(folder) == sorted(expect or [])
    assert [p for p in pids if alive(p)] == []
    assert [c for c in children() if "ffmpeg" in c[1] or c[1] == "sleep"] == []
