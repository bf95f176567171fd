"""The client's reply fuzzing at scale: 10,000 random and mutated replies (not collected by pytest).

    .venv/bin/python tests/benchmarks/fuzz_client.py [--cases 10000] [--seed 14]

The same replies and checks as tests/contract/test_client_fuzz.py (tests/support/reply_fuzz.py),
through the transport seam (MockTransport), but a broken invariant is counted instead of
stopping the run. Prints cases per second (with and without generating the replies), the
outcomes by type, anything unexpected, and the peak memory of one case (tracemalloc) and of the
process (max RSS).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.support import reply_fuzz as fuzz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    outcomes: Counter[str] = Counter()
    unexpected: Counter[str] = Counter()
    examples: dict[str, str] = {}
    body_bytes: list[int] = []
    peaks: list[int] = []
    in_client = [0.0]

    with tempfile.TemporaryDirectory() as folder:
        video = Path(folder) / "clip.mp4"
        video.write_bytes(random.Random(1).randbytes(4096))

        @seed(args.seed)
        @settings(max_examples=args.cases, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def case(data: st.DataObject) -> None:
            call = data.draw(st.sampled_from(fuzz.CALLS))
            response = data.draw(fuzz.wire_responses(call))
            body_bytes.append(len(response.body))
            tracemalloc.start()
            started = time.perf_counter()
            try:
                outcomes[fuzz.run_case(call, response, video)] += 1
            except AssertionError as exc:
                name = f"invariant broken: {str(exc)[:60]}"
                unexpected[name] += 1
                examples.setdefault(name, repr(response)[:300])
            except Exception as exc:  # noqa: BLE001 - counted: that is what this is for
                name = f"{type(exc).__name__} (unexpected)"
                unexpected[name] += 1
                examples.setdefault(name, repr(response)[:300])
            finally:
                in_client[0] += time.perf_counter() - started
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()

        started = time.perf_counter()
        case()
        wall = time.perf_counter() - started

    total = len(peaks)
    print(f"cases: {total} (seed {args.seed}); bodies {min(body_bytes)}-{max(body_bytes)} bytes, "
          f"median {sorted(body_bytes)[total // 2]}")
    print(f"rate: {total / wall:,.0f} cases/s with generation ({wall:.1f} s); "
          f"{total / in_client[0]:,.0f} cases/s in the client alone ({in_client[0]:.1f} s)")
    print("outcomes:")
    for name, count in outcomes.most_common():
        print(f"  {name:<22} {count:>6}  {100 * count / total:5.1f} %")
    print(f"unexpected: {sum(unexpected.values())}")
    for name, count in unexpected.most_common():
        print(f"  {name}: {count}\n    e.g. {examples[name]}")
    peaks.sort()
    print(f"peak memory of one case (tracemalloc): median {peaks[total // 2] / 1e6:.2f} MB, "
          f"p99 {peaks[int(total * 0.99)] / 1e6:.2f} MB, max {peaks[-1] / 1e6:.2f} MB")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 1 if unexpected else 0


if __name__ == "__main__":
    raise SystemExit(main())
