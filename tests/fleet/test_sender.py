"""The kiosk's side: the outbox beside the audit row, the sender's order, retries and refusals."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from kiosk.config import AuditLog, AuditRecord, Paths, Settings
from kiosk.fleet import membership
from kiosk.fleet.membership import Membership
from kiosk.fleet.outbox import Outbox
from kiosk.fleet.sender import Round, Sender, start_background
from kiosk.fleet.service.local import free_port

from .conftest import Service


def joined(service: Service, tmp_path: Path) -> tuple[Paths, Membership]:
    paths = Paths.under(tmp_path / "kiosk")
    member = membership.join(paths, service.url, service.token("branch-7"))
    return paths, member


def record(paths: Paths, n: int, **extra: Any) -> list[AuditRecord]:
    log = AuditLog(paths.audit_db, clock=lambda: 1_800_000_000.0)
    return [log.record(AuditRecord(mode="photo", outcome="pass", seq=f"seq{i}",
                                   id_masked="11010519491231002X", **extra)) for i in range(n)]


def quiet(now: float, waiting: int) -> dict[str, Any]:
    return {"version": "t", "time": now, "camera": "OK", "microphone": "OK", "service": "OK",
            "disk_free_mb": 100.0, "last_error": "", "outbox": waiting}


def sender(paths: Paths, member: Membership, service: Service, **kw: Any) -> Sender:
    return Sender(paths, member, clock=service.clock, beat=quiet, **kw)


def test_a_row_enters_the_outbox_with_the_audit_row_once_joined(sqlite_service: Service,
                                                                 tmp_path: Path) -> None:
    alone = Paths.under(tmp_path / "alone")
    record(alone, 1)
    con = sqlite3.connect(alone.audit_db)
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'fleet_outbox'").fetchone() == (0,)
    paths, _ = joined(sqlite_service, tmp_path)
    rows = record(paths, 2)
    waiting = Outbox(paths.audit_db).take(10)
    assert [p.uid for p in waiting] == [r.uid for r in rows]
    sent = waiting[0].to_send()
    assert sent["id_masked"] == "110105********002X" and sent["reference"] == "seq0"
    assert sent["seq"] == waiting[0].seq and "name" not in json.dumps(sent)


def test_offline_for_days_then_everything_arrives_in_order_and_once(sqlite_service: Service,
                                                                     tmp_path: Path) -> None:
    paths, member = joined(sqlite_service, tmp_path)
    rows = record(paths, 30)
    offline = Membership(f"http://127.0.0.1:{free_port()}", member.kiosk_id, member.branch,
                         member.key)
    gone = sender(paths, offline, sqlite_service).flush()
    assert gone.failed and gone.sent == 0 and Outbox(paths.audit_db).counts() == (30, 0)
    sqlite_service.clock.now += 3 * 86400  # days later; the signature is made when sending
    back = sender(paths, member, sqlite_service, batch=7).flush()
    assert (back.sent, back.failed) == (30, False)
    stored = sqlite_service.query("SELECT uid FROM audit ORDER BY seq")
    assert [u for (u,) in stored] == [r.uid for r in rows]
    # A reply lost on the way: the kiosk sends the same rows again; the service keeps them once.
    con = sqlite3.connect(paths.audit_db)
    with con:
        for r in rows[:5]:
            payload = {"uid": r.uid, "time": r.time, "mode": "photo", "outcome": "pass",
                       "id_masked": "110105********002X"}
            con.execute("INSERT INTO fleet_outbox (uid, payload) VALUES (?, ?)",
                        (r.uid, json.dumps(payload)))
    again = sender(paths, member, sqlite_service).flush()
    assert again.sent == 5
    assert sqlite_service.query("SELECT count(*), count(DISTINCT uid) FROM audit") == [(30, 30)]


def test_a_revoked_key_gets_401_and_the_rows_stay(sqlite_service: Service, tmp_path: Path) -> None:
    paths, member = joined(sqlite_service, tmp_path)
    record(paths, 3)
    with sqlite_service.engine.begin() as con:
        from kiosk.fleet.service import store

        store.revoke(con, member.kiosk_id, sqlite_service.ctx.now())
    s = sender(paths, member, sqlite_service)
    done = s.flush()
    assert done.failed and done.status == "HTTP 401"
    assert Outbox(paths.audit_db).counts() == (3, 0)
    assert s.backoff(done) >= 1.6  # and it waits longer each time
    assert s.backoff(done) > 3.0


def test_a_refused_row_is_logged_kept_aside_and_not_sent_again(sqlite_service: Service,
                                                               tmp_path: Path) -> None:
    paths, member = joined(sqlite_service, tmp_path)
    rows = record(paths, 3)
    con = sqlite3.connect(paths.audit_db)
    with con:  # a row that an older kiosk built with a field the service does not know
        payload = json.loads(con.execute("SELECT payload FROM fleet_outbox WHERE uid = ?",
                                         (rows[1].uid,)).fetchone()[0])
        con.execute("UPDATE fleet_outbox SET payload = ? WHERE uid = ?",
                    (json.dumps({**payload, "photo_path": "x.jpg"}), rows[1].uid))
    done = sender(paths, member, sqlite_service).flush()
    assert (done.sent, done.refused, done.failed) == (2, 1, False)
    assert Outbox(paths.audit_db).counts() == (0, 1)
    reason = con.execute("SELECT refused FROM fleet_outbox").fetchone()[0]
    assert reason.startswith("rows[0].photo_path: unknown field")
    assert sender(paths, member, sqlite_service).flush().sent == 0  # not tried forever


def test_retry_after_is_honoured() -> None:
    s = Sender(Paths.under(Path("/nonexistent")), Membership("http://127.0.0.1:1", "k", "b", "x"))
    assert s.backoff(Round(failed=True, retry_after=40)) >= 40
    assert s.backoff(Round()) == 5.0 and s.failures == 0


def test_a_hanging_service_costs_the_verification_nothing(tmp_path: Path) -> None:
    """The sender waits on a service that never answers; recording a verdict does not."""
    with socket.socket() as hang:
        hang.bind(("127.0.0.1", 0))
        hang.listen(16)  # accepts connections (the backlog) and never replies
        port = hang.getsockname()[1]
        paths = Paths.under(tmp_path / "kiosk")
        membership.save(paths, Membership(f"http://127.0.0.1:{port}", "k1", "b", "key"))
        Outbox(paths.audit_db).create()
        background = start_background(paths)
        assert background is not None
        try:
            time.sleep(0.2)  # the sender is now blocked in its first call
            start = time.monotonic()
            record(paths, 5)
            took = time.monotonic() - start
            assert took < 1.0, took
            assert Outbox(paths.audit_db).counts() == (5, 0)
        finally:
            background.stop_event.set()
            background.wake()


def test_the_heartbeat_reaches_the_page_data(sqlite_service: Service, tmp_path: Path) -> None:
    paths, member = joined(sqlite_service, tmp_path)
    record(paths, 2)
    Settings(paths, env={}).assign("endpoint", sqlite_service.url)  # probed: 127.0.0.1 only
    s = Sender(paths, member, clock=sqlite_service.clock)  # the real health probes
    assert s.heartbeat()
    (camera, service, disk, outbox, error), = sqlite_service.query(
        "SELECT camera, service, disk_free_mb, outbox, last_error FROM kiosks")
    assert camera in ("OK", "WARN", "FAIL") and service == "OK"
    assert disk is not None and disk > 0 and outbox == 2 and error == ""


def test_no_fleet_no_thread(tmp_path: Path) -> None:
    before = sum(t.name == "fleet-sender" for t in threading.enumerate())
    assert start_background(Paths.under(tmp_path)) is None
    assert sum(t.name == "fleet-sender" for t in threading.enumerate()) == before
