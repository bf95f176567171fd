"""The emulator's data folder: accounts and the identity registry, in one SQLite file.

The registry stands in for the national identity database: ID number, name and portrait photo of
each enrolled person. Accounts are appid / secret id / secret key triples; the keys stored here are
the emulator's own, never a real account's, and are never logged.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.emulator import messages
from kiosk.errors import ConfigError

DB_NAME = "emulator.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    secret_id  TEXT PRIMARY KEY,
    appid      TEXT NOT NULL,
    secret_key TEXT NOT NULL,
    created    REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS accounts_appid ON accounts (appid);
CREATE TABLE IF NOT EXISTS people (
    id_number  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    photo      BLOB NOT NULL,
    descriptor BLOB,
    enrolled   REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Account:
    """One set of credentials the emulator accepts."""

    appid: str
    secret_id: str
    secret_key: str

    def __repr__(self) -> str:  # never show the key
        return f"Account(appid={self.appid!r}, secret_id={self.secret_id!r}, secret_key='***')"


@dataclass(frozen=True)
class Person:
    """One enrolled identity: the stand-in for a national-database record."""

    id_number: str
    name: str
    photo: bytes
    descriptor: bytes | None

    def __repr__(self) -> str:  # never show the full number or name
        return f"Person(id_number={self.id_number[:6]}********, photo={len(self.photo)} bytes)"


@dataclass(frozen=True)
class Enrolled:
    """One row of the registry's listing: who, the photo's size and when (Unix seconds)."""

    id_number: str
    name: str
    photo_bytes: int
    enrolled: float

    def __repr__(self) -> str:  # never show the full number or name
        return f"Enrolled(id_number={self.id_number[:6]}********, photo={self.photo_bytes} bytes)"


def normalise_name(name: str) -> str:
    """A name as compared with the registry: NFC, outer spaces removed."""
    return unicodedata.normalize("NFC", name).strip()


class DataFolderError(ConfigError):
    """The data folder cannot be used: not a folder, not writable, or its database is damaged."""


class Store:
    """Accounts and people in ``<data_dir>/emulator.sqlite3``; safe to use from many threads."""

    def __init__(self, data_dir: Path, *, create: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self._lock = threading.Lock()
        if not create and not self.data_dir.is_dir():
            # A mistyped --data must not quietly start a second, empty registry.
            raise DataFolderError(messages.NO_DATA_FOLDER(folder=self.data_dir))
        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self.path.exists():
                # Create it private before SQLite writes a key into it.
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            with self._connect() as db:
                db.executescript(_SCHEMA)
        except sqlite3.OperationalError as exc:  # read-only, locked, disk full: not damage
            raise DataFolderError(messages.CANNOT_OPEN_DATABASE(path=self.path,
                                                                reason=str(exc))) from exc
        except sqlite3.DatabaseError as exc:
            raise DataFolderError(messages.DATABASE_DAMAGED(path=self.path,
                                                            reason=str(exc))) from exc
        except OSError as exc:
            if self.data_dir.is_file():
                raise DataFolderError(
                    messages.DATA_FOLDER_IS_A_FILE(folder=self.data_dir)) from exc
            raise DataFolderError(messages.CANNOT_USE_DATA_FOLDER(
                folder=self.data_dir, reason=exc.strerror or str(exc))) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A short-lived connection per operation: sqlite3 objects must not cross threads.
        with self._lock:
            db = sqlite3.connect(self.path, timeout=10.0)
            try:
                with db:
                    yield db
            finally:
                db.close()

    # -- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A value from the meta table (for example whether the demo data was seeded)."""
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value in the meta table."""
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- accounts ---------------------------------------------------------------------------

    def add_account(self, appid: str, secret_id: str, secret_key: str) -> bool:
        """Add or replace the account of ``secret_id``; True when it was new."""
        with self._connect() as db:
            existed = db.execute(
                "SELECT 1 FROM accounts WHERE secret_id = ?", (secret_id,)
            ).fetchone()
            db.execute(
                "INSERT OR REPLACE INTO accounts (secret_id, appid, secret_key, created) "
                "VALUES (?, ?, ?, ?)",
                (secret_id, appid, secret_key, time.time()),
            )
        return existed is None

    def account(self, secret_id: str) -> Account | None:
        """The account holding ``secret_id``, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT appid, secret_id, secret_key FROM accounts WHERE secret_id = ?",
                (secret_id,),
            ).fetchone()
        return None if row is None else Account(*row)

    def has_appid(self, appid: str) -> bool:
        """True when some account has this appid."""
        with self._connect() as db:
            row = db.execute("SELECT 1 FROM accounts WHERE appid = ? LIMIT 1", (appid,)).fetchone()
        return row is not None

    def accounts(self) -> list[Account]:
        """Every account, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT appid, secret_id, secret_key FROM accounts ORDER BY created"
            ).fetchall()
        return [Account(*row) for row in rows]

    # -- people -----------------------------------------------------------------------------

    def enroll(self, id_number: str, name: str, photo: bytes, *, replace: bool = True) -> bool:
        """Add a person, or replace the one enrolled under that ID number; True when it was new.

        ``replace=False`` never touches an existing person (the sample people: a person the user
        enrolled first keeps their name and photo).
        """
        number = id_number.strip().upper()
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self._connect() as db:
            existed = db.execute(
                "SELECT 1 FROM people WHERE id_number = ?", (number,)
            ).fetchone()
            db.execute(
                f"{verb} INTO people (id_number, name, photo, descriptor, enrolled) "
                "VALUES (?, ?, ?, NULL, ?)",
                (number, normalise_name(name), photo, time.time()),
            )
        return existed is None

    def people(self) -> list[Enrolled]:
        """Every enrolled person, oldest first, without their photos."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id_number, name, length(photo), enrolled FROM people ORDER BY enrolled"
            ).fetchall()
        return [Enrolled(str(r[0]), str(r[1]), int(r[2]), float(r[3])) for r in rows]

    def person(self, id_number: str) -> Person | None:
        """The enrolled person with this ID number, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT id_number, name, photo, descriptor FROM people WHERE id_number = ?",
                (id_number.strip().upper(),),
            ).fetchone()
        return None if row is None else Person(row[0], row[1], bytes(row[2]),
                                                None if row[3] is None else bytes(row[3]))

    def people_count(self) -> int:
        """How many people are enrolled."""
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM people").fetchone()[0])

    def save_descriptor(self, id_number: str, descriptor: bytes) -> None:
        """Cache the face descriptor of a portrait, so it is computed once per person."""
        with self._connect() as db:
            db.execute(
                "UPDATE people SET descriptor = ? WHERE id_number = ?", (descriptor, id_number)
            )
