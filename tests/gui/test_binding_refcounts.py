"""The Qt binding keeps Python's reference counts: the preview emits 30 signals a second all day.

PySide6 6.12.0 took one reference from ``True`` at every ``Signal(object).emit``; on Python 3.11
the count reached zero after about a minute of preview and the process aborted in
``bool_dealloc`` (docs/endurance.md). The emissions run in a child process
(tests/support/binding_probe.py) so that such an abort fails this test instead of the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).resolve().parents[1] / "support" / "binding_probe.py"
EMITS_PER_KIND = 10_000
# Noise seen with a sound binding: single digits (objects that hold True/None for a while);
# a binding that loses or keeps one reference per emission moves a count by tens of thousands.
REFCOUNT_TOLERANCE = 100
RSS_GROWTH_LIMIT_KB = 8 * 1024  # 1.2 MiB measured for 40,000 emissions


def run_probe(count: int) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, str(PROBE), str(count)], capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 0, (
        f"the probe died (status {proc.returncode}): {proc.stderr[-1500:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_signal_emissions_keep_reference_counts_and_memory_flat() -> None:
    report = run_probe(EMITS_PER_KIND)
    delta = report["delta"]
    assert isinstance(delta, dict)
    for name, moved in delta.items():
        assert abs(moved) <= REFCOUNT_TOLERANCE, (
            f"{report['emits']} emissions moved the reference count of {name} by {moved} "
            f"(binding {report['binding']}): the binding loses or keeps references")
    grew = int(report["rss_kb_after"]) - int(report["rss_kb_before"])  # type: ignore[call-overload]
    assert grew <= RSS_GROWTH_LIMIT_KB, f"memory grew by {grew} KiB over {report['emits']} emissions"
    # The main thread's receiver gets its own emissions and, queued, the two threads'.
    assert report["direct_got"] == 200 + 4 * EMITS_PER_KIND
    assert report["queued_got"] == report["queued_expected"], "queued emissions were lost"
    assert report["threads_after"] == 1, "the emitting threads did not end"


def test_the_installed_binding_is_not_the_release_known_to_lose_references() -> None:
    import PySide6

    assert PySide6.__version__ != "6.12.0", (
        "PySide6 6.12.0 aborts the preview after a minute; pyproject.toml bounds it below 6.12")
