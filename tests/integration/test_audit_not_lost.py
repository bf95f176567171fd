"""No verdict without its record, from the command line: a locked, damaged or full audit disk.

``kiosk verify`` and ``kiosk demo`` run in-process in private XDG folders. A row that cannot reach
SQLite waits in the journal and lands at the next start; when nothing can be written the verdict
is still printed, with a "not recorded" line, and the exit status is 2.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.config import AuditLog, Paths
from kiosk.config.audit import journal_path
from tests.support.disks import LockHolder, fill, small_tmpfs

REPO = Path(__file__).resolve().parents[2]
PEOPLE = json.loads((REPO / "assets" / "people.json").read_text(encoding="utf-8"))
SAMPLE = next(p for p in PEOPLE["people"] if p["key"] == "sample")
ID_NUMBER, NAME = SAMPLE["id_number"], SAMPLE["name"]
CARD = REPO / "assets" / SAMPLE["photo"]


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from kiosk.emulator import start_in_process

    handle = start_in_process(tmp_path_factory.mktemp("emulator-data"))
    try:
        yield handle
    finally:
        handle.stop()


def _xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Path | None = None) -> Paths:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700, exist_ok=True)
        monkeypatch.setenv(var, str(folder))
    if data is not None:
        monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    return Paths.default()


@pytest.fixture
def clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = list(root.handlers)
    yield
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved


def creds(emulator: Any) -> list[str]:
    return ["--endpoint", emulator.base_url, "--appid", emulator.appid,
            "--secret-id", emulator.secret_id, "--secret-key", emulator.secret_key]


def verify_photo(capsys: pytest.CaptureFixture[str], emulator: Any,
                 *extra: str) -> tuple[int, str, str]:
    code = main(["verify", "photo", "--image", str(CARD), "--id-number", ID_NUMBER, "--name",
                 NAME, *extra, *creds(emulator)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.timing
def test_verify_with_the_database_locked_queues_the_row_and_it_lands_at_the_next_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: Any, clean_logging: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    home = _xdg(tmp_path, monkeypatch)
    AuditLog(home.audit_db).rows()  # the file exists, as on any kiosk that ran once
    with LockHolder(home.audit_db):  # e.g. a backup tool holding the file for minutes
        started = time.monotonic()
        code, out, err = verify_photo(capsys, emulator, "--lang", "en")
        took = time.monotonic() - started
        assert code == 0, err
        assert out.startswith("PASSED: ") and "not recorded" not in out + err
        assert journal_path(home.audit_db).exists()
    assert took < 15, took  # a bounded wait, then the journal
    code = main(["audit", "list", "--json"])  # the next start of any command
    out, _ = capsys.readouterr()
    listed = json.loads(out)
    assert code == 0 and [(r["mode"], r["outcome"]) for r in listed] == [("photo", "pass")]
    assert listed[0]["id_masked"] == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    main(["audit", "list", "--json"])
    assert len(json.loads(capsys.readouterr().out)) == 1  # replayed once, never twice


def test_verify_on_a_full_disk_prints_the_verdict_not_recorded_and_exits_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: Any, clean_logging: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        home = _xdg(tmp_path, monkeypatch, data=disk)
        AuditLog(home.audit_db).rows()
        fill(disk)
        code, out, err = verify_photo(capsys, emulator, "--lang", "en")
        assert code == 2
        assert out.startswith("PASSED: ")  # the verdict is still shown
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err
        assert "not recorded" in lines[0] and "未记录" in lines[0]
        code, out, err = verify_photo(capsys, emulator, "--lang", "zh", "--json")
        assert code == 2 and json.loads(out)["code"] == 0 and "未记录" in err


def test_verify_blocked_on_a_full_disk_is_not_recorded_either(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_logging: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        _xdg(tmp_path, monkeypatch, data=disk)
        fill(disk)
        code = main(["verify", "photo", "--image", str(CARD), "--id-number",
                     "110110199909090909", "--name", NAME, "--lang", "en",
                     "--endpoint", "http://127.0.0.1:9", "--appid", "1", "--secret-id", "x",
                     "--secret-key", "y"])
        out, err = capsys.readouterr()
        assert code == 2 and "NOT SENT" in out and "not recorded" in err


@pytest.mark.slow
def test_demo_writes_a_row_marked_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       clean_logging: None,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    home = _xdg(tmp_path, monkeypatch)
    code = main(["demo", "--mode", "photo", "--countdown", "0", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["recorded"] is True
    (row,) = AuditLog(home.audit_db).rows()
    assert (row.mode, row.outcome, row.demo, row.seq) == ("photo", "pass", True, result["seq"])
    main(["audit", "list", "--lang", "en"])
    out = capsys.readouterr().out
    header, line = out.strip().splitlines()
    assert "demo" in header.split() and line.split()[2:5] == ["photo", "pass", "demo"]
