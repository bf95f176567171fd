"""The page's days: midnight to midnight in the supervisor's time zone (``serve --tz``), as UTC.

The tables keep naive UTC; a branch in Shanghai reads "today" from its own midnight, which is
16:00 UTC the day before. Boundaries are computed per day, so a zone with daylight saving time
gets its 23- and 25-hour days right.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def named(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (Asia/Shanghai); ValueError when there is no such zone."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(name) from None


def local() -> tzinfo:
    """This server's zone: TZ, else /etc/localtime's zone, else its current fixed offset."""
    for name in (os.environ.get("TZ", "").lstrip(":"), _etc_localtime()):
        if name:
            try:
                return named(name)
            except ValueError:
                continue
    return datetime.now().astimezone().tzinfo or UTC


def _etc_localtime() -> str:
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return ""
    return target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else ""


def name_of(zone: tzinfo) -> str:
    """The zone's name for the page (Asia/Shanghai, or UTC+08:00 for a bare offset)."""
    return getattr(zone, "key", None) or datetime.now(zone).strftime("UTC%z")


def start_of(day: date, zone: tzinfo) -> datetime:
    """The local midnight that begins ``day``, as naive UTC."""
    local_midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    return local_midnight.astimezone(UTC).replace(tzinfo=None)


def today(now: datetime, zone: tzinfo) -> date:
    """The local date at ``now`` (naive UTC)."""
    return now.replace(tzinfo=UTC).astimezone(zone).date()


def days(now: datetime, zone: tzinfo, count: int) -> tuple[list[tuple[str, datetime]], datetime]:
    """The last ``count`` local days up to today, oldest first: (YYYY-MM-DD, start as naive UTC),
    and the end of today (the next local midnight) as naive UTC."""
    last = today(now, zone)
    found = [(d.isoformat(), start_of(d, zone))
             for d in (last - timedelta(days=count - 1 - i) for i in range(count))]
    return found, start_of(last + timedelta(days=1), zone)


def local_time(value: datetime, zone: tzinfo) -> datetime:
    """A naive UTC time as the zone's wall-clock time."""
    return value.replace(tzinfo=UTC).astimezone(zone)
