"""A microphone read with sounddevice: the callback only queues; blocks are stamped by when their
sound was heard, from PortAudio's ADC time where it is sane, and checked for faults.

A block's time is ``arrival - latency``: ``latency`` is what PortAudio reports for that block
(``currentTime - inputBufferAdcTime``, the device's real input latency, which a sound server such
as PulseAudio adds to) when it is sane and settled (within 3 ms of the block before), else the block's own length (ADC time is 0 or wrong on
several host APIs: then the block's last sample is taken as heard when it arrives). Samples are counted from the first block's time, so the timeline is smooth;
when the count falls behind the heard time (lost samples) it is re-anchored.

A stream that just started may deliver nothing for a second or more (PulseAudio's first stream in
a process does): ``ready`` is set once blocks have come steadily for ``WARM_S``, and a recording
starts only then (``Capture.record`` waits), so no sound is lost at a clip's start.

Faults end reading with an error naming the microphone: no block within the read timeout
(``MicrophoneLost``), digital silence for over ``SILENT_S`` once sound came, and, on a PulseAudio
or PipeWire server, the stream being removed, moved to another source, or its server going away
(``MicrophoneFault``, see kiosk.media.pulse).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from kiosk.media.errors import MicrophoneAbsent, MicrophoneFault, MicrophoneLost
from kiosk.media.types import AudioBlock

log = logging.getLogger("kiosk.media.microphone")

BLOCK_S = 0.02
DRIFT_S = 0.15  # more behind the heard time than this means samples were lost: re-anchor
SLEW_S = 0.004  # a smaller, lasting difference (the two clocks drift apart) is corrected quietly
WARM_S = 0.2  # blocks coming steadily for this long: the stream is warm, a clip may start
WARM_MAX_S = 1.0  # ... and its reported latency steady, unless it never steadies within this
STEADY_BLOCKS, STEADY_S = 10, 0.003  # the last reports agree this closely: the latency is steady
# PulseAudio's first stream in a process: the first block comes 1.1-1.4 s after the start, then
# the reports stay a steady 60-110 ms too high for ~1.2 s before they fall to the real value
# (measured through a private server). After such a late first block, wait this long before ready.
LATE_FIRST_S = 0.8
LATE_WARM_S = 1.6
# A stream's first second may report latencies far above the real one (PulseAudio reports up to
# 0.5 s while the sound is on time): beyond the stream's nominal latency plus this, not believed.
LATENCY_MARGIN_S = 0.1
SILENT_S = 0.5  # digital silence (exact zeros) for longer than this is a fault
MAX_LATENCY_S = 2.0  # a reported input latency outside 0..this is not believed
PULSE_PREFIX = "pulse:"
_env_lock = threading.Lock()  # PULSE_SOURCE is read by libpulse when the stream opens


def load_sounddevice() -> ModuleType:
    """The sounddevice module; MicrophoneAbsent when the PortAudio library is missing."""
    try:
        import sounddevice
    except OSError as exc:  # "PortAudio library not found"
        raise MicrophoneAbsent("default", f"PortAudio library not found: {exc}") from exc
    module: ModuleType = sounddevice
    return module


def device_arg(spec: str) -> int | str | None:
    """sounddevice's device argument for a spec: None for default, an index, or a name part.

    ``pulse:SOURCE`` is ALSA's ``pulse`` device with the server's source SOURCE.
    """
    if spec in ("", "default"):
        return None
    if spec.startswith(PULSE_PREFIX):
        return "pulse"
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
        watch: bool = True,
    ) -> None:
        self.spec = spec or "default"
        self.rate = rate
        self._clock = clock
        self._backend = backend
        self._watch_wanted = watch
        # None in the queue wakes a reader to see a fault the sound server reported.
        self._queue: queue.Queue[tuple[np.ndarray, float, float] | None] = queue.Queue()
        self._stream: Any = None
        self._watch: Any = None
        self._fault: MicrophoneFault | None = None
        self._t0: float | None = None
        self._count = 0
        self._slew = 0.0
        self._first_arrival: float | None = None
        self._silent = 0
        self._latencies: deque[float] = deque(maxlen=50)
        self._recent: deque[float] = deque(maxlen=STEADY_BLOCKS)
        self._anchors: deque[float] = deque(maxlen=STEADY_BLOCKS)  # heard - counted, lately
        self._nominal = 2 * BLOCK_S
        self._last_report = -1.0  # the previous block's reported latency (-1: none)
        self._started_at = 0.0  # when the stream was started (this clock)
        self.ready = threading.Event()
        self.overflows = 0

    @property
    def latency(self) -> float:
        """The input latency compensated: the median of what the device reported lately (s);
        without reports, one block's length."""
        if not self._latencies:
            return BLOCK_S
        return statistics.median(self._latencies)

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        # Runs on PortAudio's thread: copy, note when it came and the latency reported, queue.
        arrived = self._clock()
        latency = -1.0
        with contextlib.suppress(Exception):  # a host API that gives no time info
            adc, now = float(time_info.inputBufferAdcTime), float(time_info.currentTime)
            if adc > 0.0 and 0.0 <= now - adc <= MAX_LATENCY_S:
                latency = now - adc
        self._queue.put_nowait((indata[:, 0].copy(), arrived, latency))
        if status:
            self.overflows += 1

    def start(self) -> None:
        """Open and start the input stream; MicrophoneAbsent when it cannot be."""
        sd = self._backend or load_sounddevice()
        errors: tuple[type[BaseException], ...] = (getattr(sd, "PortAudioError", OSError), ValueError)
        before = self._streams_before()
        try:
            with _env_lock:
                saved = os.environ.get("PULSE_SOURCE")
                if self.spec.startswith(PULSE_PREFIX):
                    os.environ["PULSE_SOURCE"] = self.spec[len(PULSE_PREFIX):]
                try:
                    self._stream = sd.InputStream(
                        device=device_arg(self.spec),
                        channels=1,
                        samplerate=self.rate,
                        dtype="float32",
                        blocksize=round(BLOCK_S * self.rate),
                        callback=self._callback,
                    )
                finally:
                    if self.spec.startswith(PULSE_PREFIX):
                        _restore_env("PULSE_SOURCE", saved)
            self._started_at = self._clock()
            self._stream.start()
        except errors as exc:
            self._close()
            raise MicrophoneAbsent(self.spec, str(exc)) from exc
        with contextlib.suppress(Exception):  # PortAudio's own estimate of the input latency
            self._nominal = max(float(self._stream.latency), BLOCK_S)
        self._t0, self._count, self._first_arrival, self._silent = None, 0, None, 0
        self._last_report = -1.0
        self._latencies.clear()
        self._recent.clear()
        self._anchors.clear()
        self._fault = None
        self.ready.clear()
        self._attach_watch(before)

    def _streams_before(self) -> dict[int, int] | None:
        if not self._watch_wanted or self._backend is not None:
            return None  # a fake PortAudio: no sound server behind it
        from kiosk.media import pulse

        return pulse.own_streams() if pulse.pactl_json("info") is not None else None

    def _attach_watch(self, before: dict[int, int] | None) -> None:
        if before is None:
            return
        from kiosk.media.pulse import StreamWatch

        self._watch = StreamWatch.attach(before, self._on_fault)

    def _on_fault(self, what: str, device: str) -> None:
        self._fault = MicrophoneFault(self.spec, what, device)
        self._queue.put_nowait(None)  # a stream whose server died may never call back again

    @property
    def device(self) -> str:
        """The device being read, as a person would know it (the server's source description)."""
        watch = self._watch
        return str(watch.source_label) if watch is not None else self.spec

    def read(self, timeout: float = 2.0) -> AudioBlock | None:
        """The next block; MicrophoneLost when none came within ``timeout``, MicrophoneFault
        when the stream failed (see the module's docstring)."""
        if self._fault is not None:
            raise self._fault
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            if self._fault is not None:
                raise self._fault from None
            raise MicrophoneLost(self.spec, timeout) from None
        if self._fault is not None or item is None:
            raise self._fault or MicrophoneLost(self.spec, timeout)
        samples, arrived, latency = item
        n = len(samples)
        # Believed only when sane and settled: a new stream's reports fall block by block from
        # ~0.5 s to the real value (PulseAudio through ALSA), and the last of that fall would
        # pass the margin yet be 100 ms too high, putting the sound early.
        settled = self._last_report >= 0.0 and abs(latency - self._last_report) <= STEADY_S
        self._last_report = latency
        believed = settled and 0.0 <= latency <= self._nominal + LATENCY_MARGIN_S
        if believed:
            self._latencies.append(latency)
            self._recent.append(latency)
        elif self._latencies:
            latency = self.latency  # a report not believed: the latency measured so far
        else:
            latency = n / self.rate  # none yet: the block's last sample was heard on arrival
        # Sample k cannot have been heard before the stream started plus k samples' time. A new
        # stream may report a steady latency far above the real one (120 ms for a real 20 ms,
        # through PulseAudio): this bound keeps such reports from putting the sound early.
        heard = max(arrived - latency, self._started_at + self._count / self.rate)
        if self._t0 is None:
            self._t0, self._first_arrival = heard, arrived
        self._anchors.append(heard - self._count / self.rate)
        if not self.ready.is_set() and self._warm(arrived):
            # From now on the stamps are trusted: anchored on the last blocks, not on one.
            self._t0 = statistics.median(self._anchors)
            self._slew = 0.0
            self.ready.set()
        ts = self._t0 + self._count / self.rate
        behind = heard - ts
        if abs(behind) > DRIFT_S:
            if self.ready.is_set():
                log.warning("microphone %s: %.0f ms of sound lost, re-anchoring", self.spec,
                            behind * 1e3)
            self._t0 += behind
            ts += behind
            self._slew = 0.0
        else:
            self._slew += (behind - self._slew) * 0.05  # averages the callbacks' jitter out
            if abs(self._slew) > SLEW_S:
                self._t0 += self._slew
                self._slew = 0.0
        self._count += n
        self._check_silence(samples)
        return AudioBlock(samples.astype(np.float32, copy=False), ts, self.rate)

    def _warm(self, arrived: float) -> bool:
        assert self._first_arrival is not None
        flowing = min(arrived - self._first_arrival, self._count / self.rate)
        if flowing < WARM_S:
            return False
        if self._first_arrival - self._started_at > LATE_FIRST_S and flowing < LATE_WARM_S:
            return False
        steady = not self._latencies or (
            len(self._recent) == STEADY_BLOCKS and max(self._recent) - min(self._recent) <= STEADY_S)
        return steady or flowing >= WARM_MAX_S

    def _check_silence(self, samples: np.ndarray) -> None:
        if np.any(samples):
            self._silent = 0
            return
        self._silent += len(samples)
        if self._silent > SILENT_S * self.rate:
            self._fault = MicrophoneFault(self.spec, "silent", self.device,
                                          seconds=self._silent / self.rate)
            raise self._fault

    def _close(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):  # a stream that failed to start may refuse stop()
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()

    def stop(self) -> None:
        """Stop and close the stream."""
        self._close()


def sample_level(spec: str, seconds: float = 1.0, *, warmup: float = 4.0,
                 backend: Any = None) -> tuple[float, float, str]:
    """Record ``seconds`` from a warm stream: its RMS level (dBFS), input latency (s) and the
    device's name (``kiosk doctor``). Raises MicrophoneAbsent / MicrophoneLost / MicrophoneFault."""
    mic = MicrophoneSource(spec, backend=backend)
    mic.start()
    try:
        deadline = time.monotonic() + warmup
        while not mic.ready.is_set():
            mic.read(timeout=2.0)
            if time.monotonic() > deadline:
                raise MicrophoneLost(spec, warmup)
        parts: list[np.ndarray] = []
        while sum(len(p) for p in parts) < seconds * mic.rate:
            block = mic.read(timeout=2.0)
            if block is not None:
                parts.append(block.samples)
        samples = np.concatenate(parts)
        rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
        level = 20.0 * float(np.log10(rms)) if rms > 0 else -100.0
        return max(level, -100.0), mic.latency, mic.device
    finally:
        mic.stop()


def _restore_env(key: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


__all__ = ["MicrophoneSource", "device_arg", "load_sounddevice", "sample_level"]
