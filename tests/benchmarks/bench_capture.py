"""Capture benchmark: the kiosk's live recorder against the naive approach, side by side.

    .venv/bin/python tests/benchmarks/bench_capture.py [--runs 3] [--seconds 5] [--json]

Each run records ``--seconds`` of the synthetic source at 640x480, 30 fps, in a fresh process (so
peak memory is that run's alone), and reports:

- stop -> ready: from the end of the recorded content to the finished file in place;
- the file's size;
- the A/V offset measured in the output from the synthetic flash and beep (max |beep - flash|);
- CPU seconds used while recording and finishing (this process and its ffmpeg children), and the
  same as a share of one core over that time;
- peak memory (resident set) of the process and of its largest child.

The naive approach is what a first attempt looks like: OpenCV's VideoWriter writes frames by
count as they come, the sound is collected and written to a WAV at the end, then ffmpeg encodes
H.264 + AAC with fast start (the same settings the kiosk uses) from the two files.
Goals (issue 6): ready <= 0.3 s, file <= 1.0 MB, |offset| <= 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

GOALS = {"ready_s": 0.3, "bytes": 1_000_000, "offset_ms": 20.0}


def cpu_seconds() -> float:
    """CPU used so far by this process and its reaped children (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peaks_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB (Linux: KiB units)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_maxrss / 1024, kids.ru_maxrss / 1024


def run_kiosk(out: Path, seconds: float) -> dict[str, float]:
    """The kiosk's recorder: frames and sound encoded live by one ffmpeg, aligned by capture time."""
    from kiosk.media import Capture, open_audio, open_video

    with Capture(open_video("synthetic"), open_audio("synthetic")) as cap:
        cpu0, t0 = cpu_seconds(), time.monotonic()
        rec = cap.record(out, seconds=seconds)
        rec.wait(60)
        t1 = time.monotonic()
        cpu1 = cpu_seconds()
    assert rec.stopped_at is not None and rec.ready_at is not None
    return {"ready_s": rec.ready_at - rec.stopped_at, "cpu_s": cpu1 - cpu0, "wall_s": t1 - t0}


def run_naive(out: Path, seconds: float) -> dict[str, float]:
    """OpenCV VideoWriter by frame count, sound to a WAV, then one ffmpeg encode + mux at stop."""
    import cv2
    import numpy as np
    import soundfile

    from kiosk.media import find_ffmpeg
    from kiosk.media.synthetic import SyntheticAudio, SyntheticVideo

    ffmpeg = find_ffmpeg()
    work = Path(tempfile.mkdtemp(dir=out.parent))
    video, audio = SyntheticVideo(), SyntheticAudio()
    blocks: list[Any] = []
    done = threading.Event()

    def read_audio() -> None:
        audio.start()
        while not done.is_set():
            block = audio.read()
            if block is not None:
                blocks.append(block.samples)

    cpu0, t0 = cpu_seconds(), time.monotonic()
    writer = cv2.VideoWriter(str(work / "video.mp4"), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (640, 480))
    reader = threading.Thread(target=read_audio)
    reader.start()
    video.start()
    for _ in range(round(seconds * 30)):
        frame = video.read()
        assert frame is not None
        writer.write(frame.image)
    stopped = time.monotonic()
    done.set()
    reader.join()
    writer.release()
    soundfile.write(str(work / "audio.wav"), np.concatenate(blocks), audio.rate, subtype="PCM_16")
    subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", str(work / "video.mp4"),
                    "-i", str(work / "audio.wav"), "-c:v", "libx264", "-preset", "veryfast",
                    "-pix_fmt", "yuv420p", "-crf", "23", "-maxrate", "1200k", "-bufsize", "1200k",
                    "-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", "-shortest", str(out)],
                   check=True)
    ready = time.monotonic()
    cpu1 = cpu_seconds()
    for p in work.iterdir():
        p.unlink()
    work.rmdir()
    return {"ready_s": ready - stopped, "cpu_s": cpu1 - cpu0, "wall_s": ready - t0}


def one(approach: str, seconds: float) -> dict[str, float]:
    """One run in this process; the figures as a dict."""
    from kiosk.media.probe import av_offsets

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "clip.mp4"
        figures = (run_kiosk if approach == "kiosk" else run_naive)(out, seconds)
        offsets = av_offsets(out)
        figures["bytes"] = out.stat().st_size
        figures["offset_ms"] = max((abs(o) for o in offsets), default=float("nan")) * 1000
        figures["pairs"] = len(offsets)
    figures["cpu_share"] = figures["cpu_s"] / figures["wall_s"]
    figures["rss_mb"], figures["child_rss_mb"] = peaks_mb()
    return figures


def measure(approach: str, seconds: float, runs: int) -> list[dict[str, float]]:
    """``runs`` runs of one approach, each in a fresh process."""
    out = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, __file__, "--one", approach, "--seconds", str(seconds)],
                             capture_output=True, text=True, check=True)
        out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


ROWS = (  # label, key, number format, unit, goal key
    ("stop -> file ready", "ready_s", "{:.3f}", "s", "ready_s"),
    ("file size", "bytes", "{:,.0f}", "B", "bytes"),
    ("A/V offset, max |beep - flash|", "offset_ms", "{:.1f}", "ms", "offset_ms"),
    ("flash/beep pairs measured", "pairs", "{:.0f}", "", None),
    ("CPU while recording + finishing", "cpu_s", "{:.2f}", "s", None),
    ("CPU share of one core", "cpu_share", "{:.0%}", "", None),
    ("peak memory, process", "rss_mb", "{:.0f}", "MB", None),
    ("peak memory, largest child", "child_rss_mb", "{:.0f}", "MB", None),
)


def table(results: dict[str, list[dict[str, float]]], seconds: float) -> str:
    """Medians side by side (min-max in brackets), with the goal where there is one."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"{seconds:g} s at 640x480 from the synthetic source; median of "
             f"{len(results['kiosk'])} runs each [min-max]; "
             f"{os.cpu_count()} cores, load average {load}", "",
             f"{'':33}{'kiosk (live ffmpeg)':>30}{'naive (VideoWriter + mux)':>30}{'goal':>16}"]
    for label, key, num, unit, goal in ROWS:
        cells = []
        for approach in ("kiosk", "naive"):
            vals = [r[key] for r in results[approach]]
            cell = f"{num.format(statistics.median(vals))} {unit}".rstrip()
            if len(vals) > 1:
                cell += f" [{num.format(min(vals))}-{num.format(max(vals))}]"
            cells.append(cell)
        goal_text = "" if goal is None else f"<= {num.format(GOALS[goal])} {unit}"
        lines.append(f"{label:33}{cells[0]:>30}{cells[1]:>30}{goal_text:>16}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", action="store_true", help="raw figures as JSON")
    parser.add_argument("--one", choices=("kiosk", "naive"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seconds)))
        return 0
    results = {a: measure(a, args.seconds, args.runs) for a in ("kiosk", "naive")}
    print(json.dumps(results, indent=1) if args.json else table(results, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
