"""Suite-wide setup: no display, no real user folders, loopback only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Qt without a display; set before any test imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Keep settings, caches, logs and keyrings of the test run away from the user's own folders.
_HOME = Path(tempfile.mkdtemp(prefix="kiosk-test-home-"))
for var, sub in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_STATE_HOME", "state"),
    ("XDG_RUNTIME_DIR", "runtime"),
):
    (_HOME / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ[var] = str(_HOME / sub)
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
for var in list(os.environ):
    if var.startswith("KIOSK_"):
        del os.environ[var]

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "assets"

# Shared test helpers live in tests/support/ (``from tests.support import ...``).
import sys  # noqa: E402

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
