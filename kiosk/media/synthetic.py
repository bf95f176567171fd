"""A generated picture and sound with a white flash and a short beep at the same known instants.

Both sources place their events on the monotonic clock's own grid (every ``PERIOD_S`` seconds from
clock zero), so two independently started sources agree on when each flash and beep happens, and a
recording's sync can be measured from its output alone (``kiosk.media.probe.av_offsets``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import cv2
import numpy as np

from kiosk.media.types import AudioBlock, VideoFrame

PERIOD_S = 1.0  # one flash and one beep per second, at whole seconds of the monotonic clock
BEEP_S = 0.1
BEEP_HZ = 1000.0
BEEP_LEVEL = 0.5  # about -6 dBFS peak
NOISE_LEVEL = 0.003  # a faint hiss, so a level meter moves between beeps
BLOCK_S = 0.02  # microphones deliver ~10-40 ms blocks; 20 ms is typical

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class SyntheticVideo:
    """A moving pattern at a constant rate; the frame that starts on a whole second is white."""

    def __init__(
        self,
        *,
        width: int = 640,
        height: int = 480,
        fps: float = 30.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        realtime: bool = True,
    ) -> None:
        self.spec = "synthetic"
        self.width, self.height, self.fps = width, height, fps
        self._clock, self._sleep, self._realtime = clock, sleep, realtime
        self._n: int | None = None
        self._per_period = round(PERIOD_S * fps)
        ys, xs = np.mgrid[0:height, 0:width]
        base = np.zeros((height, width, 3), np.uint8)
        base[..., 0] = (xs * 160 // max(width, 1)).astype(np.uint8) + 40
        base[..., 1] = (ys * 160 // max(height, 1)).astype(np.uint8) + 40
        base[..., 2] = 90
        self._base = base

    def start(self) -> None:
        """Begin at the next frame boundary of the clock's grid."""
        self._n = math.ceil(self._clock() * self.fps)

    def read(self, timeout: float = 1.0) -> VideoFrame | None:
        """The next frame, waiting for its time when running in real time."""
        if self._n is None:
            self.start()
        assert self._n is not None
        if self._realtime:
            now = self._clock()
            if now - self._n / self.fps > 1.0 / self.fps:  # fell behind: drop, as a camera would
                self._n = math.floor(now * self.fps)
            wait = self._n / self.fps - now
            if wait > 0:
                self._sleep(wait)
        n = self._n
        self._n += 1
        return VideoFrame(self.frame_image(n), n / self.fps)

    def frame_image(self, n: int) -> np.ndarray:
        """Frame number ``n`` of the clock's grid (white when it starts a period)."""
        if n % self._per_period == 0:
            return np.full((self.height, self.width, 3), 255, np.uint8)
        img = self._base.copy()
        size = max(self.height // 5, 8)
        x = int((n * 7) % max(self.width - size, 1))
        y = int((self.height - size) * (0.5 + 0.4 * math.sin(n / 15.0)))
        cv2.rectangle(img, (x, y), (x + size, y + size), (30, 200, 240), -1)
        cv2.circle(img, (self.width - x - 1, self.height // 3), size // 3, (200, 60, 60), -1)
        return img

    def stop(self) -> None:
        """Nothing to release."""
        self._n = None


class SyntheticAudio:
    """Faint hiss with a 1 kHz beep of ``BEEP_S`` starting on every whole second of the clock."""

    def __init__(
        self,
        *,
        rate: int = 16000,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        realtime: bool = True,
        seed: int = 1,
    ) -> None:
        self.spec = "synthetic"
        self.rate = rate
        self._clock, self._sleep, self._realtime = clock, sleep, realtime
        self._m: int | None = None
        self._block = max(1, round(BLOCK_S * rate))
        self._per_period = round(PERIOD_S * rate)
        self._beep_len = round(BEEP_S * rate)
        self._rng = np.random.default_rng(seed)

    def start(self) -> None:
        """Begin at the next sample boundary of the clock's grid."""
        self._m = math.ceil(self._clock() * self.rate)

    def read(self, timeout: float = 1.0) -> AudioBlock | None:
        """The next block, delivered once its last sample has been 'heard' (as a microphone does)."""
        if self._m is None:
            self.start()
        assert self._m is not None
        m = self._m
        if self._realtime:
            wait = (m + self._block) / self.rate - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._m += self._block
        return AudioBlock(self.samples(m, self._block), m / self.rate, self.rate)

    def samples(self, m: int, count: int) -> np.ndarray:
        """Samples ``m .. m+count`` of the clock's grid."""
        idx = np.arange(m, m + count, dtype=np.int64)
        phase = idx % self._per_period
        out = (self._rng.standard_normal(count) * NOISE_LEVEL).astype(np.float32)
        beep = phase < self._beep_len
        if beep.any():
            t = phase[beep] / self.rate
            out[beep] += (BEEP_LEVEL * np.sin(2 * np.pi * BEEP_HZ * t)).astype(np.float32)
        return out

    def stop(self) -> None:
        """Nothing to release."""
        self._m = None


__all__ = ["BEEP_S", "PERIOD_S", "SyntheticAudio", "SyntheticVideo"]
