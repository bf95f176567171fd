"""Leases on private working folders outside the sessions folder, so a killed run leaves nothing.

Session workspaces live in one known folder and carry their owner inside them; the sweep at
every start finds them there. Some working folders cannot live there: ``kiosk record`` stages
its clip next to ``--out`` (the final rename must stay on one file system), and the demo's
emulator keeps its data and the uploads it is judging in the temporary folder. For each of
those a small lease file in ``Paths.leases_dir`` (0700) names the folder and its owner (pid and
process start time, the same test as the workspace markers). The lease is written before the
folder exists, so there is no moment at which the folder holds media and no lease points to it.
Normal cleanup deletes the folder, then the lease; the next start of any command deletes what
a dead owner's leases name (:meth:`Leases.sweep`, from :mod:`kiosk.config.housekeeping`).

Safety: a lease is a path read from a file, so the sweep deletes a folder only when that path is
absolute, is a real folder (not a link) and its name starts with one of :data:`PREFIXES`.

Who uses it: ``kiosk.media`` and ``kiosk.emulator`` do not know the kiosk's folders, so the CLI
builds a :class:`Leases` and passes it in (media types it as ``kiosk.media.TempFolders``, a
Protocol, and keeps no dependency on this package); without one they fall back to plain
temporary folders, as library code and tests use them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.config.paths import private_dir
from kiosk.config.workspace import _remove_tree, process_alive, process_stamp

log = logging.getLogger("kiosk.config.leases")

# The only folder names a sweep deletes: the recorder's staging folder, the emulator's data
# folder and its upload folder (``kiosk-emulator-data-`` also starts with ``kiosk-emulator-``).
PREFIXES = (".kiosk-rec-", "kiosk-emulator-")
SUFFIX = ".lease"
# A lease half-written when the process died: its folder was never created.
PARTIAL_GRACE_S = 60.0


class Leases:
    """Private working folders, each registered by a lease file in ``root`` while it exists."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._held: dict[Path, Path] = {}
        self._lock = threading.Lock()

    def make_folder(self, parent: Path, prefix: str) -> Path:
        """A new 0700 folder ``parent/prefix<random>``, leased before it is created.

        Raises OSError as ``tempfile.mkdtemp`` would (the caller maps it to its own error).
        """
        if not prefix.startswith(PREFIXES):
            raise ValueError(f"{prefix!r} is not a prefix the sweep would clean up")
        parent = Path(os.path.abspath(parent))
        for _ in range(100):
            token = secrets.token_hex(6)
            folder = parent / f"{prefix}{token}"
            lease = self._write(folder, token)
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                lease.unlink(missing_ok=True)
                continue
            except BaseException:
                lease.unlink(missing_ok=True)
                raise
            with self._lock:
                self._held[folder] = lease
            return folder
        raise FileExistsError(f"no free name for {prefix}* in {parent}")

    def release(self, folder: Path) -> None:
        """Delete ``folder`` and everything in it, then its lease. Idempotent; never raises."""
        folder = Path(os.path.abspath(folder))
        with self._lock:
            lease = self._held.pop(folder, None)
        if folder.is_dir() and not folder.is_symlink():
            _remove_tree(folder)
        if lease is not None and not folder.exists():  # a folder left behind keeps its lease
            with contextlib.suppress(OSError):
                lease.unlink()

    def sweep(self, *, clock: Callable[[], float] = time.time) -> list[Path]:
        """Delete the folders of leases whose owner is gone, and those leases; returns the folders."""
        removed: list[Path] = []
        try:
            entries = list(self.root.iterdir())
        except FileNotFoundError:
            return removed
        for entry in entries:
            if entry.name.endswith(SUFFIX):
                folder = self._sweep_one(entry)
                if folder is not None:
                    removed.append(folder)
            elif entry.name.endswith(".part"):
                with contextlib.suppress(OSError):
                    if clock() - entry.stat().st_mtime > PARTIAL_GRACE_S:
                        entry.unlink()
        return removed

    # ---- inside ----------------------------------------------------------------------------
    def _write(self, folder: Path, token: str) -> Path:
        private_dir(self.root)
        lease = self.root / f"{token}{SUFFIX}"
        part = self.root / f"{token}.part"
        data = json.dumps({"path": str(folder), **process_stamp(), "created": time.time()})
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data.encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(part, lease)  # a lease is whole or absent
        return lease

    def _sweep_one(self, lease: Path) -> Path | None:
        try:
            data = json.loads(lease.read_text(encoding="utf-8"))
            folder = Path(data["path"])
            pid = int(data["pid"])
            start = data.get("start")
        except FileNotFoundError:
            return None  # its owner released it just now
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("unreadable lease %s deleted (its folder, if any, is left alone)", lease.name)
            lease.unlink(missing_ok=True)
            return None
        if process_alive(pid, start if isinstance(start, str) else None):
            return None
        if not (folder.is_absolute() and folder.name.startswith(PREFIXES)):
            log.warning("lease %s names %s, not a kiosk working folder: left alone",
                        lease.name, folder)
            lease.unlink(missing_ok=True)
            return None
        gone = None
        if folder.is_dir() and not folder.is_symlink():
            _remove_tree(folder)
            gone = folder
            log.info("deleted leftover working folder %s of a process that ended", folder)
        if folder.is_symlink() or not folder.exists():  # a link is never followed nor kept
            lease.unlink(missing_ok=True)
        return gone


__all__ = ["PREFIXES", "Leases"]
