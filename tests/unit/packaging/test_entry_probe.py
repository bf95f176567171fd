"""packaging/kiosk_entry.py: the first-window probe the bundle test and benchmark time with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.scripts import load_script

REPO = Path(__file__).resolve().parents[3]
ENTRY = REPO / "packaging" / "kiosk_entry.py"


def _entry() -> ModuleType:
    return load_script(ENTRY, "kiosk_entry_under_test")


def test_probe_reports_the_start_up_screen_then_the_main_window_and_ends_the_event_loop(
        qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from PySide6 import QtWidgets
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from kiosk.ui import startup

    monkeypatch.setattr(QtWidgets, "QApplication", QApplication)  # restored after the test
    entry = _entry()
    assert entry.STARTUP_SCREEN == startup.OBJECT_NAME
    entry._quit_after_first_window()
    assert startup.show(fullscreen=False)  # painted now, before the event loop runs
    said = capsys.readouterr().err.splitlines()
    assert said.count(entry.PROBE_LINE) == 1
    assert entry.MAIN_LINE not in said  # the start-up screen is not the main window
    window = QLabel("first window")
    window.setObjectName("main")
    window.show()
    startup.dismiss()
    fallback = {"fired": False}

    def give_up() -> None:  # only if the probe never quits: fail instead of hanging
        fallback["fired"] = True
        QApplication.quit()

    QTimer.singleShot(20_000, give_up)
    status = QApplication.exec()
    window.close()
    assert status == 0
    assert not fallback["fired"]
    said = capsys.readouterr().err.splitlines()
    assert said == [entry.MAIN_LINE]  # the first window was reported once, before


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
