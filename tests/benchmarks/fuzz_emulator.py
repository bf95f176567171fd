"""Benchmark: 10,000 random and mutated requests against the emulator app, in-process.

The same requests and checks as the CI fuzz test (tests/unit/emulator/test_emulator_fuzz.py,
600 of them), in larger number: every reply must be strict JSON with a documented code that is
never a "server failed" code, below HTTP 500, with no traceback or ERROR in the log, and no
request folder left. Prints requests per second, the codes seen with their counts, the HTTP
statuses, the mutations applied, and the peak memory over the run.

    .venv/bin/python tests/benchmarks/fuzz_emulator.py [--count 10000] [--seed N] [--tracemalloc]

Not collected by pytest. ``--tracemalloc`` adds Python's own peak allocation figure (the run
is then about ten times slower).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from kiosk.emulator.app import create_app  # noqa: E402
from kiosk.emulator.store import Store  # noqa: E402
from tests.support import asgi  # noqa: E402
from tests.support.emulator_fuzz import (  # noqa: E402
    LogWatch,
    Request,
    check_reply,
    fill_store,
    peak_rss,
    requests,
    reset_peak_rss,
    rss,
)

NOW = 1_700_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed (default random)")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="fuzz-emulator-"))
    store = Store(root / "data")
    fill_store(store)
    scratch = root / "uploads"
    scratch.mkdir()
    app = create_app(store, clock=lambda: float(NOW), scratch_dir=scratch)
    watch = LogWatch()
    logging.getLogger().addHandler(watch)
    logging.getLogger().setLevel(logging.INFO)
    codes: Counter[int] = Counter()
    statuses: Counter[int] = Counter()
    mutations: Counter[str] = Counter()
    failures: list[str] = []
    app_seconds = 0.0
    body_bytes = 0
    loop = asyncio.new_event_loop()

    @settings(max_examples=args.count, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(requests(NOW))
    def one(request: Request) -> None:
        nonlocal app_seconds, body_bytes
        started = time.perf_counter()
        answer = loop.run_until_complete(
            asgi.call(app, "POST", request.path, request.headers, request.chunks))
        app_seconds += time.perf_counter() - started
        body_bytes += sum(len(c) for c in request.chunks)
        statuses[answer.status] += 1
        mutations.update(note.split(":")[0] for note in request.notes)
        try:
            codes[check_reply(answer.status, answer.body, request)] += 1
        except AssertionError as exc:
            failures.append(str(exc)[:300])
        if watch.bad:
            failures.extend(watch.bad)
            watch.bad.clear()

    test = seed(args.seed)(one) if args.seed is not None else one
    before = rss()
    reset_peak_rss()
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    test()
    wall = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
    total = sum(statuses.values())
    left = list(scratch.iterdir())

    print(f"requests:          {total}")
    print(f"wall time:         {wall:.1f} s ({total / wall:.0f} requests/s, with generation)")
    print(f"in the app:        {app_seconds:.1f} s ({total / app_seconds:.0f} requests/s)")
    print(f"bodies sent:       {body_bytes / 1e6:.1f} MB")
    print(f"peak memory:       RSS {peak_rss() / 1e6:.0f} MB, +{(peak_rss() - before) / 1e6:.1f} MB "
          f"over the start" + (f"; traced peak {traced / 1e6:.1f} MB" if traced else ""))
    print(f"HTTP statuses:     {dict(statuses.most_common())}")
    print(f"codes:             {dict(codes.most_common())}")
    print(f"mutation kinds:    {dict(mutations.most_common())}")
    print(f"log warnings:      {watch.warnings}")
    print(f"folders left:      {len(left)}")
    print(f"failures:          {len(failures)}")
    for failure in failures[:10]:
        print(f"  {failure}")
    loop.close()
    return 1 if failures or left else 0


if __name__ == "__main__":
    raise SystemExit(main())
