"""The audit log: one SQLite row per verification, masked; never a full name, never media."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config.masking import is_masked_id, mask_id
from kiosk.config.paths import private_dir
from kiosk.errors import ConfigError, InputError

OUTCOMES = ("pass", "fail", "refused", "blocked", "error", "cancelled")
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verifications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    time           TEXT    NOT NULL,   -- ISO 8601, UTC
    mode           TEXT    NOT NULL,   -- photo | card | idcard
    outcome        TEXT    NOT NULL,   -- pass | fail | refused | blocked | error | cancelled
    code           INTEGER,            -- service code, or the one a local check predicted
    predicted      INTEGER NOT NULL DEFAULT 0,  -- 1: blocked locally, nothing was sent
    similarity     REAL,
    live_status    INTEGER,
    compare_status INTEGER,
    session_id     TEXT,
    seq            TEXT,
    id_masked      TEXT,               -- first 6 and last 4 characters only
    durations      TEXT NOT NULL DEFAULT '{}'  -- JSON: step -> seconds
);
CREATE INDEX IF NOT EXISTS verifications_time ON verifications(time);
"""


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

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        new = not self.path.exists()
        try:
            private_dir(self.path.parent)
            if new:  # created readable by the user only, before SQLite opens it
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            con = sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise self._broken(exc) from None
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ConfigError(
                    f"the audit log {self.path} was written by a newer kiosk (schema {version})",
                    f"审计日志 {self.path} 由更新版本的程序写入",
                    fix_en="update the kiosk, or move the file away to start a new log",
                    fix_zh="请升级程序，或移走该文件以新建审计日志",
                )
            with con:
                con.executescript(_SCHEMA)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            yield con
        except sqlite3.Error as exc:
            raise self._broken(exc) from None
        finally:
            con.close()

    def record(self, rec: AuditRecord) -> AuditRecord:
        """Append ``rec`` (time filled in now unless given); returns it with its row id."""
        if not rec.time:
            rec.time = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")
        row = asdict(rec)
        row.pop("id")
        row["durations"] = json.dumps(rec.durations, sort_keys=True)
        row["predicted"] = int(rec.predicted)
        names = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        with self._connect() as con, con:
            cur = con.execute(f"INSERT INTO verifications ({names}) VALUES ({marks})", row)
            rec.id = cur.lastrowid
        return rec

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
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns)
                writer.writeheader()
                for rec in rows:
                    data = rec.to_json()
                    data["durations"] = json.dumps(rec.durations, sort_keys=True)
                    data["predicted"] = int(rec.predicted)
                    writer.writerow(data)
            os.replace(tmp, out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InputError(
                f"cannot write {out} ({type(exc).__name__}: {exc.strerror or exc})",
                f"无法写入 {out}",
                fix_en="choose a folder you can write to",
                fix_zh="请选择有写权限的文件夹",
            ) from None
        return len(rows)

    def _broken(self, exc: Exception) -> ConfigError:
        return ConfigError(
            f"the audit log {self.path} cannot be used ({type(exc).__name__}: {exc})",
            f"无法使用审计日志 {self.path}（{exc}）",
            fix_en="check the disk and the file's permissions; if it is damaged, move it away "
            "(it is not replaced automatically)",
            fix_zh="请检查磁盘和文件权限；若文件已损坏，请将其移走（程序不会自动覆盖）",
        )


def _from_row(row: dict[str, Any]) -> AuditRecord:
    try:
        durations = json.loads(row.get("durations") or "{}")
    except ValueError:
        durations = {}
    row["durations"] = durations if isinstance(durations, dict) else {}
    row["predicted"] = bool(row.get("predicted"))
    for key in ("session_id", "seq", "id_masked"):
        row[key] = row.get(key) or ""
    values: dict[str, Any] = {f.name: row.get(f.name) for f in fields(AuditRecord)}
    return AuditRecord(**values)
