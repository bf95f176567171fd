"""packaging/kiosk_entry.py: the first-window probe the bundle test and benchmark time with."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[3]
ENTRY = REPO / "packaging" / "kiosk_entry.py"


def _entry() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kiosk_entry_under_test", ENTRY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the __main__ block does not run
    return module


def test_probe_reports_the_first_painted_window_once_and_ends_the_event_loop(
        qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    monkeypatch.setattr(QApplication, "exec", QApplication.exec)  # restored after the test
    entry = _entry()
    entry._quit_after_first_window()
    window = QLabel("first window")
    window.show()
    fallback = {"fired": False}

    def give_up() -> None:  # only if the probe never quits: fail instead of hanging
        fallback["fired"] = True
        QApplication.quit()

    QTimer.singleShot(20_000, give_up)
    status = QApplication.exec()
    window.close()
    assert status == 0
    assert not fallback["fired"]
    assert capsys.readouterr().err.splitlines().count(entry.PROBE_LINE) == 1


def test_without_the_variable_the_entry_point_runs_the_cli_untouched() -> None:
    # --version through the entry script: the same report as the console script, and the probe
    # never loads Qt's widgets module for a command that has no window.
    code = ("import runpy, sys; sys.argv = ['kiosk', '--version']\n"
            "try:\n    runpy.run_path(sys.argv_entry, run_name='__main__')\n"
            "except SystemExit as exc:\n    status = exc.code\n"
            "print('WIDGETS', 'PySide6.QtWidgets' in sys.modules, 'STATUS', status)")
    done = subprocess.run([sys.executable, "-c", code.replace("sys.argv_entry", repr(str(ENTRY)))],
                          capture_output=True, text=True, timeout=120, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("kiosk ")
    assert "WIDGETS False STATUS 0" in done.stdout
