"""kiosk doctor against the local emulator: a real signature, a real Date header."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from kiosk.emulator import start_in_process

    handle = start_in_process(tmp_path_factory.mktemp("emulator-data"))
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    root = logging.getLogger()
    saved = list(root.handlers)
    yield tmp_path
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved


def doctor(capsys: pytest.CaptureFixture[str], emulator: Any, key: str) -> tuple[int, dict[str, Any]]:
    code = main(["doctor", "--json", "--endpoint", emulator.base_url, "--appid", emulator.appid,
                 "--secret-id", emulator.secret_id, "--secret-key", key,
                 "--camera", "synthetic", "--mic", "synthetic"])
    out, err = capsys.readouterr()
    assert key not in out and key not in err
    return code, {c["name"]: c for c in json.loads(out)}


def test_doctor_passes_the_service_checks(home: Path, emulator: Any,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, checks = doctor(capsys, emulator, emulator.secret_key)
    for name in ("endpoint", "clock", "signature", "cameras", "microphones", "ffmpeg"):
        assert checks[name]["status"] == "OK", checks[name]
    assert "livegetfour returned 4 digits" in checks["signature"]["detail_en"]
    # The secret store is a file under the test's fail keyring, and there is no display: warnings.
    assert code == 1


def test_doctor_names_a_wrong_secret_key(home: Path, emulator: Any,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, checks = doctor(capsys, emulator, "WrongSecretKey-000")
    assert code == 2
    assert checks["signature"]["status"] == "FAIL" and "code 14" in checks["signature"]["detail_en"]
    assert checks["endpoint"]["status"] == "OK"
