"""Pending markers: a run a crash cut short gets an 'error' audit row at the next start."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kiosk.config import AuditLog, Paths
from kiosk.config.housekeeping import run as housekeeping
from kiosk.config.pending import PendingRuns, pending_dir, recover
from kiosk.config.workspace import MARKER


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def _orphan(paths: Paths, seq: str, step: str = "record") -> None:
    """A marker as a process killed mid-run leaves it."""
    PendingRuns.of(paths).begin(seq, "idcard", "110105********002X")
    PendingRuns.of(paths).step(seq, step)
    marker_file = pending_dir(paths) / seq / MARKER
    marker = json.loads(marker_file.read_text())
    marker.update(pid=_dead_pid(), start="1")
    marker_file.write_text(json.dumps(marker))


def test_a_dead_owners_run_becomes_an_error_row_once(paths: Paths, caplog) -> None:
    _orphan(paths, "a" * 32, step="upload")
    with caplog.at_level("WARNING"):
        rows = recover(paths)
    assert [(r.outcome, r.mode, r.seq, r.id_masked) for r in rows] == [
        ("error", "idcard", "a" * 32, "110105********002X")]
    stored = AuditLog(paths.audit_db).rows()
    assert [(r.outcome, r.seq) for r in stored] == [("error", "a" * 32)]
    assert "interrupted at step upload" in caplog.text
    assert list(pending_dir(paths).iterdir()) == []
    assert recover(paths) == []  # a second start writes nothing more
    assert len(AuditLog(paths.audit_db).rows()) == 1


def test_a_live_owners_run_is_left_alone(paths: Paths) -> None:
    runs = PendingRuns.of(paths)
    runs.begin("b" * 32, "photo")
    assert recover(paths) == []
    assert (pending_dir(paths) / ("b" * 32) / MARKER).exists()
    runs.end("b" * 32)
    assert list(pending_dir(paths).iterdir()) == []
    assert AuditLog(paths.audit_db).rows() == []


def test_markers_are_private_and_name_no_person(paths: Paths) -> None:
    PendingRuns.of(paths).begin("c" * 32, "idcard", "110105********002X")
    folder = pending_dir(paths) / ("c" * 32)
    assert folder.stat().st_mode & 0o077 == 0
    assert (folder / MARKER).stat().st_mode & 0o077 == 0
    assert "11010519491231002X" not in (folder / MARKER).read_text()


def test_a_run_id_cannot_leave_the_folder(paths: Paths) -> None:
    with pytest.raises(ValueError):
        PendingRuns.of(paths).begin("../x", "idcard")


def test_housekeeping_recovers_interrupted_runs(paths: Paths) -> None:
    _orphan(paths, "d" * 32)
    housekeeping(paths)
    assert [r.outcome for r in AuditLog(paths.audit_db).rows()] == ["error"]
