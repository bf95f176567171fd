"""No verdict without its record: a locked, damaged, full or read-only audit database loses no row.

A row goes to SQLite (waiting a bounded time for a lock), else to the append-only journal next to
it, replayed into SQLite at the next start or the next row that reaches the database; when neither
can be written the caller gets NotRecorded (exit 2) and says so next to the verdict.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from kiosk.config import AuditLog, AuditRecord, Paths
from kiosk.config.audit import SCHEMA_VERSION, journal_path
from kiosk.config.housekeeping import run as housekeeping
from kiosk.errors import KioskError, NotRecorded
from tests.support.disks import LockHolder, fill, read_only, small_tmpfs


def row(seq: str, outcome: str = "pass") -> AuditRecord:
    return AuditRecord(mode="idcard", outcome=outcome, code=0, similarity=91.0, seq=seq,
                       id_masked="11010519491231002X", durations={"upload": 1.0})


def seqs(log: AuditLog) -> list[str]:
    return [r.seq for r in log.rows()]


def test_a_lock_released_within_the_bound_is_waited_for(paths: Paths) -> None:
    log = AuditLog(paths.audit_db, busy_timeout=5.0)
    log.record(row("first"))
    holder = LockHolder(paths.audit_db)
    import threading

    threading.Timer(0.5, holder.release).start()
    started = time.monotonic()
    rec = log.record(row("second"))
    waited = time.monotonic() - started
    holder.__exit__()
    assert rec.id is not None and 0.3 < waited < 5.0
    assert seqs(log) == ["first", "second"]
    assert not journal_path(paths.audit_db).exists()


def test_a_lock_held_past_the_bound_queues_the_row_then_it_lands_once(paths: Paths) -> None:
    log = AuditLog(paths.audit_db, busy_timeout=0.3)
    log.record(row("first"))
    with LockHolder(paths.audit_db):
        started = time.monotonic()
        rec = log.record(row("locked"))  # returns: queued durably, not lost, not an error
        assert time.monotonic() - started < 3.0
        assert rec.id is None and rec.uid
        journal = journal_path(paths.audit_db)
        assert stat.S_IMODE(journal.stat().st_mode) == 0o600
        (line,) = journal.read_text(encoding="utf-8").splitlines()
        assert json.loads(line)["seq"] == "locked" and "11010519491231002X" not in line
        assert log.queued() == 1
    housekeeping(paths)  # the next start of any command
    assert seqs(log) == ["first", "locked"]
    assert log.queued() == 0
    housekeeping(paths)
    assert seqs(log) == ["first", "locked"]


def test_the_next_row_that_reaches_the_database_brings_the_queued_ones(paths: Paths) -> None:
    log = AuditLog(paths.audit_db, busy_timeout=0.2)
    assert log.rows() == []
    with LockHolder(paths.audit_db):
        log.record(row("queued"))
    log.record(row("after"))
    assert sorted(seqs(log)) == ["after", "queued"]
    assert log.queued() == 0


def test_replay_is_idempotent_even_when_cut_before_the_journal_is_emptied(paths: Paths) -> None:
    log = AuditLog(paths.audit_db, busy_timeout=0.2)
    log.record(row("a"))
    with LockHolder(paths.audit_db):
        log.record(row("b"))
        log.record(row("c"))
    journal = journal_path(paths.audit_db)
    saved = journal.read_bytes()
    assert log.replay() == 2
    journal.write_bytes(saved)  # as if the process died between the commit and the truncate
    journal.chmod(0o600)
    assert log.replay() == 0
    assert seqs(log) == ["a", "b", "c"]
    assert len({r.uid for r in log.rows()}) == 3


def test_a_torn_last_line_is_skipped_and_the_rest_kept(paths: Paths, caplog) -> None:
    log = AuditLog(paths.audit_db, busy_timeout=0.2)
    log.record(row("a"))
    with LockHolder(paths.audit_db):
        log.record(row("b"))
    journal = journal_path(paths.audit_db)
    with journal.open("ab") as fh:
        fh.write(b'{"mode": "idcard", "outc')  # a write cut by a power loss
    with caplog.at_level("WARNING"):
        assert log.replay() == 1
    assert seqs(log) == ["a", "b"] and "damaged line" in caplog.text


def test_a_damaged_database_queues_rows_until_it_is_moved_away(paths: Paths, caplog) -> None:
    db = paths.audit_db
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    log = AuditLog(db)
    with caplog.at_level("WARNING"):
        rec = log.record(row("while-damaged"))
    assert rec.id is None and log.queued() == 1
    assert db.read_bytes() == before  # never replaced
    assert "queued" in caplog.text and str(db) in caplog.text
    housekeeping(paths)  # still damaged: the row waits
    assert log.queued() == 1
    db.rename(db.with_name("audit.damaged"))  # what the operator is told to do
    housekeeping(paths)
    assert seqs(log) == ["while-damaged"] and log.queued() == 0


def test_a_full_disk_is_not_recorded_and_says_so(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        paths = Paths.under(disk / "kiosk")
        log = AuditLog(paths.audit_db)
        log.record(row("before"))
        filler = fill(disk)
        with pytest.raises(NotRecorded) as info:
            log.record(row("full"))
        exc = info.value
        assert isinstance(exc, KioskError) and exc.exit_code == 2
        assert "not recorded" in exc.en and "未记录" in exc.zh and exc.fix_en
        journal = journal_path(paths.audit_db)
        assert not journal.exists() or journal.read_bytes() == b""  # no torn line left
        filler.unlink()
        log.record(row("after"))
        assert seqs(log) == ["before", "after"]


def test_a_read_only_disk_is_not_recorded(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        paths = Paths.under(disk / "kiosk")
        log = AuditLog(paths.audit_db)
        log.record(row("before"))
        read_only(disk)
        with pytest.raises(NotRecorded):
            log.record(row("ro"))


def test_a_version_1_database_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE verifications (
            id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, mode TEXT NOT NULL,
            outcome TEXT NOT NULL, code INTEGER, predicted INTEGER NOT NULL DEFAULT 0,
            similarity REAL, live_status INTEGER, compare_status INTEGER, session_id TEXT,
            seq TEXT, id_masked TEXT, durations TEXT NOT NULL DEFAULT '{}');
        INSERT INTO verifications (time, mode, outcome, seq)
            VALUES ('2026-01-01T00:00:00+00:00', 'photo', 'pass', 'old');
        PRAGMA user_version = 1;
    """)
    con.close()
    log = AuditLog(db)
    log.record(AuditRecord(mode="idcard", outcome="fail", seq="new", demo=True))
    old, new = log.rows()
    assert (old.seq, old.demo, old.uid) == ("old", False, "")
    assert (new.seq, new.demo) == ("new", True) and len(new.uid) == 32
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    con.close()

