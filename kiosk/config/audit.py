"""The audit log: one SQLite row per verification, masked; never a full name, never media.

No verdict without its record: :meth:`AuditLog.record` writes the row to SQLite, waiting up to
``busy_timeout`` seconds for another process's lock; when the database cannot take it (locked
longer, damaged, a newer schema) the row goes to the journal beside it (kiosk.config.journal),
replayed at the next start and after the next row that reaches SQLite. Only when the journal
cannot be written either does it raise :class:`kiosk.errors.NotRecorded`, for the caller to show
next to the verdict.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import messages
from kiosk.config.atomic import SHARED, write_atomic
from kiosk.config.journal import Journal, journal_path
from kiosk.config.masking import is_masked_id, mask_id
from kiosk.config.paths import private_dir
from kiosk.errors import ConfigError, InputError, NotRecorded
from kiosk.fleet import outbox
from kiosk.texts import Message

log = logging.getLogger("kiosk.config.audit")

# declined: the person did not consent (nothing captured); limited: the attempt limit stopped
# the try before anything was captured (docs/outcomes.md).
OUTCOMES = ("pass", "fail", "refused", "blocked", "error", "cancelled", "declined", "limited")
SCHEMA_VERSION = 3  # 2: demo, uid (+ unique index); 3: consent, notice
# How long a row waits for another process's lock before it goes to the journal: long enough for
# any kiosk command's own writes (milliseconds), short enough that a person is not kept waiting.
BUSY_TIMEOUT_S = 3.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verifications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    time           TEXT    NOT NULL,   -- ISO 8601, UTC
    mode           TEXT    NOT NULL,   -- photo | card | idcard
    outcome        TEXT    NOT NULL,   -- pass | fail | refused | blocked | error | cancelled |
                                       -- declined | limited
    code           INTEGER,            -- service code, or the one a local check predicted
    predicted      INTEGER NOT NULL DEFAULT 0,  -- 1: blocked locally, nothing was sent
    similarity     REAL,
    live_status    INTEGER,
    compare_status INTEGER,
    session_id     TEXT,
    seq            TEXT,
    id_masked      TEXT,               -- first 6 and last 4 characters only
    durations      TEXT NOT NULL DEFAULT '{}',  -- JSON: step -> seconds
    demo           INTEGER NOT NULL DEFAULT 0,  -- 1: kiosk demo or the GUI's demo mode (emulator)
    uid            TEXT,               -- one per row, so a row replayed from the journal is kept once
    consent        TEXT NOT NULL DEFAULT '',  -- yes | guardian | no | '' (not asked: CLI, older rows)
    notice         TEXT NOT NULL DEFAULT ''   -- version of the consent notice the person saw
);
CREATE INDEX IF NOT EXISTS verifications_time ON verifications(time);
"""
# Columns added since schema 1, for files written by an older kiosk.
_ADDED = (("demo", "INTEGER NOT NULL DEFAULT 0"), ("uid", "TEXT"),
          ("consent", "TEXT NOT NULL DEFAULT ''"), ("notice", "TEXT NOT NULL DEFAULT ''"))


class _Unusable(ConfigError):
    """The database cannot take or give rows now; ``reason`` is the short cause for the log."""

    def __init__(self, reason: str, message: Message) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class AuditRecord:
    """One verification as the audit log keeps it. There is no field for a name or for media."""

    mode: str
    outcome: str
    code: int | None = None
    predicted: bool = False
    similarity: float | None = None
    live_status: int | None = None
    compare_status: int | None = None
    session_id: str = ""
    seq: str = ""
    id_masked: str = ""
    durations: dict[str, float] = field(default_factory=dict)
    demo: bool = False
    uid: str = ""
    consent: str = ""
    notice: str = ""
    time: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {self.outcome!r}")
        # Masked here whatever the caller passed, so a full number can never be stored.
        if self.id_masked and not is_masked_id(self.id_masked):
            self.id_masked = mask_id(self.id_masked)

    def to_json(self) -> dict[str, Any]:
        """The row as ``kiosk audit list --json`` prints it."""
        return asdict(self)


class StepTimer:
    """Measures each step of a verification on a monotonic clock, for the audit row."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.durations: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block; the time is recorded even when it raises."""
        start = self.clock()
        try:
            yield
        finally:
            elapsed = self.clock() - start
            self.durations[name] = round(self.durations.get(name, 0.0) + elapsed, 3)


class AuditLog:
    """The SQLite audit file; each call opens, writes and closes, so a crash loses at most one row."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time,
                 busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.clock = clock
        self.busy_timeout = busy_timeout
        self.journal = Journal(journal_path(path))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        new = not self.path.exists()
        try:
            private_dir(self.path.parent)
            if new:  # created readable by the user only, before SQLite opens it
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            con = sqlite3.connect(self.path, timeout=self.busy_timeout)
        except (OSError, sqlite3.Error) as exc:
            raise self._broken(exc) from None
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _Unusable(f"schema {version}",
                                messages.AUDIT_TOO_NEW(path=self.path, version=version))
            if version < SCHEMA_VERSION:  # reading a current file writes nothing
                _migrate(con)
            yield con
        except sqlite3.Error as exc:
            raise self._broken(exc) from None
        finally:
            con.close()

    def record(self, rec: AuditRecord) -> AuditRecord:
        """Store ``rec`` in SQLite, else queue it in the journal; NotRecorded when neither works.

        Fills in the time (now) and the uid unless given. Returns ``rec`` with its row id, or
        with ``id`` None when it was queued (it reaches SQLite at a later start).
        """
        if not rec.time:
            rec.time = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")
        if not rec.uid:
            rec.uid = uuid.uuid4().hex
        try:
            with self._connect() as con, con:
                rec.id = _insert(con, rec)
        except _Unusable as exc:
            self._queue(rec, exc)
            return rec
        if self.queued_bytes():  # the database takes rows again: bring the queued ones in
            try:
                self.replay()
            except (OSError, ConfigError) as exc:
                log.warning("audit journal not replayed yet (%s)", type(exc).__name__)
        return rec

    def _queue(self, rec: AuditRecord, cause: _Unusable) -> None:
        data = asdict(rec)
        data.pop("id")
        try:
            self.journal.append(data)
        except OSError as exc:
            why = f"database: {cause.reason}; journal: {exc.strerror or exc}"
            # INFO (the log file): the caller shows NotRecorded beside the verdict itself.
            log.info("audit row %s not recorded: %s", rec.uid[:8], why)
            raise NotRecorded(why) from None
        log.warning("audit log %s cannot be used now (%s): row %s queued in %s", self.path,
                    cause.reason, rec.uid[:8], self.journal.path)

    def replay(self) -> int:
        """Move the journal's rows into SQLite (each once, by uid); how many were new.

        ConfigError when the database still cannot take them: then they stay queued.
        """
        if not self.queued_bytes():
            return 0
        added = 0
        with self.journal.taken() as rows:
            records = [r for r in map(_from_journal, rows) if r is not None]
            if not records:
                return 0
            with self._connect() as con, con:
                for rec in records:
                    added += _insert(con, rec) is not None
        log.info("audit journal: %d queued rows written to %s (%d already there)", added,
                 self.path, len(records) - added)
        return added

    def queued(self) -> int:
        """How many rows wait in the journal for the database."""
        return self.journal.count()

    def queued_bytes(self) -> int:
        """The journal's size (0: nothing waits); one stat, cheap enough for every row."""
        try:
            return self.journal.path.stat().st_size
        except OSError:
            return 0

    def rows(self, since: datetime | None = None) -> list[AuditRecord]:
        """Rows in time order, from ``since`` (UTC when naive) on."""
        query = "SELECT * FROM verifications"
        params: tuple[Any, ...] = ()
        if since is not None:
            since = since if since.tzinfo else since.replace(tzinfo=UTC)
            query += " WHERE time >= ?"
            params = (since.astimezone(UTC).isoformat(timespec="seconds"),)
        query += " ORDER BY time, id"
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute(query, params).fetchall()
        return [_from_row(dict(r)) for r in rows]

    def export_csv(self, out: Path, since: datetime | None = None) -> int:
        """Write the rows to ``out`` as CSV (atomically); returns how many."""
        rows = self.rows(since)
        columns = [f.name for f in fields(AuditRecord)]
        columns = ["id", "time", *[c for c in columns if c not in ("id", "time")]]
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, fieldnames=columns)
        writer.writeheader()
        for rec in rows:
            data = rec.to_json()
            data["durations"] = json.dumps(rec.durations, sort_keys=True)
            data["predicted"] = int(rec.predicted)
            data["demo"] = int(rec.demo)
            writer.writerow(data)
        try:
            write_atomic(out, text.getvalue().encode("utf-8"), mode=SHARED, sync=False)
        except OSError as exc:
            raise InputError(messages.CANNOT_WRITE_EXPORT(
                path=out, kind=type(exc).__name__, error=exc.strerror or exc)) from None
        return len(rows)

    def _broken(self, exc: Exception) -> _Unusable:
        return _Unusable(f"{type(exc).__name__}: {exc}", messages.AUDIT_UNUSABLE(
            path=self.path, kind=type(exc).__name__, error=exc))


_COLUMNS = tuple(f.name for f in fields(AuditRecord) if f.name != "id")
_INSERT = (f"INSERT OR IGNORE INTO verifications ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join(':' + c for c in _COLUMNS)})")


def _insert(con: sqlite3.Connection, rec: AuditRecord) -> int | None:
    """Insert ``rec`` unless its uid is stored already; the row id (None: it was there)."""
    row = asdict(rec)
    row.pop("id")
    row["durations"] = json.dumps(rec.durations, sort_keys=True)
    row["predicted"] = int(rec.predicted)
    row["demo"] = int(rec.demo)
    cur = con.execute(_INSERT, row)
    if not cur.rowcount:
        return None
    outbox.enqueue(con, row)  # same transaction: in the fleet's outbox too, once joined
    return cur.lastrowid


def _migrate(con: sqlite3.Connection) -> None:
    """Create the table, or bring a file of an older schema up to this one (keeping its rows)."""
    with con:
        con.executescript(_SCHEMA)
        have = {r[1] for r in con.execute("PRAGMA table_info(verifications)")}
        for name, decl in _ADDED:
            if name not in have:
                con.execute(f"ALTER TABLE verifications ADD COLUMN {name} {decl}")
        con.execute("CREATE UNIQUE INDEX IF NOT EXISTS verifications_uid ON verifications(uid)")
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _from_journal(row: dict[str, Any]) -> AuditRecord | None:
    """A journal line back as a record (validated and masked again); None when it is not one."""
    try:
        values = {name: row[name] for name in _COLUMNS if name in row}
        rec = AuditRecord(**values)
        rec.durations = {str(k): float(v) for k, v in dict(rec.durations).items()}
    except (TypeError, ValueError) as exc:
        log.warning("audit journal: a row that is not one was skipped (%s)", exc)
        return None
    return rec if rec.uid and rec.time and rec.mode else None


def _from_row(row: dict[str, Any]) -> AuditRecord:
    try:
        durations = json.loads(row.get("durations") or "{}")
    except ValueError:
        durations = {}
    row["durations"] = durations if isinstance(durations, dict) else {}
    row["predicted"] = bool(row.get("predicted"))
    row["demo"] = bool(row.get("demo"))
    for key in ("session_id", "seq", "id_masked", "uid", "consent", "notice"):
        row[key] = row.get(key) or ""
    values: dict[str, Any] = {f.name: row.get(f.name) for f in fields(AuditRecord)}
    return AuditRecord(**values)
