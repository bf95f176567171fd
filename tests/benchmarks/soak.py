"""A counter day: the real window driven as customers drive it, session after session.

    .venv/bin/python tests/benchmarks/soak.py --minutes 3.5 --preview-seconds 130   # CI's short soak
    .venv/bin/python tests/benchmarks/soak.py --hours 1                            # README figure
    .venv/bin/python tests/benchmarks/soak.py --minutes 1 --preview-seconds 600    # 10 min on preview

The kiosk's own window (MainWindow on the real flow, media, checks and client) runs in this
process, offscreen unless a DISPLAY is given. Clicks and typing go through QtTest into the widgets,
as a person's do. The service is ``kiosk emulator`` in a child process, reached directly or through
tests/support/soak_network.py (a slow link, a server that answers garbage, a closed port). The
customers, in this order, round after round: see ``CUSTOMERS``.

After every session, back on the welcome screen, it checks the invariants of docs/endurance.md:
the GUI thread never stalled over 100 ms; resident memory, threads, file descriptors and child
processes stay flat after the warm-up; the reference counts of True, False and None stay put; no
media is left anywhere below the soak's folders; exactly one audit row per session, with the
customer's outcome; and no event of a finished session changes the screen afterwards.

Prints one JSON line per session and a summary; exit status 0 when every invariant held, 1 when
one did not (the summary's ``violations`` say which), and whatever the process dies of otherwise.
Everything it makes lives in one temporary folder, deleted at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.support.soak_customers import (  # noqa: E402
    Customer,
    Harness,
    Sleep,
    Steps,
    Stuck,
    Until,
    customers,
)
from tests.support.soak_service import Emulator, Network, make_media  # noqa: E402
from tests.support.soak_watch import (  # noqa: E402
    THREAD_TOLERANCE,
    Sample,
    Session,
    flat,
    media_below,
    threads_now,
)

STALL_LIMIT_S = 0.100
UNCHECKED = "未能完成核验"  # the result's headline when no verdict was made (the soak runs in zh)
QUIET_S = 1.0  # on the welcome screen between customers: nothing may change it then
# Quicker than the kiosk's defaults (5 s clip, 3-2-1), so a CI soak sees every customer.
FLOW_OVERRIDES = {"clip_seconds": 3.0, "countdown_seconds": 1}


class Day:
    """Runs the customers round after round until the time is up; checks after each session."""

    def __init__(self, h: Harness, seconds: float, warmup: int, report: Any) -> None:
        self.h, self.seconds, self.warmup, self.report = h, seconds, warmup, report
        self.sessions: list[Session] = []
        self.baseline: Sample | None = None
        self.first: Sample | None = None
        self.started = time.monotonic()
        self.ended = threading.Event()

    only: tuple[str, ...] = ()

    def people(self) -> list[Customer]:
        """The customers of one round (those whose name holds an ``--only`` word, if given)."""
        every = customers(self.h.preview_s)
        return [c for c in every if not self.only or any(o in c.name for o in self.only)]

    def plan(self) -> Iterator[Customer]:
        """Whole rounds until the time is up (at least one)."""
        while True:
            yield from self.people()
            if time.monotonic() - self.started >= self.seconds:
                return

    def steps(self) -> Steps:
        h = self.h
        for n, customer in enumerate(self.plan(), 1):
            s = Session(n, customer.name, customer.expected)
            rows_before = h.audit_rows()
            h.quiet, h.stale = False, []
            h.w.idle.idle_ms, h.w.idle.warn_ms = h.default_idle
            h._stall = (0.0, "")
            t0 = time.monotonic()
            try:
                yield from customer.run(h)
            except Stuck as exc:
                s.problems.append(f"stuck: {exc}")
            s.final_screen = h.w.current()
            s.headline = h.w.result.verdict.text() if s.final_screen == "result" else ""
            s.seconds = round(time.monotonic() - t0, 1)
            try:
                yield from h.back_to_welcome()
            except Stuck as exc:
                s.problems.append(f"stuck: {exc}")
            h.quiet = True
            yield Sleep(QUIET_S)
            if self.baseline is not None:  # worker threads wind down after the Finished event
                yield Until(lambda: threads_now() <= self.baseline.threads + THREAD_TOLERANCE, 5)
            self.check(s, rows_before)
            h.quiet = False

    def check(self, s: Session, rows_before: list[tuple[int, str]]) -> None:
        h = self.h
        s.longest_stall_ms, s.stall_where = round(h._stall[0] * 1000, 1), h._stall[1]
        if h._stall[0] > STALL_LIMIT_S:
            s.problems.append(f"GUI thread stalled {s.longest_stall_ms} ms ({s.stall_where})")
        s.problems += h.stale
        rows = h.audit_rows()
        added = rows[len(rows_before):]
        s.audit_rows_added = len(added)
        s.outcome = added[-1][1] if added else None
        if len(added) != 1:
            s.problems.append(f"{len(added)} audit rows for one session")
        elif s.outcome not in s.expected:
            s.problems.append(f"outcome {s.outcome!r}, expected {'/'.join(s.expected)}")
        # "Could not check" is never shown as "not verified" (docs/endurance.md).
        if s.outcome == "error" and s.final_screen == "result" and s.headline != UNCHECKED:
            s.problems.append(f"no verdict was made, but the headline says {s.headline!r}")
        s.media_left = media_below(h.root, (h.root / "media", h.root / "emulator-data"))
        if s.media_left:
            s.problems.append(f"media left: {s.media_left[:5]}")
        sessions_dir = h.paths.sessions_dir
        folders = [p.name for p in sessions_dir.iterdir()] if sessions_dir.exists() else []
        if folders:
            s.problems.append(f"session folders left: {folders}")
        sample = Sample.now(exclude_children={p.pid for p in self.helpers()})
        s.sample = asdict(sample)
        if self.first is None:
            self.first = sample
        if len(self.sessions) + 1 == self.warmup:
            self.baseline = sample
        elif self.baseline is not None and len(self.sessions) + 1 > self.warmup:
            s.problems += flat(self.baseline, sample)
        if sample.children:
            s.problems.append(f"{sample.children} child processes left (ffmpeg?)")
        s.ended_at = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.sessions.append(s)
        print(json.dumps(asdict(s), ensure_ascii=False), file=self.report, flush=True)
        if self.count_objects:
            self.show_object_growth()

    count_objects = False
    _types: dict[str, int] = {}

    def show_object_growth(self) -> None:
        import gc
        from collections import Counter

        gc.collect()
        now = Counter(type(o).__qualname__ for o in gc.get_objects())
        grew = {k: v - self._types.get(k, 0) for k, v in now.items() if v > self._types.get(k, 0)}
        self._types = dict(now)
        top = sorted(grew.items(), key=lambda kv: -kv[1])[:12]
        print(f"objects grew: {top}", file=sys.stderr, flush=True)

    def helpers(self) -> list[Any]:
        return [p for p in (self.h.emulator.proc, self.h.network.proc) if p is not None]


def drive(app: Any, h: Harness, day: Day) -> None:
    """Step the day's generator from Qt timers, so the event loop runs between steps."""
    from PySide6.QtCore import QTimer

    gen = day.steps()
    poll = QTimer()
    poll.setInterval(20)
    waiting: list[Any] = [None]

    def advance(value: Any = None) -> None:
        try:
            cmd = gen.send(value)
        except StopIteration:
            app.quit()
            return
        except Exception as exc:  # the harness's own bug: report it, do not hang
            print(f"soak harness failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            day.sessions.append(Session(len(day.sessions) + 1, "harness", (), problems=[repr(exc)]))
            app.quit()
            return
        if isinstance(cmd, Sleep):
            QTimer.singleShot(int(cmd.seconds * 1000), advance)
        else:
            waiting[0] = (cmd.pred, time.monotonic() + cmd.timeout)
            poll.start()

    def check_wait() -> None:
        pred, deadline = waiting[0]
        if pred():
            poll.stop()
            advance(True)
        elif time.monotonic() > deadline:
            poll.stop()
            advance(False)

    poll.timeout.connect(check_wait)
    heart = QTimer()
    heart.setInterval(10)
    heart.timeout.connect(h.beat)
    heart.start()
    QTimer.singleShot(0, h.start_watching)  # zero timers run in the order they were set
    QTimer.singleShot(0, lambda: advance(None))
    app._soak_keep = (poll, heart)  # the timers live as long as the app


def isolate(root: Path) -> dict[str, str]:
    """The kiosk's folders (settings, audit, logs, workspaces, temp) below the soak's folder."""
    env = dict(os.environ)
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                     ("XDG_RUNTIME_DIR", "runtime"), ("TMPDIR", "tmp")):
        (root / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
        env[var] = str(root / sub)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var in [v for v in env if v.startswith("KIOSK_")]:
        del env[var]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    length = p.add_mutually_exclusive_group()
    length.add_argument("--hours", type=float)
    length.add_argument("--minutes", type=float)
    p.add_argument("--preview-seconds", type=float, default=130.0,
                   help="how long one customer leaves the window on the live preview")
    p.add_argument("--warmup", type=int, default=0,
                   help="sessions before the flatness baseline (default: one round of customers)")
    p.add_argument("--only", action="append", metavar="WORD",
                   help="only the customers whose name holds WORD (repeatable), e.g. 'preview'")
    p.add_argument("--report", type=Path, help="also write the per-session JSON lines here")
    p.add_argument("--keep", action="store_true", help="keep the soak's folder (logs, audit)")
    p.add_argument("--objects", action="store_true",
                   help="after each session, print on stderr which object types grew (finding leaks)")
    args = p.parse_args(argv)
    # One round at least; more rounds until this many seconds have passed (3 minutes by default).
    seconds = 180.0 if args.hours is None and args.minutes is None else (
        (args.hours or 0) * 3600 + (args.minutes or 0) * 60)

    root = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    env = isolate(root)
    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = None  # TMPDIR is read again
    sys.path.insert(0, str(REPO))

    from kiosk.config import Paths, Settings
    from kiosk.config.logs import setup as setup_logs
    from kiosk.ui.app import make_app, settle_heap
    from kiosk.ui.i18n import Languages
    from kiosk.ui.session import assemble
    from kiosk.ui.settings import StoredSettings
    from kiosk.ui.window import MainWindow

    setup_logs(verbose=False, secrets=[], names=[])
    media = make_media(root / "media")
    emulator = Emulator(root / "emulator-data", env)
    emulator.start()
    if not emulator.ready.wait(120):
        print("the emulator did not start", file=sys.stderr)
        return 2
    network = Network(emulator.port, env)
    paths = Paths.default()
    creds = emulator.credentials
    settings = Settings(paths, env={"KIOSK_APPID": creds["appid"],
                                    "KIOSK_SECRET_ID": creds["secret_id"],
                                    "KIOSK_SECRET_KEY": creds["secret_key"]})
    settings.assign("mode", "idcard")

    class NoDevices:  # the counter PC of CI: no camera, no microphone
        def cameras(self) -> list[str]:
            return []

        def mics(self) -> list[str]:
            return []

    app = make_app()
    languages = Languages(app)
    languages.switch("zh")
    devices = NoDevices()
    parts = assemble(settings, paths, devices, flow_overrides=FLOW_OVERRIDES)
    assert not parts.demo, "the soak runs as a configured kiosk, against its own emulator"
    window = MainWindow(flow_factory=parts.flow_factory, settings=StoredSettings(settings),
                        devices=devices, languages=languages, idle_ms=60_000)
    app.aboutToQuit.connect(window.shutdown)
    app.aboutToQuit.connect(parts.close)
    window.resize(1366, 768)
    window.show()
    h = Harness(window, paths, emulator, network, media, root, args.preview_seconds)
    report = open(args.report, "w", encoding="utf-8") if args.report else sys.stdout  # noqa: SIM115 - open until exit
    day = Day(h, seconds, 0, report)
    day.only = tuple(args.only or ())
    day.warmup = args.warmup or len(day.people())
    day.count_objects = args.objects
    settle_heap()
    drive(app, h, day)
    # Ctrl-C or a kill: end the day as if it were over, so the service and networks stop too.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    t0 = time.monotonic()
    app.exec()
    window.shutdown()
    parts.close()
    network.stop()
    emulator.stop()
    summary = summarize(day, time.monotonic() - t0)
    print(json.dumps(summary, ensure_ascii=False, indent=1), flush=True)
    if args.keep:
        print(f"kept: {root}", file=sys.stderr)
    else:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if not summary["violations"] else 1


def summarize(day: Day, elapsed: float) -> dict[str, Any]:
    s = day.sessions
    samples = [x.sample for x in s if x.sample]
    outcomes: dict[str, dict[str, int]] = {}
    for x in s:
        outcomes.setdefault(x.customer, {}).setdefault(str(x.outcome), 0)
        outcomes[x.customer][str(x.outcome)] += 1
    return {
        "seconds": round(elapsed, 1),
        "sessions": len(s),
        "crashes": 0,  # this line is printed by a process that is still alive
        "warmup_sessions": day.warmup,
        "outcomes": outcomes,
        "rss_mib": {"first": _mib(samples, 0), "after_warmup": _mib(samples, day.warmup - 1),
                    "last": _mib(samples, -1),
                    "max": round(max((x["rss_kb"] for x in samples), default=0) / 1024, 1)},
        "threads": {"first": _get(samples, 0, "threads"), "last": _get(samples, -1, "threads"),
                    "max": max((x["threads"] for x in samples), default=0)},
        "fds": {"first": _get(samples, 0, "fds"), "last": _get(samples, -1, "fds"),
                "max": max((x["fds"] for x in samples), default=0)},
        "refs": {"first": _get(samples, 0, "refs"), "last": _get(samples, -1, "refs")},
        "longest_stall_ms": max((x.longest_stall_ms for x in s), default=0.0),
        "longest_stall_where": max(s, key=lambda x: x.longest_stall_ms).stall_where if s else "",
        "preview_seconds": day.h.preview_s,
        "emulator_restarts": day.h.emulator.restarts,
        "violations": [f"session {x.n} ({x.customer}): {p}" for x in s for p in x.problems],
    }


def _mib(samples: list[dict[str, Any]], i: int) -> float | None:
    try:
        return round(samples[i]["rss_kb"] / 1024, 1)
    except IndexError:
        return None


def _get(samples: list[dict[str, Any]], i: int, key: str) -> Any:
    try:
        return samples[i][key]
    except IndexError:
        return None


if __name__ == "__main__":
    sys.exit(main())
