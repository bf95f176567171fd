"""A window that cannot start says why in one line, once, through its supervisor too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SILENT_DISPLAY = 47_311  # no X server listens there (xvfb-run -a takes the first free from 99)


def run_gui(tmp_path: Path, *argv: str, display: str | None,
            **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KIOSK_", "XDG_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                                 "QT_QPA_PLATFORM")}
    env.update({f"KIOSK_{k.upper()}": v for k, v in settings.items()})
    env.update({f"XDG_{d}_HOME": str(tmp_path / d) for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    if display:
        env["DISPLAY"] = display  # never opened: the PIN check comes first
    return subprocess.run([sys.executable, "-m", "kiosk", "gui", *argv, "--lang", "en"],
                          capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("argv, display, said", [
    ((), None, "no display to show the GUI on"),
    (("--no-supervisor",), None, "no display to show the GUI on"),
    (("--kiosk",), ":99", "the kiosk mode needs an operator PIN"),
    # A display that does not answer: said in words, not by Qt's abort (status 134), and the
    # supervisor does not restart a window that could not start.
    ((), f":{SILENT_DISPLAY}", f"the display :{SILENT_DISPLAY} does not answer"),
    (("--no-supervisor",), f":{SILENT_DISPLAY}", f"the display :{SILENT_DISPLAY} does not answer"),
])
def test_a_refused_start_is_one_line_and_exit_2(tmp_path: Path, argv: tuple[str, ...],
                                                display: str | None, said: str) -> None:
    done = run_gui(tmp_path, *argv, display=display)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {said}") and " — " in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_card_reader_that_cannot_be_loaded_stops_the_start_saying_why(tmp_path: Path) -> None:
    done = run_gui(tmp_path, "--no-supervisor", display=":99",  # never opened: the reader is first
                   card_reader="no_such_vendor_reader:make")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: card_reader = 'no_such_vendor_reader:make': the module "
                               "no_such_vendor_reader cannot be imported")
    assert "install the reader vendor's plug-in" in lines[0] and "Traceback" not in done.stderr
