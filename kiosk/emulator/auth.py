"""Checking the Authorization signature as docs/protocol.md describes, with the service's codes.

Fields are read by name in any order; ``b`` is optional and unknown fields are ignored, because
the vendor's own SDKs sign in three different ways. Codes: empty 4, malformed 5, appid differs
from the body's 6, expired 9, unknown appid 10, unknown secret id 11, appid and secret id not
paired 12, replayed 13, digest mismatch 14.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.api import signature
from kiosk.emulator.store import Store


@dataclass(frozen=True)
class AuthResult:
    """The outcome of a signature check: code 0 and the account, or a refusal code."""

    code: int
    reason: str
    appid: str = ""
    secret_id: str = ""


class ReplayCache:
    """Signatures seen while still valid, keyed by (appid, secret id, r, t)."""

    def __init__(self, clock: Callable[[], float], max_entries: int = 200_000) -> None:
        self._clock = clock
        self._seen: dict[tuple[str, str, str, str], float] = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def seen_before(self, key: tuple[str, str, str, str], expires: float) -> bool:
        """Record ``key`` until ``expires``; True when it was already recorded and valid."""
        now = self._clock()
        with self._lock:
            previous = self._seen.get(key)
            if previous is not None and previous >= now:
                return True
            if len(self._seen) >= self._max:
                self._purge(now)
            self._seen[key] = expires
            return False

    def _purge(self, now: float) -> None:
        for key in [k for k, exp in self._seen.items() if exp < now]:
            del self._seen[key]
        if len(self._seen) >= self._max:
            # Still full of valid entries: drop the ones that expire first rather than grow.
            for key in sorted(self._seen, key=self._seen.__getitem__)[: self._max // 10]:
                del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)


class Authenticator:
    """Verifies one request's Authorization header against the accounts in the store."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self._store = store
        self._clock = clock
        self.replays = ReplayCache(clock)

    def check_header(self, header: str | None) -> tuple[AuthResult, signature.ParsedSignature | None]:
        """The checks that need only the header: empty (4) and malformed (5)."""
        if header is None or not header.strip():
            return AuthResult(4, "Authorization header empty"), None
        try:
            parsed = signature.parse(header)
        except signature.MalformedSignature as exc:
            return AuthResult(5, f"signature malformed: {exc}"), None
        if not parsed.rand.isdigit():
            return AuthResult(5, "signature malformed: r is not a number"), None
        return AuthResult(0, "OK", parsed.appid, parsed.secret_id), parsed

    def verify(self, parsed: signature.ParsedSignature, body_appid: str | None) -> AuthResult:
        """The remaining checks, in the order docs/protocol.md lists them (6 9 10 11 12, then 14, 13)."""
        appid, secret_id = parsed.appid, parsed.secret_id

        def refuse(code: int, reason: str) -> AuthResult:
            return AuthResult(code, reason, appid, secret_id)

        if body_appid is None or body_appid != appid:
            return refuse(6, "the signature's appid differs from the body's appid")
        if parsed.expires < self._clock():
            return refuse(9, "signature expired")
        if not self._store.has_appid(appid):
            return refuse(10, "appid does not exist")
        account = self._store.account(secret_id)
        if account is None:
            return refuse(11, "secret id does not exist")
        if account.appid != appid:
            return refuse(12, "appid and secret id are not paired")
        # Digest before replay: a forged signature must not fill the replay cache.
        if not parsed.verify(account.secret_key):
            return refuse(14, "signature digest does not match")
        key = (appid, secret_id, parsed.rand, str(parsed.now))
        if self.replays.seen_before(key, float(parsed.expires)):
            return refuse(13, "the same signature (r, t) was used before")
        return AuthResult(0, "OK", appid, secret_id)
