"""kiosk config / audit / doctor from the command line, in-process, in private folders."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import AuditLog, AuditRecord, Paths
from kiosk.config.workspace import MARKER

SECRET = "CliSecretValue-9f3a"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Paths]:
    """Fresh XDG folders; the kiosk's log handlers removed afterwards."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    root = logging.getLogger()
    saved = list(root.handlers)
    yield Paths.default()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_set_show_and_path(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "config", "set", "clip_seconds", "8")[0] == 0
    assert run(capsys, "config", "set", "mode", "card")[0] == 0
    code, out, _ = run(capsys, "config", "show", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["clip_seconds"] == {"value": 8, "source": "file"}
    assert shown["mode"]["value"] == "card" and shown["threshold"]["value"] == 70
    code, out, _ = run(capsys, "config", "path", "--json")
    where = json.loads(out)
    assert where["settings"] == str(home.settings_file) and where["audit"] == str(home.audit_db)
    assert where["secret"].startswith("file: ")


def test_refusals_give_the_reason_and_exit_2(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "config", "set", "clip_seconds", "15")
    assert code == 2 and out == ""
    assert err.startswith("error: clip_seconds = '15' refused: must be between 3 and 10 — ")
    code, _, err = run(capsys, "--lang", "zh", "config", "set", "mode", "selfie")
    assert code == 2 and "只能是 photo | card | idcard | live 之一" in err
    code, _, err = run(capsys, "config", "set", "nonsense", "1")
    assert code == 2 and "unknown setting" in err
    assert not home.settings_file.exists()


def test_env_and_flags_win_in_show(home: Paths, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "config", "set", "clip_format", "mp4")
    monkeypatch.setenv("KIOSK_CLIP_FORMAT", "flv")
    shown = json.loads(run(capsys, "config", "show", "--json")[1])
    assert shown["clip_format"] == {"value": "flv", "source": "env"}
    shown = json.loads(run(capsys, "config", "show", "--json", "--clip-seconds", "4")[1])
    assert shown["clip_seconds"] == {"value": 4, "source": "flag"}
    code, _, err = run(capsys, "config", "set", "clip_format", "mp4")
    assert code == 0 and "KIOSK_CLIP_FORMAT is set and still wins" in err


def test_secret_from_stdin_is_stored_privately_and_never_shown(
        home: Paths, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code, out, err = run(capsys, "config", "set", "secret_key", "-")
    assert code == 0 and "no usable system keyring" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code, out2, err2 = run(capsys, "config", "set", "secret_key", "-")
    assert "no usable system keyring" not in err2  # the warning is one-time
    outputs = [out, err, out2, err2]
    for args in (("config", "show"), ("config", "show", "--json"), ("config", "path")):
        code, o, e = run(capsys, *args)
        assert code == 0
        outputs += [o, e]
    assert json.loads(outputs[-4])["secret_key"] == {"value": "(set)", "source": "secret file"}
    assert all(SECRET not in text for text in outputs)
    assert SECRET not in home.settings_file.read_text() if home.settings_file.exists() else True
    assert (home.secret_file.stat().st_mode & 0o777) == 0o600


def test_operator_pin_is_hashed(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "set", "operator_pin", "135790")
    assert code == 0 and "135790" not in out
    assert "135790" not in home.settings_file.read_text()
    assert json.loads(run(capsys, "config", "show", "--json")[1])["operator_pin"]["value"] == "(set)"


def test_damaged_file_is_reported_and_kept(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    home.config_dir.mkdir(parents=True)
    home.settings_file.write_text('mode = "card"\nclip_seconds = [\n')
    code, out, err = run(capsys, "config", "show")
    assert code == 2 and out == ""
    assert f"settings file {home.settings_file}, line 2" in err and "Traceback" not in err
    assert run(capsys, "config", "set", "mode", "photo")[0] == 2
    assert home.settings_file.read_text() == 'mode = "card"\nclip_seconds = [\n'
    assert run(capsys, "config", "path")[0] == 0  # still tells where the file is


def test_audit_list_and_export(home: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "(no rows)" in run(capsys, "audit", "list")[1]
    log = AuditLog(home.audit_db)
    log.record(AuditRecord(mode="idcard", outcome="pass", code=0, similarity=91.0, live_status=0,
                           compare_status=0, id_masked="11010519491231002X", seq="s1",
                           durations={"upload": 1.0}))
    log.record(AuditRecord(mode="idcard", outcome="blocked", code=-5801, predicted=True,
                           id_masked="11010519491231002Y"))
    code, out, _ = run(capsys, "audit", "list")
    assert code == 0 and "110105********002X" in out and "-5801*" in out and "upload=1" in out
    rows = json.loads(run(capsys, "audit", "list", "--json")[1])
    assert [r["outcome"] for r in rows] == ["pass", "blocked"]
    assert json.loads(run(capsys, "audit", "list", "--json", "--since", "2999-01-01")[1]) == []
    with pytest.raises(SystemExit) as bad:  # argparse's usage error
        main(["audit", "list", "--since", "yesterday"])
    assert bad.value.code == 2 and "is not a date" in capsys.readouterr().err
    target = tmp_path / "out.csv"
    code, out, _ = run(capsys, "audit", "export", "--csv", str(target))
    assert code == 0 and "2 rows" in out
    exported = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["id_masked"] for r in exported] == ["110105********002X", "110105********002Y"]
    assert "11010519491231002X" not in target.read_text()


def test_a_start_sweeps_a_crashed_sessions_folder(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = home.sessions_dir / "session-crashed"
    leftover.mkdir(parents=True)
    (leftover / "clip.mp4").write_bytes(b"face")
    (leftover / MARKER).write_text(json.dumps({"pid": dead.pid}))
    assert run(capsys, "config", "path")[0] == 0
    assert not leftover.exists()


def test_doctor_reports_and_exits_2_when_the_endpoint_is_down(
        home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "doctor", "--endpoint", "http://127.0.0.1:9", "--appid", "1",
                       "--secret-id", "AKID1", "--secret-key", SECRET)
    assert code == 2
    assert "FAIL  endpoint" in out and "fix: check the network" in out and SECRET not in out
    code, out, _ = run(capsys, "doctor", "--json", "--endpoint", "http://127.0.0.1:9")
    assert code == 2 and {c["name"] for c in json.loads(out)} >= {"settings", "ffmpeg", "endpoint"}
