"""The audit log: one masked row per verification, listed and exported as CSV."""

from __future__ import annotations

import csv
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.config import AuditLog, AuditRecord, StepTimer
from kiosk.errors import ConfigError

from .conftest import Clock


def test_rows_round_trip_with_the_id_masked(tmp_path: Path, clock: Clock) -> None:
    log = AuditLog(tmp_path / "data" / "audit.sqlite3", clock=clock)
    rec = log.record(AuditRecord(mode="idcard", outcome="pass", code=0, similarity=88.5,
                                 live_status=0, compare_status=0, session_id="s-1", seq="q-1",
                                 id_masked="11010519491231002X",
                                 durations={"code": 0.2, "record": 5.0, "upload": 1.5}))
    assert rec.id == 1 and rec.id_masked == "110105********002X"
    (row,) = log.rows()
    assert row == rec
    assert row.time == datetime.fromtimestamp(clock(), UTC).isoformat(timespec="seconds")
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    raw = log.path.read_bytes()
    assert b"11010519491231002X" not in raw


def test_no_field_for_names_or_media() -> None:
    names = set(AuditRecord.__dataclass_fields__)
    assert not names & {"name", "idcard_name", "video", "photo", "card", "best_frame", "image"}
    with pytest.raises(TypeError):
        AuditRecord(mode="idcard", outcome="pass", name="王芳")  # type: ignore[call-arg]


def test_outcome_must_be_known() -> None:
    with pytest.raises(ValueError):
        AuditRecord(mode="photo", outcome="maybe")


def test_since_filters_by_time(tmp_path: Path, clock: Clock) -> None:
    log = AuditLog(tmp_path / "a.sqlite3", clock=clock)
    log.record(AuditRecord(mode="photo", outcome="fail", code=0, similarity=40.0))
    clock.advance(86400)
    log.record(AuditRecord(mode="card", outcome="blocked", code=-5015, predicted=True))
    cut = datetime.fromtimestamp(clock() - 3600, UTC)
    (late,) = log.rows(cut)
    assert late.outcome == "blocked" and late.predicted and late.code == -5015
    assert len(log.rows()) == 2


def test_export_csv_has_every_column_and_masked_ids(tmp_path: Path, clock: Clock) -> None:
    log = AuditLog(tmp_path / "a.sqlite3", clock=clock)
    for outcome, code in (("pass", 0), ("fail", 0), ("refused", -4006), ("blocked", -5801),
                          ("error", None), ("cancelled", None)):
        log.record(AuditRecord(mode="idcard", outcome=outcome, code=code,
                               id_masked="440304198510156428", durations={"upload": 1.25}))
    out = tmp_path / "export.csv"
    assert log.export_csv(out) == 6
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["outcome"] for r in rows] == ["pass", "fail", "refused", "blocked", "error", "cancelled"]
    assert {r["id_masked"] for r in rows} == {"440304********6428"}
    assert "440304198510156428" not in out.read_text()
    assert rows[3]["code"] == "-5801" and rows[4]["code"] == ""
    assert rows[0]["durations"] == '{"upload": 1.25}'
    assert list(rows[0]) == ["id", "time", "mode", "outcome", "code", "predicted", "similarity",
                             "live_status", "compare_status", "session_id", "seq", "id_masked",
                             "durations", "demo", "uid", "consent", "notice"]


def test_consent_and_its_notice_version_are_stored_and_exported(tmp_path: Path, clock: Clock) -> None:
    log = AuditLog(tmp_path / "a.sqlite3", clock=clock)
    log.record(AuditRecord(mode="idcard", outcome="pass", consent="yes", notice="bank-7"))
    log.record(AuditRecord(mode="idcard", outcome="declined", consent="no", notice="bank-7"))
    log.record(AuditRecord(mode="idcard", outcome="limited", id_masked="440304198510156428"))
    got = [(r.outcome, r.consent, r.notice) for r in log.rows()]
    assert got == [("pass", "yes", "bank-7"), ("declined", "no", "bank-7"), ("limited", "", "")]
    out = tmp_path / "export.csv"
    log.export_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["outcome"], r["consent"], r["notice"]) for r in rows] == got


def test_a_schema_2_file_gains_the_consent_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE verifications (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, "
        "mode TEXT NOT NULL, outcome TEXT NOT NULL, code INTEGER, predicted INTEGER NOT NULL "
        "DEFAULT 0, similarity REAL, live_status INTEGER, compare_status INTEGER, session_id TEXT, "
        "seq TEXT, id_masked TEXT, durations TEXT NOT NULL DEFAULT '{}', demo INTEGER NOT NULL "
        "DEFAULT 0, uid TEXT);"
        "INSERT INTO verifications (time, mode, outcome, uid) VALUES "
        "('2026-01-01T00:00:00+00:00', 'photo', 'pass', 'u1');"
        "PRAGMA user_version = 2;")
    con.commit()
    con.close()
    log = AuditLog(path)
    (old,) = log.rows()
    assert (old.uid, old.consent, old.notice) == ("u1", "", "")
    log.record(AuditRecord(mode="photo", outcome="pass", consent="guardian", notice="v"))
    assert [r.consent for r in log.rows()] == ["", "guardian"]


def test_a_damaged_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    before = path.read_bytes()
    AuditLog(path).record(AuditRecord(mode="photo", outcome="pass"))  # queued in the journal
    with pytest.raises(ConfigError) as info:
        AuditLog(path).rows()
    assert str(path) in info.value.en and "move it away" in info.value.fix_en
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(ConfigError, match="newer kiosk"):
        AuditLog(path).rows()


def test_export_to_an_unwritable_place_is_an_input_error(tmp_path: Path) -> None:
    from kiosk.errors import InputError

    log = AuditLog(tmp_path / "a.sqlite3")
    with pytest.raises(InputError):
        log.export_csv(tmp_path / "missing-folder" / "x.csv")
    assert not (tmp_path / "missing-folder").exists()


def test_step_timer_records_each_step_even_when_it_fails() -> None:
    ticks = iter([0.0, 0.25, 1.0, 3.5, 10.0, 10.5])
    timer = StepTimer(clock=lambda: next(ticks))
    with timer.step("code"):
        pass
    with pytest.raises(RuntimeError), timer.step("upload"):
        raise RuntimeError("network")
    with timer.step("code"):
        pass
    assert timer.durations == {"code": 0.75, "upload": 2.5}
