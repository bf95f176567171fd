"""Benchmark: how fast the emulator answers a 5 s 640x480 clip, alone and four at once.

Goals (issue 18): with the face work in a pool of processes, 4 requests at once take at most
2.2x as long as one alone (p50), and ``livegetfour`` answers within 50 ms (p99) while they are
judged; one request alone no slower than with threads. Each mode is measured side by side: the
face work in the request threads (as before), then in the pool. Baselines: the kiosk's clip
checks alone (the part of the work the emulator shares with ``kiosk check``). Each request is a
real HTTP call of the kiosk's client to an in-process emulator on 127.0.0.1, with a fresh code.

    .venv/bin/python tests/benchmarks/bench_emulator.py [--rounds 5] [--concurrency 4] [--workers N]

Not collected by pytest. Figures on a shared machine are noisy: the load average is printed,
and beside each wall-clock figure the process's CPU seconds per request (with threads the
emulator's work is in this process; with the pool, most of it is in the workers and not counted).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.api import Client  # noqa: E402
from kiosk.checks import check_clip  # noqa: E402
from kiosk.emulator import EmulatorHandle, start_in_process  # noqa: E402
from kiosk.emulator.facework import pool_size  # noqa: E402

ASSETS = REPO / "assets"
CLIP = ASSETS / "sample_clip.mp4"
CARD = ASSETS / "card_photo.jpg"
ID_NUMBER, NAME = "11010519491231002X", "王芳"
GOAL_RATIO = 2.2  # issue 18: 4 at once, p50 at most 2.2x one alone (2 cores make 2x the floor)
CODE_GOAL_MS = 50.0  # livegetfour p99 while 4 clips are judged


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


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def worker_pids() -> list[int]:
    """This process's children (the face workers, when a pool runs; Linux /proc)."""
    pids: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        with contextlib.suppress(OSError):
            pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def codes_while(handle: EmulatorHandle, busy: threading.Event) -> list[float]:
    """livegetfour latencies, one after another, for as long as ``busy`` is set."""
    seconds: list[float] = []
    with Client(handle.base_url, handle.appid, handle.secret_id, handle.secret_key,
                retries=0) as client:
        client.livegetfour()  # the connection is open before timing starts
        while busy.is_set():
            seconds.append(timed(client.livegetfour))
    return seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_mode(workers: int, rounds: int, concurrency: int) -> tuple[list[str], dict[str, float]]:
    """Every measurement with ``workers`` face processes (0: the request threads)."""
    rows: list[str] = []
    figures: dict[str, float] = {}
    mode = f"{workers} workers" if workers else "threads"
    started = time.perf_counter()
    with start_in_process(face_workers=workers) as handle:
        faces = handle.app.state.calls.faces
        if workers:
            faces.wait_ready()
            figures["ready_s"] = time.perf_counter() - started
            figures["worker_rss_mb"] = sum(rss_mb(p) for p in worker_pids())
        row, _ = measured(f"[{mode}] first request", lambda: [one_request(handle, "livedetectfour")])
        rows.append(row)
        alone: dict[str, list[float]] = {}
        for call in ("livedetectfour", "idcardlivedetectfour"):
            row, alone[call] = measured(
                f"[{mode}] one {call} alone",
                lambda call=call: [one_request(handle, call) for _ in range(rounds)])
            rows.append(row)
        batch_walls: list[float] = []
        codes: list[float] = []

        def batches() -> list[float]:
            each: list[float] = []
            busy = threading.Event()
            with ThreadPoolExecutor(max_workers=concurrency + 1) as pool:
                for _ in range(rounds):
                    busy.set()
                    meter = pool.submit(codes_while, handle, busy)
                    began = time.perf_counter()
                    futures = [pool.submit(one_request, handle, "livedetectfour")
                               for _ in range(concurrency)]
                    each += [f.result() for f in futures]  # raises if one was not answered
                    batch_walls.append(time.perf_counter() - began)
                    busy.clear()
                    codes.extend(meter.result())
            return each

        row, together = measured(f"[{mode}] {concurrency} livedetectfour at once (each)", batches)
        rows.append(row)
        rows.append(summary(f"[{mode}] {concurrency} at once (whole batch)", batch_walls,
                            float("nan")))
        rows.append(summary(f"[{mode}] livegetfour meanwhile", codes, float("nan"))
                    + f"  p99 {percentile(codes, 0.99) * 1000:.0f} ms")
        figures["main_rss_mb"] = rss_mb(os.getpid())
    figures["alone_p50"] = statistics.median(alone["livedetectfour"])
    figures["together_p50"] = statistics.median(together)
    figures["codes_p99_ms"] = percentile(codes, 0.99) * 1000
    return rows, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="repetitions of each measurement")
    parser.add_argument("--concurrency", type=int, default=4, help="requests sent at once")
    parser.add_argument("--workers", type=int, default=pool_size(),
                        help="face worker processes for the pool run (default: one per core)")
    parser.add_argument("--pool-only", action="store_true", help="skip the threads run")
    args = parser.parse_args()

    print(f"clip: {CLIP.name} ({CLIP.stat().st_size:,} bytes, 5 s, 640x480); "
          f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}")
    rows: list[str] = []
    row, _ = measured("baseline: kiosk checks alone (check_clip)",
                      lambda: [timed(lambda: check_clip(CLIP)) for _ in range(args.rounds)])
    rows.append(row)
    results: dict[str, dict[str, float]] = {}
    for workers in ([] if args.pool_only else [0]) + [args.workers]:
        mode_rows, results[str(workers)] = run_mode(workers, args.rounds, args.concurrency)
        rows += mode_rows

    print(f"\n{'measurement':<44} {'n':>3}  {'p50':>8}  {'max':>8}  {'CPU/item':>8}")
    print("\n".join(rows))
    pool = results[str(args.workers)]
    ratio = pool["together_p50"] / pool["alone_p50"]
    print(f"\npool of {args.workers}: ready after {pool['ready_s']:.2f} s, workers "
          f"{pool['worker_rss_mb']:.0f} MB resident together, this process {pool['main_rss_mb']:.0f} MB")
    print(f"goal: {args.concurrency} at once p50 <= {GOAL_RATIO}x one alone -> "
          f"{pool['together_p50']:.2f} s / {pool['alone_p50']:.2f} s = {ratio:.2f}x "
          f"({'met' if ratio <= GOAL_RATIO else 'NOT met'}); livegetfour p99 meanwhile "
          f"{pool['codes_p99_ms']:.0f} ms ({'met' if pool['codes_p99_ms'] <= CODE_GOAL_MS else 'NOT met'}"
          f", goal {CODE_GOAL_MS} ms); load average after: {os.getloadavg()[0]:.2f}")
    if "0" in results:
        threads = results["0"]
        print(f"threads: {threads['together_p50']:.2f} s / {threads['alone_p50']:.2f} s = "
              f"{threads['together_p50'] / threads['alone_p50']:.2f}x; livegetfour p99 "
              f"{threads['codes_p99_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
