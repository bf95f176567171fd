"""What a heartbeat says: camera, microphone, service reachability, disk free, the last error.

Cheap probes only, run on the sender's thread: the doctor's device listing (no camera is opened),
one GET to the service's endpoint, a disk_usage call and one query of the audit log.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import Paths

log = logging.getLogger("kiosk.fleet.health")

# What the GUI's own self-test found last (kiosk.ui may set it): name -> OK | WARN | FAIL.
reported: dict[str, str] = {}


def devices(paths: Paths) -> dict[str, str]:
    """camera and microphone: the GUI's self-test when it ran, else the doctor's device check."""
    found = {k: v for k, v in reported.items() if k in ("camera", "microphone")}
    if len(found) == 2:
        return found
    try:
        from kiosk.config import Settings
        from kiosk.config.doctor import check_devices

        checks = check_devices(Settings(paths))
        return {"camera": checks[0].status, "microphone": checks[1].status} | found
    except Exception as exc:  # a broken driver must not stop the heartbeat
        log.info("device check failed in the heartbeat: %s", type(exc).__name__)
        return {"camera": "WARN", "microphone": "WARN"} | found


def service(paths: Paths, get: Callable[..., Any] | None = None) -> str:
    """OK when the verification service's endpoint answers at all, else FAIL."""
    try:
        from kiosk.config import Settings

        endpoint = str(Settings(paths).get("endpoint"))
        import requests

        (get or requests.get)(endpoint + "/", timeout=(3, 5), allow_redirects=False)
    except Exception:
        return "FAIL"
    return "OK"


def disk_free_mb(path: Path) -> float | None:
    """Free space where the audit log and session workspaces live."""
    try:
        return round(shutil.disk_usage(path if path.exists() else path.parent).free / 2**20, 1)
    except OSError:
        return None


def last_error(audit_db: Path) -> str:
    """The latest "could not check" row: its time and code (no person's data)."""
    try:
        con = sqlite3.connect(f"file:{audit_db}?mode=ro", uri=True, timeout=1)
        try:
            row = con.execute("SELECT time, code FROM verifications WHERE outcome = 'error' "
                              "ORDER BY time DESC LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return "" if row is None else f"{row[0]} code {row[1]}"


def beat(paths: Paths, now: float, outbox: int, *, probe_devices: bool = True,
         probe_service: bool = True) -> dict[str, Any]:
    """One heartbeat's fields (kiosk.fleet.protocol.HEARTBEAT_FIELDS)."""
    found = devices(paths) if probe_devices else {"camera": "", "microphone": ""}
    return {
        "version": __version__, "time": now, **found,
        "service": service(paths) if probe_service else "",
        "disk_free_mb": disk_free_mb(paths.data_dir), "last_error": last_error(paths.audit_db),
        "outbox": outbox,
    }
