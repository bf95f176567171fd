"""Start-up loss and input latency of a microphone through a private PulseAudio server.

    .venv/bin/python tests/benchmarks/bench_pulse_mic.py [--runs 5]

Each run is a fresh ``kiosk record --camera synthetic --mic default`` process (the first stream
of a process starts slowest) while the server plays a tone with a beep on each whole second.
Prints the sound lost at the clip's start (the leading digital silence), the worst |A/V| offset
of the beeps against the flashes, and the input latency the microphone measured.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.media.probe import audio_track, av_offsets  # noqa: E402
from tests.support.pulse import PulseServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = PulseServer(Path(tmp)).start()
        losses, offsets, latencies = [], [], []
        try:
            for i in range(args.runs):
                out = Path(tmp) / f"b{i}.mp4"
                done = subprocess.run(
                    [sys.executable, "-m", "kiosk", "record", "--out", str(out), "--seconds", "3",
                     "--camera", "synthetic", "--mic", "default"], cwd=REPO, text=True,
                    capture_output=True, env={**server.child_env(), "PYTHONPATH": str(REPO)})
                if done.returncode != 0:
                    sys.exit(done.stderr)
                samples, rate, _ = audio_track(out)
                loud = np.flatnonzero(samples != 0.0)
                losses.append((loud[0] / rate if len(loud) else 3.0) * 1e3)
                offsets.append(max(abs(o) for o in av_offsets(out)) * 1e3)
            server.use()
            from kiosk.media.microphone import sample_level

            for _ in range(args.runs):
                latencies.append(sample_level("default", 0.5)[1] * 1e3)
        finally:
            server.stop()
    for label, values, unit in (("start-up loss", losses, "ms"),
                                ("A/V offset, max |beep - flash|", offsets, "ms"),
                                ("measured input latency", latencies, "ms")):
        print(f"{label:<34} {statistics.median(values):7.1f} {unit} "
              f"[{min(values):.1f}-{max(values):.1f}] over {len(values)} runs")


if __name__ == "__main__":
    main()
