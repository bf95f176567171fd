"""What every start does first: delete a crashed session's media, prune kept clips."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.config.paths import Paths
from kiosk.config.store import Settings
from kiosk.config.workspace import Workspace
from kiosk.errors import KioskError

log = logging.getLogger("kiosk.config")


def run(paths: Paths | None = None, *, clock: Callable[[], float] = time.time) -> None:
    """Sweep leftover session folders and prune retained clips; logs problems, never raises.

    Runs before the command, so a damaged settings file must not stop ``kiosk config path``:
    then the kept clips are left for the next start that can read the setting.
    """
    paths = paths or Paths.default()
    try:
        Workspace.sweep_leftovers(paths.sessions_dir, clock=clock)
    except OSError as exc:
        log.warning("could not sweep %s (%s)", paths.sessions_dir, type(exc).__name__)
    if not paths.retained_dir.exists():
        return
    try:
        keep_days = int(Settings(paths).get("keep_clips_days"))
    except KioskError:
        return
    Workspace.prune_retained(paths.retained_dir, keep_days, clock=clock)
