"""A microphone read with sounddevice: the callback only queues, time comes from the sample count.

``inputBufferAdcTime`` is 0 or wrong on several host APIs, so a block's time is the stream's start
on the monotonic clock plus the samples counted so far; when samples were lost (an overflow, a
stall) the count is re-anchored to the clock so the sound never drifts behind the picture.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from kiosk.media.errors import MicrophoneAbsent, MicrophoneLost
from kiosk.media.types import AudioBlock

log = logging.getLogger("kiosk.media.microphone")

BLOCK_S = 0.02
DRIFT_S = 0.15  # more behind the clock than this means samples were lost: re-anchor


def load_sounddevice() -> ModuleType:
    """The sounddevice module; MicrophoneAbsent when the PortAudio library is missing."""
    try:
        import sounddevice
    except OSError as exc:  # "PortAudio library not found"
        raise MicrophoneAbsent("default", f"PortAudio library not found: {exc}") from exc
    module: ModuleType = sounddevice
    return module


def device_arg(spec: str) -> int | str | None:
    """sounddevice's device argument for a spec: None for default, an index, or a name part."""
    if spec in ("", "default"):
        return None
    return int(spec) if spec.isdigit() else spec


class MicrophoneSource:
    """Mono float32 sound from a PortAudio input device."""

    def __init__(
        self,
        spec: str = "default",
        *,
        rate: int = 16000,
        clock: Callable[[], float] = time.monotonic,
        backend: Any = None,
    ) -> None:
        self.spec = spec or "default"
        self.rate = rate
        self._clock = clock
        self._backend = backend
        self._queue: queue.Queue[tuple[np.ndarray, float]] = queue.Queue()
        self._stream: Any = None
        self._t0 = 0.0
        self._count = 0
        self.overflows = 0

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        # Runs on PortAudio's thread: copy, note when it came, queue; nothing else. The arrival
        # time tells lost samples from a reader that was merely slow to take the block.
        self._queue.put_nowait((indata[:, 0].copy(), self._clock()))
        if status:
            self.overflows += 1

    def start(self) -> None:
        """Open and start the input stream; MicrophoneAbsent when it cannot be."""
        sd = self._backend or load_sounddevice()
        errors: tuple[type[BaseException], ...] = (getattr(sd, "PortAudioError", OSError), ValueError)
        try:
            self._stream = sd.InputStream(
                device=device_arg(self.spec),
                channels=1,
                samplerate=self.rate,
                dtype="float32",
                blocksize=round(BLOCK_S * self.rate),
                callback=self._callback,
            )
            self._stream.start()
        except errors as exc:
            self._close()
            raise MicrophoneAbsent(self.spec, str(exc)) from exc
        self._t0 = self._clock()
        self._count = 0

    def read(self, timeout: float = 2.0) -> AudioBlock | None:
        """The next block; MicrophoneLost when none came within ``timeout``."""
        try:
            samples, arrived = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise MicrophoneLost(self.spec, timeout) from None
        n = len(samples)
        ts = self._t0 + self._count / self.rate
        behind = arrived - (ts + n / self.rate)
        if behind > DRIFT_S:
            log.warning("microphone %s: %.0f ms of sound lost, re-anchoring", self.spec, behind * 1e3)
            self._t0 += behind
            ts += behind
        self._count += n
        return AudioBlock(samples.astype(np.float32, copy=False), ts, self.rate)

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):  # a stream that failed to start may refuse stop()
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()

    def stop(self) -> None:
        """Stop and close the stream."""
        self._close()


__all__ = ["MicrophoneSource", "device_arg", "load_sounddevice"]
