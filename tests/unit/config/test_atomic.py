"""Files written whole or not at all (kiosk.config.atomic): settings, secret, markers, exports, frames."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.config.atomic import SHARED, write_atomic

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes and links")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_whole_private_and_nothing_else_left(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two" and mode_of(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_a_crashs_leftover_temporary_file_neither_keeps_its_mode_nor_leads_elsewhere(tmp_path: Path) -> None:
    target = tmp_path / "best.jpg"
    stale = tmp_path / f".best.jpg.{os.getpid()}.tmp"
    stale.write_bytes(b"old")
    stale.chmod(0o644)
    write_atomic(target, b"face")
    assert mode_of(target) == 0o600 and not stale.exists()
    elsewhere = tmp_path / "elsewhere"
    stale.symlink_to(elsewhere)
    write_atomic(target, b"face 2")
    assert not elsewhere.exists() and target.read_bytes() == b"face 2"


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "secret"
    write_atomic(target, b"old")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["secret"]


def test_a_shared_export_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "audit.csv", b"id\n", mode=SHARED, sync=False)
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "audit.csv") == 0o644
