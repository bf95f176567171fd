"""Masking of ID numbers, names and secrets in anything written down (logs, audit rows)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

# 18-character resident ID numbers (last may be X) and the older 15-digit ones, not inside a
# longer run of digits (timestamps, byte counts stay readable).
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# "name=王芳", "name: 'Li Na'", "idcard_name": "王芳" in logged dicts and reprs.
_NAME_FIELD_RE = re.compile(
    r"""(?P<key>\b\w*name['"]?\s*[=:]\s*)"""
    r"""(?:(?P<q>['"])(?P<quoted>[^'"\n]+)(?P=q)|(?P<bare>[^'",;&)}\]\s]+))""",
    re.IGNORECASE,
)
_NAME_KEYS = ("idcard_name", "id_name", "name", "person_name", "full_name")
SECRET_MARK = "[secret removed]"


def mask_id(number: str) -> str:
    """An ID number with only its first 6 and last 4 characters shown: 110105********002X."""
    number = (number or "").strip()
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def is_masked_id(text: str) -> bool:
    """True when ``text`` already looks like the output of :func:`mask_id`."""
    return bool(re.fullmatch(r"[\dXx]{6}\*+[\dXx]{4}|\**", text or ""))


def mask_name(name: str) -> str:
    """A name with only its first character shown: 王芳 -> 王*, Li Na -> L****."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


class Redactor:
    """Masks ID numbers and known names, and removes known secrets, from any text.

    Thread-safe: a session registers the person's name and the secret as they become known,
    while other threads log.
    """

    def __init__(self, secrets: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._names: set[str] = set()
        for s in secrets:
            self.add_secret(s)
        for n in names:
            self.add_name(n)

    def add_secret(self, value: str | None) -> None:
        """Remove ``value`` wherever it appears from now on (short values would mangle text)."""
        if value and len(value) >= 4:
            with self._lock:
                self._secrets.add(value)

    def add_name(self, value: str | None) -> None:
        """Mask ``value`` wherever it appears from now on."""
        if value and value.strip():
            with self._lock:
                self._names.add(value.strip())

    def __call__(self, text: str) -> str:
        """``text`` with secrets removed, names and ID numbers masked."""
        if not text:
            return text
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
            names = sorted(self._names, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, SECRET_MARK)
        for name in names:
            text = text.replace(name, mask_name(name))
        text = _ID_RE.sub(lambda m: mask_id(m.group(1)), text)
        return _NAME_FIELD_RE.sub(_mask_name_field, text)


def _mask_name_field(match: re.Match[str]) -> str:
    """Mask the value of a ``...name=value`` field whose key is a person's name field."""
    key = match.group("key")
    bare = re.sub(r"""['"\s=:]""", "", key).lower()
    if bare not in _NAME_KEYS:
        return match.group(0)
    quote = match.group("q") or ""
    value = match.group("quoted") or match.group("bare") or ""
    if "*" in value:  # already masked
        return match.group(0)
    return f"{key}{quote}{mask_name(value)}{quote}"
