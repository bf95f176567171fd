"""The kiosk's screen must not blank: what keep_awake asks of each system."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui import app


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self.states: list[int] = []

    def start(self, program: str, args: list[str]) -> bool:
        self.calls.append((program, args))
        return True

    def SetThreadExecutionState(self, flags: int) -> int:  # noqa: N802 - the Win32 name
        self.states.append(flags)
        return 1


def test_windows_keeps_the_display_on_until_the_kiosk_ends() -> None:
    rec = Recorder()
    app.keep_awake("win32", rec.start, kernel32=rec)
    # ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED, as documented by Microsoft
    assert rec.states == [0x80000003] and rec.calls == []


def test_macos_starts_one_caffeinate_tied_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "_caffeinated", False)
    rec = Recorder()
    for _ in range(3):
        app.keep_awake("darwin", rec.start)
    assert rec.calls == [("caffeinate", ["-d", "-i", "-w", str(os.getpid())])]


def test_linux_resets_the_x_screensaver_only_where_there_is_an_x_display(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    xset = tmp_path / "xset"
    xset.write_text("#!/bin/sh\n", encoding="utf-8")
    xset.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    rec = Recorder()
    monkeypatch.delenv("DISPLAY", raising=False)
    app.keep_awake("linux", rec.start)
    assert rec.calls == []
    monkeypatch.setenv("DISPLAY", ":9")
    app.keep_awake("linux", rec.start)
    assert rec.calls == [("xset", ["s", "reset"])]


def test_other_systems_are_left_alone() -> None:
    rec: Any = Recorder()
    app.keep_awake("freebsd14", rec.start, kernel32=rec)
    assert rec.calls == [] and rec.states == []
