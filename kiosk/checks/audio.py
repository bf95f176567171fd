"""Measurements on audio samples: level, BS.1770 loudness, speech activity, noise floor, SNR.

Levels are dBFS with full scale = 1.0 (sox's convention); loudness is LUFS (ITU-R BS.1770-4 with
its gating, measured by FFmpeg's ``ebur128`` filter through PyAV); speech activity is WebRTC's VAD
on 30 ms frames at 16 kHz. All functions take float samples in [-1, 1] or int16, mono or
(frames, channels).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import av
import numpy as np
import webrtcvad

from kiosk.checks import thresholds as lim

VAD_RATE = 16000
FRAME_MS = 30
LOUDNESS_CHUNK = 4096  # samples per frame handed to the loudness filter
_FLOOR_POWER = 10 ** (lim.VOICE_FLOOR_DBFS / 10)


def to_mono(samples: np.ndarray) -> np.ndarray:
    """Float64 mono samples in [-1, 1] from int16/float, mono or (frames, channels)."""
    a = np.asarray(samples)
    if a.dtype == np.int16:
        a = a.astype(np.float64) / 32768.0
    elif a.dtype.kind in "iu":
        a = a.astype(np.float64) / float(np.iinfo(a.dtype).max + 1)
    else:
        a = a.astype(np.float64, copy=False)
    if a.ndim == 2:
        a = a.mean(axis=1)
    return a.reshape(-1)


def power_to_dbfs(power: float) -> float:
    """Mean-square power to dBFS, floored at VOICE_FLOOR_DBFS for silence."""
    return 10 * math.log10(max(power, _FLOOR_POWER))


def voice_level_dbfs(samples: np.ndarray) -> float:
    """RMS level of one audio block in dBFS: the GUI's voice meter, cheap for every block."""
    mono = to_mono(samples)
    if mono.size == 0:
        return lim.VOICE_FLOOR_DBFS
    return power_to_dbfs(float(np.dot(mono, mono) / mono.size))


def peak_dbfs(samples: np.ndarray) -> float:
    """The largest absolute sample in dBFS."""
    mono = to_mono(samples)
    peak = float(np.max(np.abs(mono))) if mono.size else 0.0
    return power_to_dbfs(peak * peak)


def frame_powers(samples: np.ndarray, rate: int, frame_ms: int = FRAME_MS) -> np.ndarray:
    """Mean-square power of each whole ``frame_ms`` frame."""
    mono = to_mono(samples)
    n = rate * frame_ms // 1000
    count = mono.size // n
    if count == 0:
        return np.zeros(0)
    frames = mono[: count * n].reshape(count, n)
    return np.asarray(np.einsum("ij,ij->i", frames, frames) / n, dtype=np.float64)


def speech_mask(samples16k: np.ndarray, mode: int = lim.VAD_MODE) -> np.ndarray:
    """Per 30 ms frame of 16 kHz audio, whether WebRTC's VAD hears speech."""
    mono = to_mono(samples16k)
    pcm = (np.clip(mono, -1.0, 1.0) * 32767.0).astype("<i2")
    n = VAD_RATE * FRAME_MS // 1000
    vad = webrtcvad.Vad(mode)
    count = pcm.size // n
    return np.array(
        [vad.is_speech(pcm[i * n : (i + 1) * n].tobytes(), VAD_RATE) for i in range(count)],
        dtype=bool,
    )


def loudness_lufs(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (BS.1770 gated) in LUFS; VOICE_FLOOR_DBFS when too short or silent.

    FFmpeg's ``ebur128`` filter (libavfilter, through PyAV, which the clip decoding needs
    anyway): the same gated measure as pyloudnorm within 0.12 LU on speech, noise and tones,
    without SciPy, whose import cost every process using the checks ~80 MB and ~1 s.
    """
    mono = to_mono(samples)
    if mono.size < int(0.4 * rate) + 1:  # one 400 ms gating block at least
        return lim.VOICE_FLOOR_DBFS
    graph = av.filter.Graph()
    source = graph.add_abuffer(format="flt", sample_rate=rate, layout="mono",
                               time_base=Fraction(1, rate))
    meter = graph.add("ebur128", "metadata=1")
    sink = graph.add("abuffersink")
    source.link_to(meter)
    meter.link_to(sink)
    graph.configure()
    value = -math.inf

    def drain() -> None:
        nonlocal value
        while True:
            try:
                frame = graph.pull()
            except (av.BlockingIOError, av.EOFError):
                return
            reading = frame.metadata.get("lavfi.r128.I")  # updated every 100 ms block
            if reading is not None:
                value = float(reading)

    data = np.ascontiguousarray(mono, dtype=np.float32)
    for start in range(0, data.size, LOUDNESS_CHUNK):
        frame = av.AudioFrame.from_ndarray(data[None, start:start + LOUDNESS_CHUNK],
                                           format="flt", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
        graph.push(frame)
        drain()
    graph.push(None)
    drain()
    # -70 LUFS is BS.1770's absolute gate: no block passed it, which is silence for this check.
    return value if math.isfinite(value) and value > lim.LOUDNESS_GATE_LUFS else lim.VOICE_FLOOR_DBFS


def noise_floor_dbfs(samples: np.ndarray, rate: int) -> float:
    """The room's level between words: RMS of the quietest NOISE_PERCENTILE % of 30 ms frames."""
    powers = frame_powers(samples, rate)
    if powers.size == 0:
        return lim.VOICE_FLOOR_DBFS
    return power_to_dbfs(float(np.percentile(powers, lim.NOISE_PERCENTILE)))


@dataclass(frozen=True)
class AudioStats:
    """What the clip check needs to know about a sound track."""

    seconds: float
    peak_dbfs: float
    rms_dbfs: float
    loudness_lufs: float
    speech_seconds: float
    active_dbfs: float | None  # level of the speech frames; None when no speech was heard
    noise_dbfs: float
    snr_db: float | None  # speech over noise floor; None when no speech was heard


def analyse_speech(samples16k: np.ndarray) -> AudioStats:
    """Level, loudness, speech time, noise floor and SNR of a 16 kHz mono track."""
    mono = to_mono(samples16k)
    powers = frame_powers(mono, VAD_RATE)
    mask = speech_mask(mono)[: powers.size]
    noise_power = float(np.percentile(powers, lim.NOISE_PERCENTILE)) if powers.size else 0.0
    active_db = snr = None
    if mask.any():
        active_power = float(powers[mask].mean())
        active_db = power_to_dbfs(active_power)
        # The speech frames carry the noise too: subtract it before comparing.
        speech_power = max(active_power - noise_power, _FLOOR_POWER)
        snr = 10 * math.log10(speech_power / max(noise_power, _FLOOR_POWER))
    return AudioStats(
        seconds=mono.size / VAD_RATE,
        peak_dbfs=peak_dbfs(mono),
        rms_dbfs=voice_level_dbfs(mono),
        loudness_lufs=loudness_lufs(mono, VAD_RATE),
        speech_seconds=float(mask.sum()) * FRAME_MS / 1000,
        active_dbfs=active_db,
        noise_dbfs=power_to_dbfs(noise_power),
        snr_db=snr,
    )
