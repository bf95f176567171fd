"""What a heartbeat says: camera, microphone, service reachability, disk free, the last error.

Cheap probes only, run on the sender's thread: the doctor's device listing (no camera is opened),
one GET to the service's endpoint, a disk_usage call and one query of the audit log. What the
GUI saw (its self-test, a device failing in a session) comes through ``Reported``: kiosk.cli.gui
hands its methods to the window, which does not import the fleet.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import Paths
from kiosk.config.doctor import Check, device_verdicts

log = logging.getLogger("kiosk.fleet.health")
RANK = {"OK": 0, "WARN": 1, "FAIL": 2}
# A device failure reported by the GUI stands as the last error unless the audit log has a newer
# "could not check" row; the session's own row is written just before the GUI hears of it.
SAME_SESSION_S = 60.0


class Reported:
    """What the GUI saw: its self-test's camera and microphone, and a device that failed a session.

    Written on the GUI thread, read on the sender's: each field is replaced whole, never changed
    in place. ``wake`` (the sender's ``beat_soon``) sends the news without waiting a minute.
    """

    def __init__(self, wake: Callable[[], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.devices: dict[str, str] = {}
        self.device_error: tuple[float, str] | None = None
        self._wake = wake
        self._clock = clock

    def self_test(self, checks: Iterable[Check]) -> None:
        """The desk's self-test finished: keep its camera and microphone verdicts."""
        found = device_verdicts(checks)
        if found:
            self.devices = found
            self._tell()

    def session_failed(self, cause: str, text_en: str) -> None:
        """A session ended with no verdict; a failed device (cause "device") is the last error."""
        if cause == "device":
            self.device_error = (self._clock(), text_en[:200])
            self._tell()

    def _tell(self) -> None:
        if self._wake is not None:
            self._wake()


def _worst(*statuses: str) -> str:
    return max((s for s in statuses if s), key=lambda s: RANK.get(s, 1), default="")


def devices(paths: Paths, reported: Reported | None = None) -> dict[str, str]:
    """camera and microphone: the worse of the GUI's last self-test and the doctor's device list
    (a camera that failed its self-test stays FAIL until a self-test passes; one unplugged since
    is FAIL at once)."""
    found = reported.devices if reported is not None else {}
    try:
        from kiosk.config import Settings
        from kiosk.config.doctor import check_devices

        listed = device_verdicts(check_devices(Settings(paths)))
    except Exception as exc:  # a broken driver must not stop the heartbeat
        log.info("device check failed in the heartbeat: %s", type(exc).__name__)
        listed = {"camera": "WARN", "microphone": "WARN"}
    return {k: _worst(found.get(k, ""), listed.get(k, "")) for k in ("camera", "microphone")}


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


def last_error(audit_db: Path, reported: Reported | None = None) -> str:
    """The latest "could not check" row's time and code, or the device failure the GUI reported
    for it (what failed says more than a row without a code); no person's data either way."""
    try:
        con = sqlite3.connect(f"file:{audit_db}?mode=ro", uri=True, timeout=1)
        try:
            row = con.execute("SELECT time, code FROM verifications WHERE outcome = 'error' "
                              "ORDER BY time DESC LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        row = None
    failed = reported.device_error if reported is not None else None
    if failed is not None and (row is None or _seconds(row[0]) <= failed[0] + SAME_SESSION_S):
        at = datetime.fromtimestamp(failed[0], UTC).isoformat(timespec="seconds")
        return f"{at} device: {failed[1]}"
    return "" if row is None else f"{row[0]} code {row[1]}"


def _seconds(iso: str) -> float:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0


def beat(paths: Paths, now: float, outbox: int, *, reported: Reported | None = None,
         probe_devices: bool = True, probe_service: bool = True) -> dict[str, Any]:
    """One heartbeat's fields (kiosk.fleet.protocol.HEARTBEAT_FIELDS)."""
    found = devices(paths, reported) if probe_devices else {"camera": "", "microphone": ""}
    return {
        "version": __version__, "time": now, **found,
        "service": service(paths) if probe_service else "",
        "disk_free_mb": disk_free_mb(paths.data_dir), "last_error": last_error(paths.audit_db, reported),
        "outbox": outbox,
    }
