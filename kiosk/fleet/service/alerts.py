"""Alerts: a silent kiosk, a camera failing its self-test, a branch that often could not check.

Shown on the page; with a webhook URL each new alert is also POSTed once as JSON. "Once" is kept
in the database (alerts_sent), so several workers or hosts send it once between them.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa

from kiosk.fleet import messages
from kiosk.fleet.service import report
from kiosk.fleet.service.store import _insert_ignore
from kiosk.fleet.service.tables import alerts_sent

log = logging.getLogger("kiosk.fleet.alerts")


@dataclass(frozen=True)
class Alert:
    """One alert: a stable key (for sending once), its kind, where, and what it says."""

    key: str
    kind: str  # silent | camera | could_not_check
    branch: str
    kiosk_id: str
    en: str
    zh: str


def current(con: sa.Connection, now: datetime, limits: report.Limits) -> list[Alert]:
    """The alerts that hold now."""
    found: list[Alert] = []
    for branch, rows in report.kiosks_by_branch(con, now, limits).items():
        for k in rows:
            since = k["hb_at"] or k["joined_at"]
            if k["state"] == "offline":
                said = messages.ALERT_SILENT(kiosk=k["id"],
                                             minutes=int((now - since).total_seconds() // 60))
                found.append(Alert(f"silent:{k['id']}:{since:%Y%m%d%H%M%S}", "silent", branch,
                                   k["id"], said.en, said.zh))
            if k["camera"] == "FAIL":
                said = messages.ALERT_CAMERA(kiosk=k["id"])
                found.append(Alert(f"camera:{k['id']}:{k['hb_at']:%Y%m%d%H}", "camera", branch,
                                   k["id"], said.en, said.zh))
    for branch, (bad, total) in sorted(report.could_not_check(con, now, limits).items()):
        if total >= limits.rate_min_sessions and bad / total > limits.could_not_check_rate:
            said = messages.ALERT_COULD_NOT_CHECK(branch=branch, pct=round(100 * bad / total),
                                                  bad=bad, total=total)
            found.append(Alert(f"rate:{branch}:{now:%Y%m%d%H}", "could_not_check", branch, "",
                               said.en, said.zh))
    return found


def send_new(engine: sa.Engine, now: datetime, limits: report.Limits, url: str,
             timeout: float = 5.0) -> int:
    """POST each alert not sent before to ``url``; how many were sent."""
    with engine.begin() as con:
        alerts = current(con, now, limits)
    sent = 0
    for alert in alerts:
        with engine.begin() as con:
            claimed = con.execute(_insert_ignore(con, alerts_sent).values(key=alert.key, sent_at=now)
                                  .returning(alerts_sent.c.key)).first()
            if claimed is None:
                continue  # another worker has it
            body = json.dumps({"alert": asdict(alert), "time": now.isoformat() + "Z"}).encode()
            request = urllib.request.Request(url, data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
                    reply.read()
            except OSError as exc:  # kept unsent (the claim rolls back): tried again next round
                log.warning("alert webhook failed (%s); will try again", type(exc).__name__)
                raise _Retry from None
            sent += 1
    return sent


class _Retry(Exception):
    """The webhook did not answer: the claim is rolled back."""


def send_safely(engine: sa.Engine, now: datetime, limits: report.Limits, url: str) -> int:
    """send_new, where a failing webhook or database only logs (the loop goes on)."""
    try:
        return send_new(engine, now, limits, url)
    except _Retry:
        return 0
    except sa.exc.SQLAlchemyError as exc:
        log.warning("alerts not checked: database %s", type(exc).__name__)
        return 0
