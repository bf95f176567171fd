"""The operator PIN, kept as a salted scrypt hash and checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# scrypt costs: about 0.1 s and 16 MiB per check (measured on a busy 2-core machine), which makes guessing a
# 6-digit PIN from a stolen settings file slow without making the operator wait.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` for ``pin``, with a fresh 16-byte salt unless one is given."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join((_PREFIX, str(_N), str(_R), str(_P), _b64(salt), _b64(digest)))


def is_hashed(value: str) -> bool:
    """True when ``value`` is a hash made by :func:`hash_pin`."""
    return value.startswith(_PREFIX + "$") and value.count("$") == 5


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored`` (a hash, or a plain PIN given by KIOSK_OPERATOR_PIN)."""
    if not stored:
        return False
    if not is_hashed(stored):
        return hmac.compare_digest(pin.encode(), stored.encode())
    try:
        _, n, r, p, salt, digest = stored.split("$")
        want = base64.b64decode(digest)
        got = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
