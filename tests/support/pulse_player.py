"""Plays into a test sound server's sinks, as a person and a room would: run as a child process.

``python -m tests.support.pulse_player SINK:RATE [SINK:RATE...]`` opens one output stream per sink
at the sink's rate (PortAudio's ``pulse`` device, PULSE_SINK chosen per stream) and plays, until stdin closes, a quiet 300 Hz tone
with a 1 kHz beep of 100 ms starting on each whole second of the monotonic clock (placed by the
DAC times PortAudio reports, so a beep is heard at a known instant, the synthetic camera's flash).
Commands on stdin, one a line: ``mute`` (digital silence), ``tone`` (back to the tone and beeps),
``wav PATH`` (a mono 16-bit WAV, looped, instead of the tone: speech). It prints ``ready`` once
every stream has called back.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import wave

import numpy as np
import sounddevice as sd

RATE = 48000  # of the sound a WAV is resampled to (its samples are looked up by time)
TONE_AMP, BEEP_AMP = 0.05, 0.6


class Program:
    """What every stream plays now; shared, switched by the commands."""

    def __init__(self) -> None:
        self.mode = "tone"
        self.wav = np.zeros(RATE, np.float32)

    def samples(self, t: np.ndarray) -> np.ndarray:
        if self.mode == "mute":
            return np.zeros(len(t), np.float32)
        if self.mode == "wav":
            idx = (np.round(t * RATE).astype(np.int64)) % len(self.wav)
            return self.wav[idx]
        out = TONE_AMP * np.sin(2 * np.pi * 300.0 * t)
        beep = (t % 1.0) < 0.1
        out[beep] += BEEP_AMP * np.sin(2 * np.pi * 1000.0 * t[beep])
        return out.astype(np.float32)


def main() -> None:
    program = Program()
    started: list[threading.Event] = []
    streams = []
    for arg in sys.argv[1:]:
        sink, rate = arg.split(":")[0], int(arg.split(":")[1])
        event = threading.Event()
        started.append(event)

        def callback(outdata: np.ndarray, frames: int, info: object, status: object,
                     event: threading.Event = event, rate: int = rate) -> None:
            now = time.monotonic()
            dac = float(info.outputBufferDacTime)  # type: ignore[attr-defined]
            cur = float(info.currentTime)  # type: ignore[attr-defined]
            at = now + (dac - cur if dac > 0 and 0 <= dac - cur < 2.0 else 0.0)
            t = at + np.arange(frames) / rate
            outdata[:, 0] = program.samples(t)
            event.set()

        os.environ["PULSE_SINK"] = sink
        stream = sd.OutputStream(device="pulse", channels=1, samplerate=rate, dtype="float32",
                                 blocksize=rate // 100, callback=callback)
        stream.start()
        streams.append(stream)
    for event in started:
        event.wait(10.0)
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split(maxsplit=1)
        if not words:
            continue
        if words[0] == "wav":
            with wave.open(words[1].strip()) as w:
                data = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32)
                data = data.reshape(-1, w.getnchannels())[:, 0] / 32768.0
                if w.getframerate() != RATE:  # nearest sample: good enough for speech
                    pos = np.arange(round(len(data) * RATE / w.getframerate())) * w.getframerate() / RATE
                    data = data[np.minimum(pos.astype(np.int64), len(data) - 1)]
            program.wav = data.astype(np.float32)
            program.mode = "wav"
        else:
            program.mode = words[0]
        print("ok", flush=True)
    for stream in streams:
        stream.stop()
        stream.close()


if __name__ == "__main__":
    main()
