"""Load and fault test of the fleet service: N kiosks against `kiosk fleet serve --workers 2` on a
private PostgreSQL cluster (127.0.0.1 only).

Each simulated kiosk is the real kiosk code: its own audit SQLite file with the outbox
(kiosk.config.AuditLog), and a kiosk.fleet.sender.Sender that signs and sends. A heartbeat every
60 s and one audit row every 20 s per kiosk. The fault run kills the service at a quarter of the
run for --down seconds (at most half the run), and restarts PostgreSQL once, halfway between the
service's return and the end, so the cut lands while kiosks send to a running service. Then
every outbox is drained, and the rows the service holds are compared with the rows the kiosks
recorded: none may be missing, none counted twice.

    python tests/benchmarks/bench_fleet_load.py                      # 500 kiosks, 10 min, then faults
    python tests/benchmarks/bench_fleet_load.py --kiosks 100 --minutes 2 --down 60 --faults-only
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "fleet")]

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from pgcluster import Cluster, wait_port  # noqa: E402

from kiosk.config import AuditLog, AuditRecord, Paths  # noqa: E402
from kiosk.fleet.membership import Membership  # noqa: E402
from kiosk.fleet.outbox import Outbox  # noqa: E402
from kiosk.fleet.sender import Sender  # noqa: E402
from kiosk.fleet.service import db, store  # noqa: E402
from kiosk.fleet.service.local import free_port  # noqa: E402

OUTCOMES = ["pass"] * 7 + ["refused", "fail", "error"]


def cpu_seconds(pids: set[int]) -> float:
    """utime + stime of these processes and all their descendants, now."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    keep, grew = set(pids), True
    while grew:
        more = {pid for pid, (ppid, _) in stats.items() if ppid in keep} - keep
        keep |= more
        grew = bool(more)
    return sum(stats[p][1] for p in keep if p in stats)


class Kiosk:
    """One simulated kiosk: a real audit log with its outbox, and a real sender."""

    def __init__(self, root: Path, member: Membership, latencies: list[float],
                 replies: list[tuple[float, int]]) -> None:
        self.paths = Paths.under(root)
        self.log = AuditLog(self.paths.audit_db)
        Outbox(self.paths.audit_db).create()
        session = requests.Session()

        def seen(r: requests.Response, *a: Any, **k: Any) -> None:
            if r.request.path_url.endswith("/audit"):
                replies.append((time.monotonic(), r.status_code))  # list.append: thread-safe
                if r.status_code == 200:
                    latencies.append(r.elapsed.total_seconds())
        session.hooks["response"].append(seen)
        self.sender = Sender(self.paths, member, session=session, timeout=(3, 10),
                             beat=lambda now, waiting: {"version": "load", "time": now,
                                                        "camera": "OK", "microphone": "OK",
                                                        "service": "OK", "disk_free_mb": 1e5,
                                                        "last_error": "", "outbox": waiting})
        self.recorded: list[str] = []
        self.n = 0
        self.lock = threading.Lock()

    def row(self) -> None:
        with self.lock:
            self.n += 1
            rec = self.log.record(AuditRecord(mode="photo", outcome=OUTCOMES[self.n % 10],
                                              code=-5015 if self.n % 10 == 7 else None,
                                              seq=f"s{self.n}", id_masked="11010519491231002X"))
            self.recorded.append(rec.uid)
            self.sender.flush()

    def beat(self) -> None:
        with self.lock:
            self.sender.heartbeat()


def start_service(url: str, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "fleet", "serve", "--db", url,
                             "--port", str(port), "--workers", "2"], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    wait_port(port, 30)
    return proc


def stop_service(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    os.killpg(proc.pid, sig)
    proc.wait(30)


def run(args: argparse.Namespace, cluster: Cluster, name: str, faults: bool) -> dict[str, Any]:
    url = cluster.create_db(name)
    engine = db.make_engine(url, pool_size=1)
    db.migrate(engine)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_service(url, port)
    work = Path(tempfile.mkdtemp(prefix=f"fleet-{name}-"))
    latencies: list[float] = []
    replies: list[tuple[float, int]] = []
    kiosks = []
    with engine.begin() as con:
        tokens = [store.issue_token(con, f"branch-{i % 20:02d}", store.utc("2000-01-01T00:00:00"),
                                    hours=24 * 365 * 100) for i in range(args.kiosks)]
    for i, token in enumerate(tokens):
        joined = requests.post(base + "/api/v1/join", json={"token": token}, timeout=30).json()
        kiosks.append(Kiosk(work / f"k{i}", Membership(base, joined["kiosk_id"], joined["branch"],
                                                       joined["key"]), latencies, replies))
    cpu_before = cpu_seconds({proc.pid})
    duration = args.minutes * 60
    start = time.monotonic()
    # Spread each kiosk's first row and heartbeat over the period, as real kiosks would be.
    events = [(start + (i * 20 / args.kiosks), i, "row") for i in range(args.kiosks)]
    events += [(start + (i * 60 / args.kiosks), i, "beat") for i in range(args.kiosks)]
    heapq.heapify(events)
    # The service is killed at 1/4 of the run for --down seconds (at most half the run), and
    # PostgreSQL restarted halfway between the service's return and the end: the kiosks are
    # sending to a running service when their database connections are cut.
    down = min(args.down, duration / 2)
    kill_at = start + duration / 4 if faults else None
    pg_restart_at = start + duration / 4 + down + (duration * 3 / 4 - down) / 2 if faults else None
    restarted_at = None
    back_at = None
    notes = []
    pool = ThreadPoolExecutor(args.threads)
    while events and events[0][0] < start + duration:
        at, i, kind = heapq.heappop(events)
        time.sleep(max(0.0, at - time.monotonic()))
        now = time.monotonic()
        if kill_at and now >= kill_at:
            stop_service(proc, signal.SIGKILL)
            notes.append(f"service killed at {now - start:.0f} s")
            kill_at, back_at = None, now + down
        if back_at and now >= back_at:
            proc = start_service(url, port)
            notes.append(f"service back at {time.monotonic() - start:.0f} s")
            back_at = None
        if pg_restart_at and now >= pg_restart_at and not back_at:
            cluster.restart()
            restarted_at = time.monotonic()
            notes.append(f"PostgreSQL restarted at {restarted_at - start:.0f} s")
            pg_restart_at = None
        pool.submit(kiosks[i].row if kind == "row" else kiosks[i].beat)
        heapq.heappush(events, (at + (20 if kind == "row" else 60), i, kind))
    pool.shutdown(wait=True)
    if back_at:  # the run ended while it was down: back before the drain
        proc = start_service(url, port)
        notes.append(f"service back at {time.monotonic() - start:.0f} s (after the run)")
    cpu = cpu_seconds({proc.pid}) - cpu_before if not faults else None
    drain_start = time.monotonic()
    waiting = args.kiosks
    while waiting and time.monotonic() - drain_start < 300:
        with ThreadPoolExecutor(args.threads) as drain:
            list(drain.map(lambda k: k.sender.flush(), kiosks))
        waiting = sum(Outbox(k.paths.audit_db).counts()[0] > 0 for k in kiosks)
    sent = {uid for k in kiosks for uid in k.recorded}
    sent_count = sum(len(k.recorded) for k in kiosks)
    with engine.connect() as con:
        got = con.execute(sa.text("SELECT count(*), count(DISTINCT uid) FROM audit")).one()
        uids = {u for (u,) in con.execute(sa.text("SELECT uid FROM audit"))}
        size = con.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
        beats = con.execute(sa.text("SELECT count(*) FROM kiosks WHERE hb_at IS NOT NULL")).scalar()
    stop_service(proc)
    engine.dispose()
    lat = sorted(latencies)
    restart = {}
    if restarted_at is not None:
        before = [c for t, c in replies if restarted_at - 10 <= t < restarted_at]
        after = [(t, c) for t, c in replies if restarted_at <= t < restarted_at + 30]
        ok = [t for t, c in after if c == 200]
        restart = {"audit_calls_10s_before_pg_restart": len(before),
                   "audit_calls_30s_after_pg_restart": len(after),
                   "audit_503_30s_after_pg_restart": sum(c == 503 for _, c in after),
                   "first_200_after_pg_restart_s": round(ok[0] - restarted_at, 2) if ok else None}
    return {
        "run": name, "kiosks": args.kiosks, "minutes": args.minutes, "notes": notes,
        "rows_sent": sent_count, "rows_received": got[0], "lost": len(sent - uids),
        "duplicates": got[0] - got[1] + (sent_count - len(sent)), "unknown": len(uids - sent),
        "kiosks_with_heartbeat": beats,
        "ingest_p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
        "ingest_p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 1) if lat else None,
        "db_size_mb": round(size / 2**20, 1),
        "service_cpu_s": None if cpu is None else round(cpu, 1),
        "service_cpu_pct_of_one_core": None if cpu is None else round(100 * cpu / duration, 1),
        "drain_s": round(time.monotonic() - drain_start, 1),
        **restart,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kiosks", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--down", type=float, default=120, help="seconds the service is killed")
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--faults-only", action="store_true", help="skip the steady run")
    args = parser.parse_args()
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    cluster = Cluster()
    results = []
    try:
        if not args.faults_only:
            results.append(run(args, cluster, "steady", faults=False))
            print(json.dumps(results[-1]), flush=True)
        if not args.no_faults:
            results.append(run(args, cluster, "faults", faults=True))
            print(json.dumps(results[-1]), flush=True)
    finally:
        cluster.close()
    bad = [r for r in results if r["lost"] or r["duplicates"] or r["rows_sent"] != r["rows_received"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
