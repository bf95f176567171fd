"""Leases on working folders outside the sessions folder: made, released, swept after a kill."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import Paths
from kiosk.config.housekeeping import run as housekeeping
from kiosk.config.leases import PARTIAL_GRACE_S, Leases
from kiosk.config.workspace import process_stamp


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def lease_file(root: Path, folder: Path, pid: int, start: str | None, name: str = "x") -> Path:
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    lease = root / f"{name}.lease"
    lease.write_text(json.dumps({"path": str(folder), "pid": pid, "start": start, "created": 0}))
    return lease


def folder_with_media(parent: Path, name: str) -> Path:
    folder = parent / name
    folder.mkdir(mode=0o700)
    (folder / "clip.mp4").write_bytes(b"face" * 100)
    return folder


def test_a_folder_is_leased_before_it_exists_and_released_with_it(tmp_path: Path) -> None:
    leases = Leases(tmp_path / "leases")
    (tmp_path / "out").mkdir()
    folder = leases.make_folder(tmp_path / "out", ".kiosk-rec-")
    assert folder.parent == tmp_path / "out" and folder.name.startswith(".kiosk-rec-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "leases").stat().st_mode) == 0o700
    [lease] = list((tmp_path / "leases").iterdir())
    data = json.loads(lease.read_text())
    assert data["path"] == str(folder) and data["pid"] == os.getpid() and data["start"]
    assert stat.S_IMODE(lease.stat().st_mode) == 0o600
    (folder / "clip.mp4").write_bytes(b"face")
    leases.release(folder)
    leases.release(folder)  # idempotent
    assert not folder.exists()
    assert list((tmp_path / "leases").iterdir()) == []


def test_a_prefix_the_sweep_would_not_clean_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Leases(tmp_path / "leases").make_folder(tmp_path, "mine-")


def test_the_sweep_leaves_a_living_owner_alone(tmp_path: Path) -> None:
    leases = Leases(tmp_path / "leases")
    folder = leases.make_folder(tmp_path, "kiosk-emulator-data-")
    assert Leases(tmp_path / "leases").sweep() == []
    assert folder.is_dir()
    leases.release(folder)


def test_the_sweep_deletes_a_dead_owners_folder_and_lease(tmp_path: Path) -> None:
    root = tmp_path / "leases"
    folder = folder_with_media(tmp_path, ".kiosk-rec-abc")
    lease = lease_file(root, folder, dead_pid(), "123")
    assert Leases(root).sweep() == [folder]
    assert not folder.exists() and not lease.exists()


def test_a_reused_pid_does_not_keep_a_folder(tmp_path: Path) -> None:
    root = tmp_path / "leases"
    folder = folder_with_media(tmp_path, "kiosk-emulator-abc")
    lease_file(root, folder, os.getpid(), "not my start time")
    assert Leases(root).sweep() == [folder]
    assert not folder.exists()


def test_a_lease_whose_folder_is_already_gone_is_dropped(tmp_path: Path) -> None:
    root = tmp_path / "leases"
    lease = lease_file(root, tmp_path / ".kiosk-rec-gone", dead_pid(), None)
    assert Leases(root).sweep() == []
    assert not lease.exists()


@pytest.mark.parametrize("named", ["home", "relative"])
def test_the_sweep_never_deletes_a_folder_it_did_not_make(tmp_path: Path, named: str) -> None:
    root = tmp_path / "leases"
    precious = folder_with_media(tmp_path, "home")
    path = precious if named == "home" else Path(".kiosk-rec-x")
    lease = lease_file(root, path, dead_pid(), None)
    assert Leases(root).sweep() == []
    assert (precious / "clip.mp4").exists()
    assert not lease.exists()


def test_a_link_with_a_kiosk_name_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "leases"
    precious = folder_with_media(tmp_path, "home")
    link = tmp_path / ".kiosk-rec-link"
    link.symlink_to(precious, target_is_directory=True)
    lease_file(root, link, dead_pid(), None)
    assert Leases(root).sweep() == []
    assert (precious / "clip.mp4").exists()
    assert list(root.iterdir()) == []


def test_an_unreadable_lease_is_dropped_and_its_folder_left(tmp_path: Path) -> None:
    root = tmp_path / "leases"
    root.mkdir()
    (root / "bad.lease").write_text("{not json")
    assert Leases(root).sweep() == []
    assert list(root.iterdir()) == []


def test_a_half_written_lease_is_removed_once_old(tmp_path: Path) -> None:
    root = tmp_path / "leases"
    root.mkdir()
    part = root / "abc.part"
    part.write_text('{"path": ')
    mtime = part.stat().st_mtime
    assert Leases(root).sweep(clock=lambda: mtime + 1) == []
    assert part.exists()  # it may be another process's lease being written right now
    Leases(root).sweep(clock=lambda: mtime + PARTIAL_GRACE_S + 1)
    assert not part.exists()


def test_every_start_sweeps_the_leases(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "kiosk")
    folder = folder_with_media(tmp_path, ".kiosk-rec-xyz")
    lease_file(paths.leases_dir, folder, dead_pid(), None)
    housekeeping(paths)
    assert not folder.exists()
    assert list(paths.leases_dir.iterdir()) == []


def test_the_stamp_is_this_process() -> None:
    stamp = process_stamp()
    assert stamp["pid"] == os.getpid()
