"""Benchmark: how fast the emulator answers a 5 s 640x480 clip, alone and four at once.

Goal (issue 5): one clip answered in under 2 s on a 2-core machine, and 4 such requests at once
all answered. Baselines beside it: the kiosk's clip checks alone (the part of the work the
emulator shares with ``kiosk check``), and one request alone. Each request is a real HTTP call of
the kiosk's client to an in-process emulator on 127.0.0.1, with a fresh code per request.

    .venv/bin/python tests/benchmarks/bench_emulator.py [--rounds 5] [--concurrency 4]

Not collected by pytest. Figures on a shared machine are noisy: the load average is printed,
and beside each wall-clock figure the process's CPU seconds per request (the emulator runs in
this process), which other programs' load does not inflate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.api import Client  # noqa: E402
from kiosk.checks import check_clip  # noqa: E402
from kiosk.emulator import EmulatorHandle, start_in_process  # noqa: E402

ASSETS = REPO / "assets"
CLIP = ASSETS / "sample_clip.mp4"
CARD = ASSETS / "card_photo.jpg"
ID_NUMBER, NAME = "11010519491231002X", "王芳"
GOAL_S = 2.0


def summary(label: str, seconds: list[float], cpu: float) -> str:
    """One table row: count, p50, max, CPU seconds per item."""
    p50 = statistics.median(seconds)
    worst = max(seconds)
    return f"{label:<44} {len(seconds):>3}  {p50:6.2f} s  {worst:6.2f} s  {cpu:6.2f} s"


def measured(label: str, jobs: Callable[[], list[float]]) -> tuple[str, list[float]]:
    """Run ``jobs`` (returning one latency per item) and make its row with CPU per item."""
    cpu = time.process_time()
    seconds = jobs()
    return summary(label, seconds, (time.process_time() - cpu) / len(seconds)), seconds


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def one_request(handle: EmulatorHandle, call: str) -> float:
    """Latency of one detection call (the code is fetched first, outside the timing)."""
    with Client(handle.base_url, handle.appid, handle.secret_id, handle.secret_key,
                retries=0) as client:
        code = client.livegetfour()
        started = time.perf_counter()
        if call == "livedetectfour":
            result = client.livedetectfour(CLIP, code, card=CARD)
        else:
            result = client.idcardlivedetectfour(CLIP, code, ID_NUMBER, NAME)
        elapsed = time.perf_counter() - started
    if not result.passed():
        raise SystemExit(f"{call} did not pass: {result}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="repetitions of each measurement")
    parser.add_argument("--concurrency", type=int, default=4, help="requests sent at once")
    args = parser.parse_args()

    print(f"clip: {CLIP.name} ({CLIP.stat().st_size:,} bytes, 5 s, 640x480); "
          f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}")
    rows: list[str] = []
    row, _ = measured("baseline: kiosk checks alone (check_clip)",
                      lambda: [timed(lambda: check_clip(CLIP)) for _ in range(args.rounds)])
    rows.append(row)

    with start_in_process() as handle:
        # The first request loads the face model once.
        row, _ = measured("first request (face model loading)",
                          lambda: [one_request(handle, "livedetectfour")])
        rows.append(row)
        alone: dict[str, list[float]] = {}
        for call in ("livedetectfour", "idcardlivedetectfour"):
            row, alone[call] = measured(
                f"baseline: one {call} alone",
                lambda call=call: [one_request(handle, call) for _ in range(args.rounds)])
            rows.append(row)
        batch_walls: list[float] = []

        def batches() -> list[float]:
            each: list[float] = []
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    futures = [pool.submit(one_request, handle, "livedetectfour")
                               for _ in range(args.concurrency)]
                    each += [f.result() for f in futures]  # raises if one was not answered
                    batch_walls.append(time.perf_counter() - started)
            return each

        row, together = measured(f"{args.concurrency} livedetectfour at once (each)", batches)
        rows.append(row)
        rows.append(summary(f"{args.concurrency} livedetectfour at once (whole batch)",
                            batch_walls, float("nan")))

    print(f"\n{'measurement':<44} {'n':>3}  {'p50':>8}  {'max':>8}  {'CPU/item':>8}")
    print("\n".join(rows))
    p50 = statistics.median(alone["livedetectfour"])
    print(f"\ngoal: one clip under {GOAL_S:.1f} s -> p50 {p50:.2f} s "
          f"({'met' if p50 < GOAL_S else 'NOT met'}); all {len(together)} concurrent requests "
          f"answered; load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
