"""A camera read with OpenCV on a thread of its own, with an open timeout and a frame-age watchdog.

After an unplug, ``VideoCapture.read()`` may block for ever or keep returning the last picture
while ``isOpened()`` stays true, so the read loop never runs on the caller's thread, repeated
pictures do not count as new, and a watchdog thread reopens the camera when no new picture came
for ``stall_s``; if that fails too, ``read`` raises CameraLost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from kiosk.media.errors import CameraAbsent, CameraBusy, CameraLost
from kiosk.media.types import STALL_S, VideoFrame

log = logging.getLogger("kiosk.media.camera")

Opener = Callable[[int | str], Any]
WARMUP_S = 1.0  # auto-exposure settles within about a second; dark frames before are dropped


def default_opener(device: int | str) -> Any:
    """cv2.VideoCapture on the platform's usual backend."""
    return cv2.VideoCapture(device)


def _device_exists(device: int | str) -> bool | None:
    """Whether the device node is there (None where the platform does not tell)."""
    if isinstance(device, str):
        return os.path.exists(device)
    if os.path.isdir("/dev"):
        return os.path.exists(f"/dev/video{device}")
    return None


def _signature(img: np.ndarray) -> bytes:
    """A cheap fingerprint: a stale camera repeats the very same picture."""
    return img[:: max(1, img.shape[0] // 16), :: max(1, img.shape[1] // 16)].tobytes()


class CameraSource:
    """A camera by index or device path, at a requested size and rate."""

    def __init__(
        self,
        device: int | str,
        *,
        width: int = 640,
        height: int = 480,
        fps: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        opener: Opener = default_opener,
        open_timeout: float = 5.0,
        stall_s: float = STALL_S / 2,
        warmup_s: float = WARMUP_S,
    ) -> None:
        self.spec = str(device)
        self.device = device
        self.width, self.height, self.fps = width, height, fps
        self._clock, self._opener = clock, opener
        self._open_timeout, self._stall_s, self._warmup_s = open_timeout, stall_s, warmup_s
        self._frames: queue.Queue[VideoFrame] = queue.Queue(maxsize=2)
        self._error: Exception | None = None
        self._stop = threading.Event()
        self._generation = 0
        self._last_new = 0.0
        self._lock = threading.Lock()
        self._watchdog: threading.Thread | None = None
        self._readers: list[threading.Thread] = []

    def start(self) -> None:
        """Open the camera (bounded by the open timeout) and start reading and watching it."""
        self._stop.clear()
        self._error = None
        cap = self._open()
        self._begin(cap)
        self._watchdog = threading.Thread(target=self._watch, name="camera-watchdog", daemon=True)
        self._watchdog.start()

    def check_present(self) -> None:
        """CameraAbsent when the device is known to be missing; the camera is not opened."""
        if _device_exists(self.device) is False:
            raise CameraAbsent(self.spec)

    def _open(self) -> Any:
        self.check_present()
        box: dict[str, Any] = {}
        abandoned = threading.Event()

        def work() -> None:
            try:
                cap = self._opener(self.device)
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
                cap.set(cv2.CAP_PROP_FPS, self.fps)
                ok = bool(cap.isOpened())
            except Exception as exc:  # noqa: BLE001 - any backend failure means "did not open"
                log.debug("camera %s open raised %r", self.spec, exc)
                box["ok"] = False
                return
            if abandoned.is_set() or not ok:
                cap.release()  # a late open after we gave up must not keep the device
            box["ok"], box["cap"] = ok, cap

        t = threading.Thread(target=work, name="camera-open", daemon=True)
        t.start()
        t.join(self._open_timeout)
        if t.is_alive():
            abandoned.set()
            raise CameraBusy(self.spec, self._open_timeout)
        if not box.get("ok"):
            if _device_exists(self.device) is None and isinstance(self.device, int):
                raise CameraAbsent(self.spec)  # no device node to tell absent from busy
            raise CameraBusy(self.spec, self._open_timeout)
        return box["cap"]

    def _begin(self, cap: Any) -> None:
        with self._lock:
            self._generation += 1
            gen = self._generation
            self._last_new = self._clock()
        t = threading.Thread(target=self._read_loop, args=(cap, gen), name="camera-read", daemon=True)
        self._readers.append(t)
        t.start()

    def _read_loop(self, cap: Any, gen: int) -> None:
        last_sig = b""
        opened = self._clock()
        last_mean = -1.0
        try:
            while not self._stop.is_set() and gen == self._generation:
                ok, img = cap.read()
                now = self._clock()
                if gen != self._generation:
                    break
                if not ok or img is None:
                    self._stop.wait(0.01)  # a failing read returns at once: do not spin
                    continue
                sig = _signature(img)
                if sig == last_sig:
                    continue  # a stale camera repeats its last picture: not a new frame
                last_sig = sig
                self._last_new = now
                if now - opened < self._warmup_s:
                    mean = float(img[::8, ::8].mean())
                    settled = abs(mean - last_mean) < 3.0
                    last_mean = mean
                    if not settled:
                        continue  # auto-exposure is still moving
                    self._warmup_s = 0.0
                self._put(VideoFrame(img, now))
        finally:
            cap.release()

    def _put(self, frame: VideoFrame) -> None:
        while True:
            try:
                self._frames.put_nowait(frame)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._frames.get_nowait()  # keep the newest: the recorder goes by timestamp

    def _watch(self) -> None:
        while not self._stop.wait(min(0.25, self._stall_s / 4)):
            age = self._clock() - self._last_new
            if age <= self._stall_s:
                continue
            log.warning("camera %s: no new frame for %.1f s, reopening", self.spec, age)
            with self._lock:
                self._generation += 1  # the stuck reader releases its handle if it ever returns
            try:
                self._begin(self._open())
            except Exception:  # noqa: BLE001 - reopening failed: the camera is gone
                self._error = CameraLost(self.spec, age)
                return

    def read(self, timeout: float = STALL_S) -> VideoFrame | None:
        """The next new frame; CameraLost when the watchdog gave up or nothing came in time."""
        deadline = self._clock() + timeout
        while True:
            if self._error is not None:
                raise self._error
            try:
                return self._frames.get(timeout=0.1)
            except queue.Empty:
                if self._clock() >= deadline:
                    raise CameraLost(self.spec, timeout) from None

    def stop(self) -> None:
        """Stop reading and release the camera (a stuck reader releases it when it returns)."""
        self._stop.set()
        with self._lock:
            self._generation += 1
        for t in self._readers:
            t.join(0.5)
        self._readers = [t for t in self._readers if t.is_alive()]
        if self._watchdog is not None:
            self._watchdog.join(0.5)


__all__ = ["CameraSource", "default_opener"]
