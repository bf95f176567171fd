"""When a call may be sent again, and how long to wait first.

``livegetfour`` only hands out four digits, so any transient failure may be retried. The uploads
may be resent only when the request never reached the server (a connect failure) or the server
said it did not process it (codes 15, 107, 108): never after an unknown outcome, so a video whose
upload completed is not sent twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiosk.api._exceptions import ConnectionLostError, HTTPStatusError, TruncatedError
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
    if isinstance(error, ConnectError):
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
