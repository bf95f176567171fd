"""Placing frames and samples on the recording's timeline by their capture times.

The output has a constant frame rate: slot ``i`` shows the picture taken at ``t0 + i/fps``, where
``t0`` is the first frame's capture time. A late camera frame is repeated, surplus frames are
dropped. The sound is cut or padded so that its sample ``j`` was heard at ``t0 + j/rate``: the
picture and the sound start at the same instant, and dropped frames never shift the sound.
"""

from __future__ import annotations

import numpy as np

from kiosk.media.types import AudioBlock, VideoFrame


class FrameSlots:
    """Maps timestamped frames onto constant-rate output slots."""

    def __init__(self, fps: float, total: int) -> None:
        self.fps = fps
        self.total = total  # slots wanted; lowered by stop()
        self.t0: float | None = None
        self.written = 0
        self._prev: np.ndarray | None = None

    def place(self, frame: VideoFrame) -> list[np.ndarray]:
        """The images to write for this frame: none (dropped), one, or repeats then this one."""
        if self.t0 is None:
            self.t0 = frame.ts
        slot = round((frame.ts - self.t0) * self.fps)
        out: list[np.ndarray] = []
        if slot < self.written:
            return out  # a second frame for a slot already written: dropped
        while self.written < min(slot, self.total):  # frames the camera missed: repeat the last
            assert self._prev is not None
            out.append(self._prev)
            self.written += 1
        if self.written < self.total:
            out.append(frame.image)
            self.written += 1
        self._prev = frame.image
        return out

    @property
    def done(self) -> bool:
        """All wanted slots are written."""
        return self.written >= self.total

    @property
    def end(self) -> float | None:
        """The capture time where the written video ends."""
        return None if self.t0 is None else self.t0 + self.written / self.fps


class SampleAligner:
    """Cuts and pads timestamped audio blocks so the output starts at ``t0`` exactly."""

    def __init__(self, rate: int, *, tolerance_s: float = 0.005) -> None:
        self.rate = rate
        self.written = 0
        self.t0: float | None = None
        self.limit: int | None = None
        self._tolerance = round(tolerance_s * rate)
        self._early: list[AudioBlock] = []

    def begin(self, t0: float) -> list[np.ndarray]:
        """Fix the start time; returns what blocks held back so far contribute."""
        self.t0 = t0
        early, self._early = self._early, []
        out: list[np.ndarray] = []
        for block in early:
            out.extend(self.place(block))
        return out

    def place(self, block: AudioBlock) -> list[np.ndarray]:
        """Samples to append for this block (silence first when samples are missing)."""
        if self.t0 is None:
            self._early.append(block)
            return []
        samples = block.samples
        pos = round((block.ts - self.t0) * self.rate)
        gap = pos - self.written
        first = self.written == 0
        out: list[np.ndarray] = []
        if gap > 0 and (first or gap > self._tolerance):
            out.append(np.zeros(gap, np.float32))  # lost or late sound: silence, not a shift
        elif gap < 0 and (first or -gap > self._tolerance):
            samples = samples[-gap:]  # heard before t0, or overlapping what is written
        out.append(samples)
        return self._cap(out)

    def _cap(self, parts: list[np.ndarray]) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        for part in parts:
            if self.limit is not None:
                part = part[: max(0, self.limit - self.written)]
            if len(part):
                out.append(part)
                self.written += len(part)
        return out

    def pad_to(self, count: int) -> np.ndarray:
        """Silence that brings the written length up to ``count`` samples."""
        missing = max(0, count - self.written)
        self.written += missing
        return np.zeros(missing, np.float32)


__all__ = ["FrameSlots", "SampleAligner"]
