"""When a call may be sent again, and how long to wait first.

``livegetfour`` only hands out four digits, so any transient failure may be retried. The uploads
may be resent only when the request never reached the server (a connect failure) or the server
said it did not process it (codes 15, 107, 108, and HTTP 429): never after an unknown outcome, so
a video whose upload completed is not sent twice.

All attempts of one call, and the waits between them, fit in one overall deadline (the client's
``send``): a retry that would not fit is not made.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

from kiosk.api._exceptions import (
    ConnectionLostError,
    HTTPStatusError,
    RateLimitedError,
    TruncatedError,
)
from kiosk.api.codes import CATALOG, RETRY_SAFE_CODES, Category
from kiosk.errors import ApiError, ConnectError, ServiceError, TimeoutError_

# 13 (replay) cannot repeat with a fresh signature, which every attempt gets.
_IDEMPOTENT_CODES = frozenset({13}) | {
    code for code, entry in CATALOG.items() if entry.category is Category.TRANSIENT
}


def may_retry(error: ApiError, *, idempotent: bool) -> bool:
    """True when resending after ``error`` is safe and may help."""
    if isinstance(error, ServiceError):
        code = error.code if error.code is not None else 0
        return code in RETRY_SAFE_CODES or (idempotent and code in _IDEMPOTENT_CODES)
    if isinstance(error, ConnectError | RateLimitedError):  # 429: the server did not process it
        return True
    if not idempotent:
        return False
    if isinstance(error, HTTPStatusError):
        return error.status >= 500
    return isinstance(error, TimeoutError_ | ConnectionLostError | TruncatedError)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits between half and all of base*2^(n-1)."""

    base: float = 0.5
    cap: float = 8.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based)."""
        ceiling = min(self.cap, self.base * 2.0 ** (attempt - 1))
        # Jitter spreads kiosks that failed together (a network blip) so they do not retry in step.
        return float(ceiling / 2 + rng.uniform(0, ceiling / 2))


# A Retry-After longer than this is read as this: the message stays sensible ("wait 60 min"),
# and no client waits on a server's say-so for longer.
MAX_RETRY_AFTER_S = 3600
_SECONDS = re.compile(r"\s*[0-9]{1,12}\s*")


def retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asks to wait (``Retry-After``: seconds or an HTTP date), bounded to
    0..MAX_RETRY_AFTER_S; None when absent or unreadable.

    A date is counted from the server's own ``Date`` header when it sent one, so a wrong clock on
    either side does not change the wait; otherwise from ``now`` (Unix seconds).
    """
    value = _header(headers, "retry-after")
    if value is None:
        return None
    if _SECONDS.fullmatch(value):
        return float(min(int(value), MAX_RETRY_AFTER_S))
    when = _date(value)
    if when is None:
        return None
    base = _date(_header(headers, "date") or "")
    wait = when - (base if base is not None else now)
    return float(min(max(0, round(wait)), MAX_RETRY_AFTER_S))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)[:100]
    return None


def _date(value: str) -> float | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.timestamp()
    except (OverflowError, ValueError, OSError):
        return None
