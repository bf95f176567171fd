"""Suite-wide setup: no display, no real user folders, loopback only."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Qt without a display; set before any test imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Keep settings, caches, logs and keyrings of the test run away from the user's own folders.
# In the system's temporary folder, also for pytest-xdist's workers (whose TMPDIR is already the
# controller's home): nested homes would make socket paths too long for AF_UNIX.
_SYSTEM_TMP = os.environ.setdefault("TEST_SYSTEM_TMPDIR", tempfile.gettempdir())
_HOME = Path(tempfile.mkdtemp(prefix="kiosk-test-home-", dir=_SYSTEM_TMP))
for var, sub in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_STATE_HOME", "state"),
    ("XDG_RUNTIME_DIR", "runtime"),
    ("TMPDIR", "tmp"),  # folders a killed child or server leaves go with the rest at the end
):
    (_HOME / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ[var] = str(_HOME / sub)
tempfile.tempdir = None  # read TMPDIR again
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


def pytest_unconfigure(config: object) -> None:
    """Delete the run's home: settings, logs and every temporary folder made under it."""
    shutil.rmtree(_HOME, ignore_errors=True)
