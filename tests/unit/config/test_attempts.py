"""The attempt limit: counted per person, through restarts, keyed hash only, reset by the operator."""

from __future__ import annotations

import multiprocessing
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from kiosk.config.attempts import AttemptLimit
from kiosk.config.paths import Paths

ID = "11010519491231002X"
OTHER = "110105194912310037"


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def _limit(tmp_path: Path, clock: Clock, **kw: Any) -> AttemptLimit:
    return AttemptLimit(tmp_path / "a.sqlite3", tmp_path / "a.key", clock=clock, **kw)


def test_the_third_failure_within_ten_minutes_locks_the_person_out(tmp_path: Path) -> None:
    clock = Clock()
    limit = _limit(tmp_path, clock)
    assert limit.failed(ID) is None
    clock.t += 60
    assert limit.failed(ID) is None
    clock.t += 60
    locked = limit.failed(ID)
    assert locked is not None and locked.failures == 3
    # Until the first failure leaves the window: 600 s after it, 480 s from now.
    assert locked.seconds_left(clock.t) == pytest.approx(480)
    assert limit.check(OTHER) is None, "another person is not affected"


def test_failures_spread_wider_than_the_window_never_lock(tmp_path: Path) -> None:
    clock = Clock()
    limit = _limit(tmp_path, clock)
    for _ in range(6):
        assert limit.failed(ID) is None
        clock.t += 301  # two within any 10 minutes at most


def test_the_lockout_ends_when_the_window_has_passed(tmp_path: Path) -> None:
    clock = Clock()
    limit = _limit(tmp_path, clock, limit=2, window_s=100)
    limit.failed(ID)
    assert limit.failed(ID) is not None
    clock.t += 99
    assert limit.check(ID) is not None
    clock.t += 2
    assert limit.check(ID) is None


def test_the_count_survives_a_restart_in_another_process(tmp_path: Path) -> None:
    clock = Clock()
    _limit(tmp_path, clock).failed(ID)
    _limit(tmp_path, clock).failed(ID)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        assert pool.apply(_fail_in_child, (str(tmp_path), clock.t)) is True
    assert _limit(tmp_path, clock).check(ID) is not None


def _fail_in_child(root: str, now: float) -> bool:
    return AttemptLimit(Path(root) / "a.sqlite3", Path(root) / "a.key",
                        clock=lambda: now).failed(ID) is not None


def test_only_a_keyed_hash_of_the_id_is_stored(tmp_path: Path) -> None:
    limit = _limit(tmp_path, Clock())
    limit.failed(ID)
    raw = (tmp_path / "a.sqlite3").read_bytes()
    assert ID.encode() not in raw and ID[-6:].encode() not in raw
    (person,) = sqlite3.connect(tmp_path / "a.sqlite3").execute(
        "SELECT person FROM failures").fetchone()
    assert len(person) == 32 and ID not in person
    assert stat.S_IMODE((tmp_path / "a.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a.sqlite3").stat().st_mode) == 0o600
    # Another installation (another key) hashes the same ID differently.
    other = tmp_path / "other"
    other.mkdir()
    AttemptLimit(other / "a.sqlite3", other / "a.key").failed(ID)
    (theirs,) = sqlite3.connect(other / "a.sqlite3").execute(
        "SELECT person FROM failures").fetchone()
    assert theirs != person


def test_the_same_id_typed_with_a_lower_case_x_is_the_same_person(tmp_path: Path) -> None:
    clock = Clock()
    limit = _limit(tmp_path, clock, limit=2)
    limit.failed(ID)
    assert limit.failed(ID.lower() + " ") is not None


def test_the_operator_resets_one_person_or_everyone(tmp_path: Path) -> None:
    clock = Clock()
    limit = _limit(tmp_path, clock, limit=1)
    limit.failed(ID)
    limit.failed(OTHER)
    assert limit.locked_count() == 2
    assert limit.reset(ID) == 1
    assert limit.check(ID) is None and limit.check(OTHER) is not None
    assert limit.reset() == 1
    assert limit.locked_count() == 0


def test_a_limit_of_zero_switches_it_off(tmp_path: Path) -> None:
    limit = _limit(tmp_path, Clock(), limit=0)
    for _ in range(5):
        assert limit.failed(ID) is None
    assert not (tmp_path / "a.sqlite3").exists()


def test_a_locked_store_never_blocks_a_verification(tmp_path: Path) -> None:
    clock = Clock()
    limit = _limit(tmp_path, clock, limit=1)
    limit.failed(ID)
    holder = sqlite3.connect(tmp_path / "a.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        fast = AttemptLimit(tmp_path / "a.sqlite3", tmp_path / "a.key", limit=1, clock=clock)
        assert fast.check(OTHER) is None  # could not read: goes on, logged
        assert fast.failed(OTHER) is None
    finally:
        holder.rollback()
        holder.close()
    assert limit.check(ID) is not None


def test_a_data_folder_that_cannot_be_written_never_blocks(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    limit = AttemptLimit(blocker / "a.sqlite3", blocker / "a.key", limit=1)
    assert limit.failed(ID) is None and limit.check(ID) is None


def test_the_installation_counts_live_beside_the_audit_log(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    limit = AttemptLimit.of(paths, limit=1)
    limit.failed(ID)
    assert (paths.audit_db.parent / "attempts.sqlite3").is_file()
    assert AttemptLimit.of(paths, limit=1).check(ID) is not None
