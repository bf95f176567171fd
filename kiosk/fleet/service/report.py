"""What the supervisor's page shows: kiosks by branch, sessions by outcome, refusal codes, alerts."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kiosk.fleet.service.tables import audit, kiosks

# "Could not check" (docs/outcomes.md): no verdict was made.
COULD_NOT_CHECK = "error"
REFUSALS = ("fail", "refused", "blocked")
CSV_COLUMNS = ("time", "received_at", "branch", "kiosk_id", "seq", "uid", "mode", "outcome",
               "code", "predicted", "similarity", "live_status", "compare_status", "reference",
               "id_masked", "consent", "notice", "durations", "demo")


@dataclass(frozen=True)
class Limits:
    """When a kiosk counts as stale or offline, and the alert thresholds."""

    stale_after_s: float = 150.0
    offline_after_s: float = 300.0  # also the "silent for 5 minutes" alert
    could_not_check_rate: float = 0.20
    rate_window_s: float = 3600.0
    rate_min_sessions: int = 5  # one error in two sessions is not yet a rate


def kiosk_state(hb_at: datetime | None, now: datetime, limits: Limits) -> str:
    """online, stale or offline, from the age of the last heartbeat."""
    if hb_at is None:
        return "offline"
    age = (now - hb_at).total_seconds()
    return "online" if age <= limits.stale_after_s else (
        "stale" if age <= limits.offline_after_s else "offline")


def kiosks_by_branch(con: sa.Connection, now: datetime, limits: Limits) -> dict[str, list[dict[str, Any]]]:
    """Each branch's kiosks (not revoked), with their state and health."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = con.execute(sa.select(kiosks).where(kiosks.c.revoked_at.is_(None))
                       .order_by(kiosks.c.branch, kiosks.c.id))
    for row in rows:
        data = dict(row._mapping)
        data.pop("key")
        data["state"] = kiosk_state(row.hb_at, now, limits)
        out[row.branch].append(data)
    return dict(out)


def outcomes(con: sa.Connection, since: datetime) -> dict[str, int]:
    """Sessions by outcome since ``since``."""
    rows = con.execute(sa.select(audit.c.outcome, sa.func.count()).where(audit.c.time >= since)
                       .group_by(audit.c.outcome))
    return {outcome: int(n) for outcome, n in rows}


def per_day(con: sa.Connection, days: list[tuple[str, datetime]],
            end: datetime) -> dict[str, dict[str, int]]:
    """Outcomes per day: ``days`` are (label, start as naive UTC) in order, the last ending at
    ``end`` (kiosk.fleet.service.zone.days); {label: {outcome: n}}."""
    starts = [start for _, start in days[1:]] + [end]
    day = sa.case(*[(audit.c.time < nxt, label)
                    for (label, _), nxt in zip(days, starts, strict=True)]).label("day")
    # Grouped outside: the CASE's bound times would otherwise appear twice in one statement.
    inner = (sa.select(day, audit.c.outcome)
             .where(audit.c.time >= days[0][1], audit.c.time < end).subquery())
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for d, outcome, n in con.execute(sa.select(inner.c.day, inner.c.outcome, sa.func.count())
                                     .group_by(inner.c.day, inner.c.outcome)):
        out[str(d)][outcome] = int(n)
    return dict(out)


def top_codes(con: sa.Connection, since: datetime, limit: int = 10) -> list[tuple[int, int]]:
    """The commonest codes of refused, failed or blocked sessions: [(code, count)]."""
    n = sa.func.count().label("n")
    rows = con.execute(sa.select(audit.c.code, n)
                       .where(audit.c.time >= since, audit.c.outcome.in_(REFUSALS),
                              audit.c.code.is_not(None))
                       .group_by(audit.c.code).order_by(n.desc(), audit.c.code).limit(limit))
    return [(int(code), int(count)) for code, count in rows]


def limit_events(con: sa.Connection, since: datetime, limit: int = 20) -> list[dict[str, Any]]:
    """Sessions the attempt limit stopped, newest first."""
    rows = con.execute(sa.select(audit.c.time, audit.c.branch, audit.c.kiosk_id, audit.c.id_masked,
                                 audit.c.reference)
                       .where(audit.c.time >= since, audit.c.outcome == "limited")
                       .order_by(audit.c.time.desc()).limit(limit))
    return [dict(r._mapping) for r in rows]


def could_not_check(con: sa.Connection, now: datetime, limits: Limits) -> dict[str, tuple[int, int]]:
    """Per branch over the last window: (could-not-check sessions, all sessions)."""
    since = now - timedelta(seconds=limits.rate_window_s)
    bad = sa.func.sum(sa.case((audit.c.outcome == COULD_NOT_CHECK, 1), else_=0))
    rows = con.execute(sa.select(audit.c.branch, bad, sa.func.count())
                       .where(audit.c.time >= since).group_by(audit.c.branch))
    return {branch: (int(b or 0), int(n)) for branch, b, n in rows}


def csv_rows(con: sa.Connection, start: datetime, end: datetime) -> Iterator[list[Any]]:
    """Audit rows from ``start`` up to (not including) ``end``, in time order, for CSV."""
    stmt = (sa.select(*[audit.c[c] for c in CSV_COLUMNS])
            .where(audit.c.time >= start, audit.c.time < end)
            .order_by(audit.c.time, audit.c.kiosk_id, audit.c.seq))
    for row in con.execution_options(yield_per=1000).execute(stmt):
        values = list(row)
        values[CSV_COLUMNS.index("durations")] = json.dumps(json.loads(row.durations),
                                                            sort_keys=True)
        yield values
