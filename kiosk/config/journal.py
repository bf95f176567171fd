"""The audit journal: rows that could not reach SQLite yet, kept on disk until they can.

An append-only file of JSON lines next to the audit log (``audit.journal.jsonl``, 0600). A line
is written whole and fsynced before the caller shows the verdict, so a row queued here survives a
crash or a power cut. :class:`kiosk.config.audit.AuditLog` replays the lines into SQLite at the
next start of any command and whenever a later row reaches the database; each row carries a
``uid``, so a line replayed twice (a crash between the commit and the truncate) is stored once.

Appending and replaying take an exclusive ``flock`` on the file, so the GUI appending while a
command replays never loses a line. A write the disk cut short (ENOSPC) is truncated away again;
a line torn by a power loss is skipped with a warning.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from kiosk.config.paths import private_dir

log = logging.getLogger("kiosk.config.audit")


def journal_path(db: Path) -> Path:
    """Where the journal of the audit log ``db`` lives (beside it, on the same disk)."""
    return db.with_name(f"{db.stem}.journal.jsonl")


class Journal:
    """One journal file: append a row, read the rows, empty it once they are in SQLite."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, row: dict[str, Any]) -> None:
        """Write ``row`` as one line and fsync it; OSError when the disk takes nothing."""
        data = (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        private_dir(self.path.parent)
        with self._locked(create=True) as fd:
            end = os.lseek(fd, 0, os.SEEK_END)
            if end and os.pread(fd, 1, end - 1) != b"\n":  # a line torn by a power loss ends here
                data = b"\n" + data
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            except OSError:
                with suppress(OSError):  # leave no torn line (freeing blocks works on a full disk)
                    os.ftruncate(fd, end)
                raise

    def count(self) -> int:
        """How many rows wait (0 when there is no journal)."""
        try:
            with self.path.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        except FileNotFoundError:
            return 0

    @contextmanager
    def taken(self) -> Iterator[list[dict[str, Any]]]:
        """The rows, under the lock; emptied when the block ends without an exception."""
        with self._locked(create=False) as fd:
            if fd < 0:
                yield []
                return
            rows = _parse(_read_all(fd), self.path)
            yield rows
            os.ftruncate(fd, 0)
            os.fsync(fd)

    @contextmanager
    def _locked(self, *, create: bool) -> Iterator[int]:
        flags = os.O_RDWR | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags | (os.O_CREAT if create else 0), 0o600)
        except FileNotFoundError:
            if create:
                raise
            yield -1
            return
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OSError(errno.ELOOP, "the audit journal is a symbolic link", str(self.path)) from None
            raise
        try:
            _lock(fd)
            yield fd
        finally:
            os.close(fd)  # closing releases the lock


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(data: bytes, path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            row = None
        if isinstance(row, dict) and row.get("uid"):
            rows.append(row)
        else:  # torn by a power loss while it was written: its verdict was never shown
            log.warning("audit journal %s: damaged line %d skipped", path, number)
    return rows


if sys.platform == "win32":  # pragma: no cover - no flock; one kiosk process at a time there

    def _lock(fd: int) -> None:
        return None

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)


__all__ = ["Journal", "journal_path"]
