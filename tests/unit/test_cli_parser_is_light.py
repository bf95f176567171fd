"""Building the command line loads no numeric or media library: every command builds it first.

The GUI's supervisor is such a command and lives all day beside the window; with ``kiosk.cli.demo``
importing the flow at the top it held numpy, OpenCV and PyAV (116 MB, 0.5 s) for nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.cli.demo import MODES
from kiosk.flow import Mode


def test_demo_modes_are_the_flows() -> None:
    assert sorted(MODES) == sorted(m.value for m in Mode)


def test_building_the_parser_imports_no_heavy_library() -> None:
    code = ("import json, sys, kiosk.cli; kiosk.cli.build_parser(); "
            "print(json.dumps(sorted(m for m in ('numpy', 'cv2', 'av', 'PySide6', 'kiosk.flow') "
            "if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    assert json.loads(out) == []


def test_the_gui_supervisor_loads_no_heavy_library(tmp_path: Path) -> None:
    # `kiosk gui` up to the moment it supervises its window: settings, logging, housekeeping.
    code = (
        "import json, sys; import kiosk.supervisor as s; s.supported = lambda: True; "
        "s.supervise = lambda argv: print(json.dumps(sorted(m for m in "
        "('numpy', 'cv2', 'av', 'PySide6', 'kiosk.flow', 'kiosk.checks') if m in sys.modules))) or 0; "
        "from kiosk.cli import main; sys.exit(main(['gui', '--demo']))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "XDG_"))}
    env.update({f"XDG_{d}_HOME": str(tmp_path / d) for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env=env, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []
