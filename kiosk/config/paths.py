"""Where the kiosk keeps its files: settings, secrets, logs, audit log, session workspaces."""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "kiosk"


@dataclass(frozen=True)
class Paths:
    """The folders of one installation; tests build one on a temporary folder."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    sessions_dir: Path

    @classmethod
    def default(cls) -> Paths:
        """The platform's folders for the current user (platformdirs)."""
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP, appauthor=False)),
            sessions_dir=_sessions_root(),
        )

    @classmethod
    def under(cls, root: Path) -> Paths:
        """Every folder below one root (tests, portable installs)."""
        return cls(
            config_dir=root / "config",
            data_dir=root / "data",
            log_dir=root / "log",
            sessions_dir=root / "sessions",
        )

    @property
    def settings_file(self) -> Path:
        """The TOML settings file."""
        return self.config_dir / "settings.toml"

    @property
    def secret_file(self) -> Path:
        """The 0600 fallback for the secret key when no keyring is usable."""
        return self.config_dir / "secret.toml"

    @property
    def audit_db(self) -> Path:
        """The SQLite audit log."""
        return self.data_dir / "audit.sqlite3"

    @property
    def log_file(self) -> Path:
        """The rotating log file."""
        return self.log_dir / "kiosk.log"

    @property
    def leases_dir(self) -> Path:
        """Leases on working folders kept outside ``sessions_dir`` (see kiosk.config.leases).

        On disk, not in the runtime folder: a staging folder next to ``--out`` outlives a
        logout, so the lease naming it must too.
        """
        return self.data_dir / "leases"

    @property
    def retained_dir(self) -> Path:
        """Clips an operator chose to keep for disputes (keep_clips_days > 0)."""
        return self.data_dir / "retained"


def _sessions_root() -> Path:
    """The platform's private runtime folder when it has a sound one, else the cache folder.

    On Linux, XDG_RUNTIME_DIR is a per-user tmpfs emptied at logout, the best place for faces
    and voices; when it is missing or unsafe platformdirs warns and falls back to a folder in
    /tmp, and the user's cache folder is the better choice then.
    """
    cache = Path(platformdirs.user_cache_dir(APP, appauthor=False)) / "sessions"
    xdg = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform.startswith("linux") and not xdg:
        return cache
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            runtime = Path(platformdirs.user_runtime_dir(APP, appauthor=False)) / "sessions"
        except OSError:
            return cache
    # platformdirs warns (once per process) and falls back to /tmp when XDG_RUNTIME_DIR is unsafe.
    if caught or (xdg and not runtime.is_relative_to(xdg)):
        return cache
    return runtime


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by the user only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
