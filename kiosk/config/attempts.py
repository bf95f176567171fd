"""The attempt limit: after N not-verified results for one person within a window, no more tries.

Repeated tries with the same ID are how a spoof is tuned, and every call costs a fee. So the kiosk
counts "not verified" verdicts per person and, once ``limit`` of them fall within ``window_s``,
refuses to start another verification for that person until the window has passed or an operator
resets it (docs/outcomes.md, "The attempt limit"). The counts live in a small SQLite file beside the audit log, so a
restart does not clear them.

Only a keyed hash of the ID number is stored: scrypt with a random per-installation key kept in a
separate 0600 file. The ID space is small (a birth date, a region, a serial), so a plain hash
could be reversed by trying every number; the key and scrypt's cost make that impractical for
someone holding only the counts file.

A store that cannot be used (locked, full disk, damaged) never blocks a verification: the limit
is a guard against abuse, not part of the verdict. The failure is logged and the tries go on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.config.paths import Paths, private_dir

log = logging.getLogger("kiosk.config.attempts")

DEFAULT_LIMIT = 3
DEFAULT_WINDOW_S = 600.0
FILE = "attempts.sqlite3"
KEY_FILE = "attempts.key"
# scrypt costs: about 50 ms per hash on the 2-core build machine, paid once per verification.
_N, _R, _P = 2**13, 8, 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS failures (person TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_person ON failures(person, at);
"""


@dataclass(frozen=True)
class Lockout:
    """A person who may not try again yet."""

    failures: int
    until: float  # the clock's time at which the oldest counted failure leaves the window

    def seconds_left(self, now: float) -> float:
        """How long until the next try is allowed."""
        return max(0.0, self.until - now)


class AttemptLimit:
    """Counts not-verified results per person (by keyed hash) and says who is locked out."""

    def __init__(self, path: Path, key_path: Path, *, limit: int = DEFAULT_LIMIT,
                 window_s: float = DEFAULT_WINDOW_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.key_path = key_path
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._key: bytes | None = None

    @classmethod
    def of(cls, paths: Paths, *, limit: int = DEFAULT_LIMIT,
           window_s: float = DEFAULT_WINDOW_S) -> AttemptLimit:
        """The counts of this installation, beside the audit log."""
        folder = paths.audit_db.parent
        return cls(folder / FILE, folder / KEY_FILE, limit=limit, window_s=window_s)

    @property
    def enabled(self) -> bool:
        """False when the limit is switched off (limit 0)."""
        return self.limit > 0

    # ---- the three questions the flow and the operator ask -----------------------------------

    def check(self, person: str) -> Lockout | None:
        """The lockout of ``person`` (an ID number or another stable key), or None to go on."""
        if not self.enabled or not person:
            return None
        now = self.clock()
        try:
            with self._connect() as con:
                times = [t for (t,) in con.execute(
                    "SELECT at FROM failures WHERE person = ? AND at > ? ORDER BY at",
                    (self._hash(person), now - self.window_s))]
        except (OSError, sqlite3.Error) as exc:
            log.warning("attempt limit not checked: %s (%s)", self.path, type(exc).__name__)
            return None
        if len(times) < self.limit:
            return None
        return Lockout(len(times), times[-self.limit] + self.window_s)

    def failed(self, person: str) -> Lockout | None:
        """Count one not-verified result for ``person``; the lockout it causes, if any."""
        if not self.enabled or not person:
            return None
        now = self.clock()
        try:
            with self._connect() as con, con:
                con.execute("DELETE FROM failures WHERE at <= ?", (now - self.window_s,))
                con.execute("INSERT INTO failures (person, at) VALUES (?, ?)",
                            (self._hash(person), now))
        except (OSError, sqlite3.Error) as exc:
            log.warning("attempt not counted: %s (%s)", self.path, type(exc).__name__)
            return None
        return self.check(person)

    def reset(self, person: str | None = None) -> int:
        """Forget the failures of ``person``, or of everyone; how many were forgotten."""
        with self._connect() as con, con:
            if person is None:
                cur = con.execute("DELETE FROM failures")
            else:
                cur = con.execute("DELETE FROM failures WHERE person = ?", (self._hash(person),))
        return cur.rowcount

    def locked_count(self) -> int:
        """How many people are locked out now (for the operator panel; never who)."""
        now = self.clock()
        with self._connect() as con:
            rows = con.execute(
                "SELECT COUNT(*) FROM (SELECT person FROM failures WHERE at > ? "
                "GROUP BY person HAVING COUNT(*) >= ?)", (now - self.window_s, self.limit))
            return int(rows.fetchone()[0])

    # ---- storage -----------------------------------------------------------------------------

    def _hash(self, person: str) -> str:
        key = self._key if self._key is not None else self._load_key()
        return hashlib.scrypt(person.strip().upper().encode(), salt=key, n=_N, r=_R, p=_P,
                              dklen=16).hex()

    def _load_key(self) -> bytes:
        """The installation's key, made on first use (0600, written whole or not at all)."""
        try:
            key = self.key_path.read_bytes()
        except FileNotFoundError:
            private_dir(self.key_path.parent)
            fresh = os.urandom(32)
            tmp = self.key_path.with_name(f".{self.key_path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, fresh)
                os.fsync(fd)
            finally:
                os.close(fd)
            try:  # another process may have made one meanwhile: the first one stays
                os.link(tmp, self.key_path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink(missing_ok=True)
            key = self.key_path.read_bytes()
        if len(key) < 16:
            raise OSError(f"the attempt-limit key {self.key_path} is damaged")
        self._key = key
        return key

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        private_dir(self.path.parent)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        con = sqlite3.connect(self.path, timeout=2.0)
        try:
            con.executescript(_SCHEMA)
            yield con
        finally:
            con.close()


__all__ = ["DEFAULT_LIMIT", "DEFAULT_WINDOW_S", "AttemptLimit", "Lockout"]
