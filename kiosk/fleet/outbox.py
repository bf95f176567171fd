"""The kiosk's outbox: audit rows waiting for the fleet service, in the audit log's SQLite file.

``kiosk fleet join`` creates the table; from then on :func:`enqueue` puts each new audit row in it
inside the audit row's own transaction (kiosk.config.audit), so a row is in both or in neither.
The sender (kiosk.fleet.sender) reads them in order and deletes what the service acknowledged.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.fleet.protocol import row_from_audit

TABLE = "fleet_outbox"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order rows are sent in
    uid      TEXT NOT NULL UNIQUE,               -- the audit row's uid: the service keeps it once
    payload  TEXT NOT NULL,                      -- JSON, the fields of kiosk.fleet.protocol
    refused  TEXT NOT NULL DEFAULT ''            -- the service's 422 reason: never sent again
);
"""
BUSY_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Pending:
    """One row waiting: its order, uid and the fields to send."""

    seq: int
    uid: str
    payload: dict[str, Any]

    def to_send(self) -> dict[str, Any]:
        """The row as the service takes it, with its place in this kiosk's order."""
        return {**self.payload, "seq": self.seq}


def create(con: sqlite3.Connection) -> None:
    """Create the outbox table (joining a fleet); nothing when it exists."""
    with con:
        con.executescript(_SCHEMA)


def enabled(con: sqlite3.Connection) -> bool:
    """True when this audit file has an outbox (the kiosk joined a fleet)."""
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (TABLE,)).fetchone() is not None


def enqueue(con: sqlite3.Connection, row: Mapping[str, Any]) -> None:
    """The audit log's hook: queue ``row`` in the caller's transaction, when there is an outbox."""
    if enabled(con):
        con.execute(f"INSERT OR IGNORE INTO {TABLE} (uid, payload) VALUES (?, ?)",
                    (row["uid"], json.dumps(row_from_audit(row), sort_keys=True)))


class Outbox:
    """The outbox of one audit file, for the sender and ``kiosk fleet status``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)

    def create(self) -> None:
        """Create the table in the audit file (and the file, readable by the user only)."""
        from kiosk.config.audit import AuditLog

        if not self.path.exists():
            AuditLog(self.path).rows()  # makes the file, private, with the audit table
        con = self._connect()
        try:
            create(con)
        finally:
            con.close()

    def take(self, limit: int) -> list[Pending]:
        """The oldest ``limit`` rows not refused, in order."""
        con = self._connect()
        try:
            if not enabled(con):
                return []
            rows = con.execute(f"SELECT seq, uid, payload FROM {TABLE} WHERE refused = '' "
                               "ORDER BY seq LIMIT ?", (limit,)).fetchall()
        finally:
            con.close()
        return [Pending(seq, uid, json.loads(payload)) for seq, uid, payload in rows]

    def delivered(self, seqs: list[int]) -> None:
        """Remove rows the service acknowledged."""
        self._update(f"DELETE FROM {TABLE} WHERE seq = ?", [(s,) for s in seqs])

    def refuse(self, seq: int, reason: str) -> None:
        """Keep a row the service refused, with why, and never send it again."""
        self._update(f"UPDATE {TABLE} SET refused = ? WHERE seq = ?", [(reason[:500], seq)])

    def _update(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        con = self._connect()
        try:
            with con:
                con.executemany(sql, params)
        finally:
            con.close()

    def counts(self) -> tuple[int, int]:
        """(waiting, refused)."""
        if not self.path.exists():
            return 0, 0
        con = self._connect()
        try:
            if not enabled(con):
                return 0, 0
            waiting, refused = con.execute(
                f"SELECT COALESCE(SUM(refused = ''), 0), COALESCE(SUM(refused != ''), 0) "
                f"FROM {TABLE}").fetchone()
        finally:
            con.close()
        return int(waiting), int(refused)
