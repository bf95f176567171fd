"""A field agent's link: the 5 s clip uploaded through a throttling proxy, time to verdict from stop.

    .venv/bin/python tests/benchmarks/bench_weak_link.py [--rate-kbit 256] [--latency-ms 300]
        [--loss 0.02] [--stall-s 30] [--runs 1]

One clip is recorded by the kiosk's recorder from the noisy sample camera (tests.support.
noisy_camera; as bench_clip.py), and one with the settings before issue 20 (the baseline). Each
goes to the in-process emulator through tests.support.throttle_proxy, as the flow sends it: the
local checks, then ``livedetectfour`` with the card photo. Printed per link and clip:

- time to verdict from stop: the recorder's stop -> file ready, the local checks, the upload and
  the answer (the code is fetched before recording, as the flow does);
- whether the progress bar kept moving: when it reached its end, the longest time it stood
  still before that, and how long it then stood full until the answer (a bar that fills at
  once and then waits did not show the upload);
- the outcome: the verdict, or the error and its words (a stall: "could not check").

The stall link stops carrying anything for ``--stall-s`` after 40 kB. The baseline is the clip
and the client as before issue 20: no stall limit (it waits a stall out), progress from the
bytes handed to the socket.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.api import Client  # noqa: E402
from kiosk.checks.clip import check_clip  # noqa: E402
from kiosk.emulator import start_in_process  # noqa: E402
from kiosk.emulator.guard import Limits  # noqa: E402
from kiosk.errors import KioskError  # noqa: E402
from kiosk.media import Capture, open_audio, open_video  # noqa: E402
from kiosk.media.encoder import EncodeSettings  # noqa: E402
from tests.support.media import CARD_PHOTO  # noqa: E402
from tests.support.noisy_camera import noisy_sample  # noqa: E402
from tests.support.throttle_proxy import ThrottleProxy  # noqa: E402

BEFORE = EncodeSettings(preset="veryfast", crf=23, audio_kbit=48, gop_s=2.0, tune="zerolatency",
                        x264_params="", denoise="")
GOAL_S = 20.0


def record(folder: Path, name: str, settings: EncodeSettings | None) -> tuple[Path, float]:
    """A 5 s clip of the noisy camera; its path and stop -> ready in seconds."""
    source, _ = noisy_sample(folder)
    spec = f"file:{source}"
    with Capture(open_video(spec), open_audio(spec), settings=settings) as cap:
        time.sleep(0.3)
        rec = cap.record(folder / f"{name}.mp4", seconds=5.0)
        path = rec.wait(60)
    assert rec.stopped_at is not None and rec.ready_at is not None
    return path, rec.ready_at - rec.stopped_at


def one_upload(handle: Any, proxy: ThrottleProxy, clip: Path, ready_s: float,
               before: bool) -> dict[str, Any]:
    """Checks + upload + answer through ``proxy``; the figures of one run.

    ``before``: the client as it was before issue 20: no stall limit, and progress counted from
    the bytes handed to the socket (the kernel's send buffer swallows most of a clip at once).
    """
    client = Client(proxy.url, handle.appid, handle.secret_id, handle.secret_key,
                    stall_s=None if before else 15.0)
    if before:
        client.transport.unsent = lambda: 0  # type: ignore[method-assign]
    try:
        code = client.livegetfour()  # before recording, as in the flow
        ticks: list[tuple[float, int, int]] = []
        t0 = time.monotonic()
        findings = check_clip(clip)
        assert not [f for f in findings if f.severity == "block"]
        t_up = time.monotonic()
        outcome = "error"
        try:
            result = client.livedetectfour(clip, code, card=CARD_PHOTO, compare_flag=True,
                                           progress=lambda s, t: ticks.append((time.monotonic(), s, t)))
            outcome = f"live {result.live_status}, sim {result.similarity}"
        except KioskError as exc:
            outcome = f"could not check: {type(exc).__name__}: {exc.en}"
        end = time.monotonic()
    finally:
        client.close()
    total = ticks[-1][2] if ticks else 0
    moving = [t for t, s, _ in ticks if s > 0]
    reached = next((t for t, s, _ in ticks if total and s >= total), None)  # the bar at its end
    full = end if reached is None else reached
    points = sorted({t_up, *(t for t, s, _ in ticks if s < total), full})
    gaps = [b - a for a, b in zip(points, points[1:], strict=False)]
    return {"verdict_s": ready_s + end - t0, "ready_s": ready_s, "checks_s": t_up - t0,
            "upload_s": end - t_up, "first_tick_s": (moving[0] - t_up) if moving else float("nan"),
            "max_gap_s": max(gaps) if gaps else float("nan"),
            "full_s": float("nan") if reached is None else full - t_up,
            "at_end_s": end - full, "reports": len(ticks),
            "bytes": clip.stat().st_size, "outcome": outcome}


LINKS = ("steady", "lossy", "stall")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate-kbit", type=float, default=256)
    parser.add_argument("--latency-ms", type=float, default=300)
    parser.add_argument("--loss", type=float, default=0.02)
    parser.add_argument("--stall-s", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--links", default=",".join(LINKS))
    args = parser.parse_args()
    rate, latency = args.rate_kbit * 1000 / 8, args.latency_ms / 1000
    load = os.getloadavg()[0]
    print(f"link {args.rate_kbit:g} kbit/s up, {args.latency_ms:g} ms each way; lossy: "
          f"{args.loss:.0%} of segments lost; stall: nothing for {args.stall_s:g} s after 40 kB. "
          f"{os.cpu_count()} cores, load {load:.2f}. Goal: verdict <= {GOAL_S:g} s after stop.\n")
    with tempfile.TemporaryDirectory(prefix="bench-link-") as tmp:
        folder = Path(tmp)
        clips = {"kiosk": record(folder, "kiosk", None), "before": record(folder, "before", BEFORE)}
        # The emulator drops a client sending under 4 kB/s for 10 s (a guard of its own); here it
        # waits like a patient server (nginx: 60 s), so the figures are the kiosk's own.
        handle = start_in_process(limits=Limits(min_upload_rate=1, rate_window_s=120.0))
        try:
            for link in args.links.split(","):
                for name, (clip, ready_s) in clips.items():
                    runs = []
                    for seed in range(args.runs):
                        with ThrottleProxy(int(handle.base_url.rsplit(":", 1)[1]), rate=rate,
                                           latency_s=latency, loss=args.loss if link == "lossy" else 0.0,
                                           seed=seed) as proxy:
                            if link == "stall":
                                proxy.stall(after_bytes=40_000, seconds=args.stall_s)
                            runs.append(one_upload(handle, proxy, clip, ready_s, name == "before"))
                    report(link, name, runs)
        finally:
            handle.stop()
    print(f"\nload after: {os.getloadavg()[0]:.2f}")
    return 0


def report(link: str, name: str, runs: list[dict[str, Any]]) -> None:
    """One line per link and clip: medians over the runs."""
    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    label = {"kiosk": "issue 20 clip + client", "before": "before issue 20"}[name]
    print(f"{link:7} {label:24} {runs[0]['bytes'] / 1000:6.0f} kB  verdict {med('verdict_s'):5.1f} s "
          f"after stop (ready {med('ready_s'):.2f}, checks {med('checks_s'):.2f}, upload+answer "
          f"{med('upload_s'):5.1f})  bar: full after {med('full_s'):4.1f} s (nan: never), longest still "
          f"{med('max_gap_s'):.2f} s before that, then {med('at_end_s'):4.1f} s at the end")
    for outcome in sorted({r["outcome"] for r in runs}):
        print(f"{'':33}-> {outcome[:160]}")


if __name__ == "__main__":
    sys.exit(main())
