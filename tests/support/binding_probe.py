"""Emits Qt signals carrying Python objects many times and prints what that did to the process.

Run as a child process by tests/gui/test_binding_refcounts.py (and by hand:
``python tests/support/binding_probe.py 10000``). A binding that takes a reference from ``True``
at each emit ends with a negative delta, or aborts in ``bool_dealloc`` on Python < 3.12, which
is why this runs in its own process: the test reports the abort instead of dying with it.

Prints one JSON line: the reference-count deltas of True, False, None and a plain object, resident memory
before and after, thread count after, and how many emissions each slot received.
"""

from __future__ import annotations

import json
import os
import sys
import threading


def rss_kb() -> int:
    """Resident memory of this process in KiB (Linux)."""
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main(count: int) -> dict[str, object]:
    from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

    class Emitter(QObject):
        one = Signal(object)
        two = Signal(object, object)

    class Receiver(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.got = 0

        @Slot(object)
        def take_one(self, value: object) -> None:
            self.got += 1

        @Slot(object, object)
        def take_two(self, a: object, b: object) -> None:
            self.got += 1

    app = QCoreApplication.instance() or QCoreApplication([])
    direct, queued = Receiver(), Receiver()
    emitter = Emitter()
    emitter.one.connect(direct.take_one)
    emitter.two.connect(direct.take_two)

    # Queued delivery: the receiver lives on a QThread, as the GUI's slots live on another thread
    # than the flow's worker that emits.
    worker = QThread()
    queued.moveToThread(worker)
    worker.start()
    emitter.one.connect(queued.take_one)

    sentinel = object()  # not immortal on any Python: its count moves on 3.12+ too
    payloads: list[object] = [1, "x", None, True, False, sentinel, {"k": 1}, 2.5]
    objects = (True, False, None, sentinel)
    for i in range(200):  # warm-up: caches and first-use allocations are not a leak
        emitter.one.emit(payloads[i % len(payloads)])
    app.processEvents()
    before = [sys.getrefcount(o) for o in objects]
    rss_before = rss_kb()

    for i in range(count):
        emitter.one.emit(payloads[i % len(payloads)])
        emitter.two.emit(payloads[i % len(payloads)], i)

    def from_thread() -> None:  # the flow's worker emits from a Python thread
        for i in range(count):
            emitter.one.emit(payloads[i % len(payloads)])

    threads = [threading.Thread(target=from_thread) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected_queued = 200 + 3 * count
    while queued.got < expected_queued and worker.isRunning():
        app.processEvents()
        QThread.msleep(1)
    worker.quit()
    worker.wait()
    app.processEvents()
    after = [sys.getrefcount(o) for o in objects]
    return {
        "binding": __import__("PySide6").__version__,
        "python": sys.version.split()[0],
        "emits": 4 * count,
        "delta": dict(zip(("True", "False", "None", "object"), (a - b for a, b in zip(after, before, strict=False)), strict=False)),
        "rss_kb_before": rss_before,
        "rss_kb_after": rss_kb(),
        "threads_after": threading.active_count(),
        "direct_got": direct.got,
        "queued_got": queued.got,
        "queued_expected": expected_queued,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)), flush=True)
