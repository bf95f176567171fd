"""What every start does first: queued and interrupted audit rows, a crashed session's media, old clips."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.config.leases import Leases
from kiosk.config.paths import Paths
from kiosk.config.store import Settings
from kiosk.config.workspace import Workspace
from kiosk.errors import KioskError

log = logging.getLogger("kiosk.config")


def run(paths: Paths | None = None, *, clock: Callable[[], float] = time.time) -> None:
    """Sweep leftover session and leased folders, prune retained clips; logs problems, never raises.

    Runs before the command, so a damaged settings file must not stop ``kiosk config path``:
    then the kept clips are left for the next start that can read the setting.
    """
    paths = paths or Paths.default()
    try:  # rows queued while the audit log was locked or damaged (kiosk.config.journal)
        from kiosk.config.audit import AuditLog

        AuditLog(paths.audit_db, clock=clock).replay()
    except (OSError, KioskError) as exc:
        log.warning("audit rows still queued in the journal (%s)", type(exc).__name__)
    try:  # runs a crash cut short get their audit row (outcome error); the sweep deletes media
        from kiosk.config.pending import recover

        recover(paths, clock=clock)
    except (OSError, KioskError) as exc:
        log.warning("could not record interrupted verifications (%s)", type(exc).__name__)
    try:
        Workspace.sweep_leftovers(paths.sessions_dir, clock=clock)
    except OSError as exc:
        log.warning("could not sweep %s (%s)", paths.sessions_dir, type(exc).__name__)
    try:  # staging folders next to --out, the emulator's folders in TMPDIR (kiosk.config.leases)
        Leases(paths.leases_dir).sweep(clock=clock)
    except OSError as exc:
        log.warning("could not sweep %s (%s)", paths.leases_dir, type(exc).__name__)
    if not paths.retained_dir.exists():
        return
    try:
        keep_days = int(Settings(paths).get("keep_clips_days"))
    except KioskError:
        return
    Workspace.prune_retained(paths.retained_dir, keep_days, clock=clock)
