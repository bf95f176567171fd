"""The four-digit codes of ``livegetfour``: random, per appid, ten minutes, one detection call."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable

CODE_LIFETIME_S = 600.0
# A bound on codes held per appid, so a runaway client cannot grow memory for ever; past it the
# emulator answers 15 (too many requests), as the service's rate limit would.
MAX_LIVE_CODES = 2000


class TooManyCodesError(Exception):
    """An appid holds more unused, unexpired codes than the emulator keeps."""


class FourCodes:
    """Issues and redeems codes; the clock is injected so expiry is testable without waiting."""

    def __init__(self, clock: Callable[[], float], lifetime: float = CODE_LIFETIME_S) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._live: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, appid: str) -> str:
        """A fresh code for ``appid``, distinct from its other live codes."""
        now = self._clock()
        with self._lock:
            codes = self._live.setdefault(appid, {})
            for code in [c for c, issued in codes.items() if now - issued > self._lifetime]:
                del codes[code]
            if len(codes) >= MAX_LIVE_CODES:
                raise TooManyCodesError(appid)
            while True:
                code = f"{secrets.randbelow(10_000):04d}"
                if code not in codes:
                    codes[code] = now
                    return code

    def redeem(self, appid: str, code: str) -> str | None:
        """Use up ``code``; None when valid, else why it is refused (unknown, expired, reused)."""
        now = self._clock()
        with self._lock:
            codes = self._live.get(appid, {})
            issued = codes.pop(code, None)
        if issued is None:
            return "unknown or already used validate_data"
        if now - issued > self._lifetime:
            return "validate_data expired (codes are valid for 10 minutes)"
        return None
