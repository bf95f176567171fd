"""Clip size against sharpness: the recorder's encoder settings on a noisy camera, side by side.

    .venv/bin/python tests/benchmarks/bench_clip.py [--runs 3] [--variants kiosk,baseline] [--compare]

The source (issue 20): the sample clip's 5 s of 640x480 face frames with camera-like noise added
(Gaussian sigma 4 on every BGR value, seed 20), stored losslessly with the clip's speech and fed in
real time as a ``file:`` camera and microphone. Each variant records 5 s of it through the kiosk's
``Capture``, in a fresh process, and reports:

- the file's size and its SSIM (Y) against the noise-free frames (ffmpeg's ``ssim`` filter);
- stop -> file ready, and the encoder's CPU (its ffmpeg's user + system time over the 5 s);
- the local checks' verdict (blocking codes, or "pass").

``--compare`` adds the issue's two reference points: OpenCV's VideoWriter (mp4v), and x264
medium CRF 23 encoded from a lossless recording after stop. Variants run interleaved, so each
figure and its baseline come from the same minutes of the machine's load.
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
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.noisy_camera import SIGMA, noisy_sample, ssim_y  # noqa: E402

GOALS = {"bytes": 300_000, "ssim": 0.965, "ready_s": 0.15, "encoder_share": 0.40}

# The recorder before issue 20: x264 veryfast, zerolatency, CRF 23, a key frame every 2 s, AAC 48k.
BASE: dict[str, Any] = {"preset": "veryfast", "crf": 23, "audio_kbit": 48, "gop_s": 2.0,
                        "tune": "zerolatency", "x264_params": "", "denoise": ""}
DN = {"denoise": "hqdn3d=0:0:4:4"}  # temporal only
LA = {"tune": "", "x264_params": "rc-lookahead=10"}  # look-ahead, B-frames, mb-tree
# name -> EncodeSettings keyword arguments (None: the recorder's current defaults); each one
# changes the baseline in the way its name says, so each step's effect is measured on its own.
VARIANTS: dict[str, dict[str, Any] | None] = {
    "baseline": BASE,
    "kiosk": None,
    "fast": {**BASE, "preset": "fast"},
    "medium": {**BASE, "preset": "medium"},
    "dn": {**BASE, **DN},
    "dn-medium": {**BASE, **DN, "preset": "medium"},
    "dn-medium-aq3": {**BASE, **DN, "preset": "medium", "x264_params": "aq-mode=3"},
    "la": {**BASE, **LA},
    "dn-la": {**BASE, **DN, **LA},
    "dn-la-faster": {**BASE, **DN, **LA, "preset": "faster"},
    "dn-la-medium": {**BASE, **DN, **LA, "preset": "medium"},
    "dn-la-crf25": {**BASE, **DN, **LA, "crf": 25},
    "dn-la-gop10": {**BASE, **DN, **LA, "gop_s": 10.0},
    "dn-la-gop10-fps15": {**BASE, **DN, **LA, "gop_s": 10.0, "fps": 15.0},
    "dn-la-gop10-a24": {**BASE, **DN, **LA, "gop_s": 10.0, "audio_kbit": 24},
    "dn-la-gop10-a16": {**BASE, **DN, **LA, "gop_s": 10.0, "audio_kbit": 16},
}


def cpu_children() -> float:
    """CPU seconds of this process's reaped children (the recorder's ffmpeg)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def verdict(clip: Path) -> str:
    """The local checks' blocking codes, or 'pass'."""
    from kiosk.checks.clip import check_clip

    codes = sorted({f.code for f in check_clip(clip) if f.severity == "block"})
    return "pass" if not codes else ",".join(str(c) for c in codes)


def record(name: str, source: Path, out: Path) -> dict[str, Any]:
    """5 s of ``source`` through the kiosk's Capture with the variant's settings."""
    from kiosk.media import Capture, open_audio, open_video
    from kiosk.media.encoder import EncodeSettings

    kw = dict(VARIANTS[name] or {})
    fps = kw.pop("fps", 30.0)
    settings = None if VARIANTS[name] is None else EncodeSettings(**kw)
    spec = f"file:{source}"
    with Capture(open_video(spec), open_audio(spec), settings=settings, fps=fps) as cap:
        time.sleep(0.3)  # the file's first frames decoded, as on the preview before recording
        cpu0 = cpu_children()
        rec = cap.record(out, seconds=5.0)
        rec.wait(60)
        cpu = cpu_children() - cpu0
    assert rec.stopped_at is not None and rec.ready_at is not None
    return {"ready_s": rec.ready_at - rec.stopped_at, "encoder_cpu_s": cpu, "encoder_share": cpu / 5.0}


def record_reference(kind: str, source: Path, out: Path) -> dict[str, Any]:
    """The issue's reference points: OpenCV mp4v, or x264 medium after stop from lossless frames."""
    import av
    import cv2

    frames = [f.to_ndarray(format="bgr24") for f in av.open(str(source)).decode(video=0)]
    work = out.parent / f"ref-{kind}.avi"
    cpu0 = cpu_children()
    t0 = time.process_time()
    if kind == "opencv":
        writer = cv2.VideoWriter(str(out.with_suffix(".v.mp4")), cv2.VideoWriter_fourcc(*"mp4v"), 30.0,
                                 (640, 480))
        for f in frames:
            writer.write(f)
        writer.release()
        stopped = time.monotonic()
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(out.with_suffix(".v.mp4")),
                        "-i", str(source), "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac",
                        "-b:a", "48k", "-ar", "16000", "-ac", "1", str(out)], check=True)
    else:
        stopped = time.monotonic()
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
                        "-c:v", "libx264", "-preset", "medium", "-crf", "23", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-b:a", "48k", "-ar", "16000", "-ac", "1", "-movflags", "+faststart",
                        str(out)], check=True)
    ready = time.monotonic()
    cpu = cpu_children() - cpu0 + time.process_time() - t0
    work.unlink(missing_ok=True)
    return {"ready_s": ready - stopped, "encoder_cpu_s": cpu, "encoder_share": cpu / 5.0}


def one(name: str, folder: Path) -> dict[str, Any]:
    """One run of one variant in this process."""
    source, ref = noisy_sample(folder)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        out = Path(tmp) / "clip.mp4"
        fig = (record_reference(name, source, out) if name in ("opencv", "medium-after-stop")
               else record(name, source, out))
        fig["bytes"] = out.stat().st_size
        fig["ssim"], fig["frames"] = ssim_y(out, ref)
        fig["verdict"] = verdict(out)
    return fig


ROWS = (  # label, key, format, unit
    ("file size", "bytes", "{:,.0f}", "B"),
    ("SSIM (Y) vs noise-free", "ssim", "{:.4f}", ""),
    ("frames compared", "frames", "{:.0f}", ""),
    ("stop -> file ready", "ready_s", "{:.3f}", "s"),
    ("encoder CPU, share of 1 core", "encoder_share", "{:.0%}", ""),
)


def table(results: dict[str, list[dict[str, Any]]], load: list[float]) -> str:
    """Medians (min-max) per variant, one row per variant."""
    lines = [f"5 s of the sample clip + noise sigma {SIGMA:g} as file: camera; median of "
             f"{max(len(r) for r in results.values())} runs [min-max]; {os.cpu_count()} cores, load "
             f"before/after {load[0]:.2f}/{os.getloadavg()[0]:.2f}",
             "goals: <= {:,} B, SSIM >= {}, ready <= {} s, encoder <= {:.0%} of one core".format(
                 GOALS["bytes"], GOALS["ssim"], GOALS["ready_s"], GOALS["encoder_share"]), ""]
    head = f"{'variant':18}" + "".join(f"{label:>34}" for label, *_ in ROWS) + f"{'checks':>10}"
    lines.append(head)
    for name, runs in results.items():
        cells = []
        for _, key, num, unit in ROWS:
            vals = [r[key] for r in runs]
            cell = f"{num.format(statistics.median(vals))} {unit}".rstrip()
            if len(vals) > 1:
                cell += f" [{num.format(min(vals))}-{num.format(max(vals))}]"
            cells.append(f"{cell:>34}")
        verdicts = ",".join(sorted({r["verdict"] for r in runs}))
        lines.append(f"{name:18}" + "".join(cells) + f"{verdicts:>10}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default="baseline,kiosk")
    parser.add_argument("--compare", action="store_true", help="add OpenCV mp4v and x264 medium after stop")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, Path(args.folder))))
        return 0
    names = [n for n in args.variants.split(",") if n]
    for n in names:
        if n not in VARIANTS:
            parser.error(f"unknown variant {n!r}; one of {', '.join(VARIANTS)}")
    if args.compare:
        names += ["opencv", "medium-after-stop"]
    load = list(os.getloadavg())
    results: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory(prefix="bench-clip-") as folder:
        noisy_sample(Path(folder))
        for _ in range(args.runs):
            for n in names:
                res = subprocess.run([sys.executable, __file__, "--one", n, "--folder", folder],
                                     capture_output=True, text=True, cwd=ROOT)
                if res.returncode != 0:
                    print(res.stderr[-2000:], file=sys.stderr)
                    return 1
                results[n].append(json.loads(res.stdout.strip().splitlines()[-1]))
    print(json.dumps(results, indent=1) if args.json else table(results, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
