"""Verifications in progress, written down, so one that a crash cut short still gets its audit row.

The flow writes its audit row when a run ends; a process killed mid-run (SIGKILL, a segfault, a
power cut of the GUI) never gets there. So a run first leaves a marker here: a folder
``<seq>/`` next to the audit log holding ``.owner.json`` (the workspace's owner-marker format:
pid and process start time, plus mode, masked ID number, start time and the step reached). The
marker is removed once the real row is written. At the next start of any command,
:func:`recover` turns the markers of dead owners into rows with outcome ``error`` and says in
the log that the verification was interrupted; the sweep of session folders
(kiosk.config.workspace) deletes the media.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.config import messages
from kiosk.config.atomic import write_atomic
from kiosk.config.audit import AuditLog, AuditRecord
from kiosk.config.paths import Paths, private_dir
from kiosk.config.workspace import MARKER, _owner_alive, _process_start, _remove_tree

log = logging.getLogger("kiosk.config.pending")

FOLDER = "pending"
_SEQ = re.compile(r"[0-9A-Za-z_-]{1,64}")


def pending_dir(paths: Paths) -> Path:
    """Where the markers live: a private folder next to the audit log."""
    return paths.audit_db.parent / FOLDER


class PendingRuns:
    """The markers of the runs this process has under way (the flow's ``pending`` port)."""

    def __init__(self, root: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.root = root
        self.clock = clock

    @classmethod
    def of(cls, paths: Paths) -> PendingRuns:
        """The markers of this installation."""
        return cls(pending_dir(paths))

    def begin(self, seq: str, mode: str, id_masked: str = "") -> None:
        """Write the marker of run ``seq`` (to disk, before anything of the person is kept)."""
        pid = os.getpid()
        self._write(seq, {"pid": pid, "start": _process_start(pid), "created": self.clock(),
                          "seq": seq, "mode": mode, "id_masked": id_masked, "step": ""},
                    sync=True)

    def step(self, seq: str, step: str) -> None:
        """Note the step run ``seq`` has reached (named in the log if it is interrupted)."""
        folder = self._folder(seq)
        try:
            marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        marker["step"] = step
        self._write(seq, marker, sync=False)

    def end(self, seq: str) -> None:
        """The run's audit row is written (or could not be): forget it."""
        folder = self._folder(seq)
        if folder.exists():
            _remove_tree(folder)

    def _folder(self, seq: str) -> Path:
        if not _SEQ.fullmatch(seq):
            raise ValueError(f"not a run id: {seq!r}")
        return self.root / seq

    def _write(self, seq: str, marker: dict[str, Any], *, sync: bool) -> None:
        folder = self._folder(seq)
        private_dir(folder)
        write_atomic(folder / MARKER, json.dumps(marker).encode("utf-8"), sync=sync)


def recover(paths: Paths, *, clock: Callable[[], float] = time.time) -> list[AuditRecord]:
    """Audit rows (outcome ``error``) for runs whose process died; returns the rows written."""
    root = pending_dir(paths)
    try:
        entries = sorted(root.iterdir())
    except FileNotFoundError:
        return []
    written: list[AuditRecord] = []
    audit = AuditLog(paths.audit_db, clock=clock)
    for folder in entries:
        if not folder.is_dir() or folder.is_symlink() or _owner_alive(folder, clock):
            continue
        try:
            marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            marker = {}
        if isinstance(marker, dict) and marker.get("mode"):
            rec = _record(marker)
            audit.record(rec)  # a ConfigError here leaves the marker for the next start
            written.append(rec)
            log.warning("verification %s was interrupted at step %s (%s; %s): audit row %s "
                        "written with outcome error", rec.seq[:8] or "-",
                        marker.get("step") or "start", messages.INTERRUPTED.en,
                        messages.INTERRUPTED.zh, rec.id)
        _remove_tree(folder)
    return written


def _record(marker: dict[str, Any]) -> AuditRecord:
    try:
        started = datetime.fromtimestamp(float(marker["created"]), UTC)
        when = started.isoformat(timespec="seconds")
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        when = ""
    mode = str(marker.get("mode") or "")
    return AuditRecord(mode=mode, outcome="error",
                       seq=str(marker.get("seq") or ""), id_masked=str(marker.get("id_masked") or ""),
                       time=when)


__all__ = ["FOLDER", "PendingRuns", "pending_dir", "recover"]
