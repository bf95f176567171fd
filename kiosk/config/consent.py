"""The consent notice the customer reads before any camera frame is processed, and its version.

A face is sensitive personal information under the PIPL (arts. 28-29), and the face-recognition
measures of the CAC and the Ministry of Public Security (in force since 2025-06-01) ask for a clear
notice and separate consent before it is processed, another way to verify for people who decline,
and a guardian's consent under 14. docs/consent.md explains the screen and how an institution puts
its own words here: a TOML file named by the ``consent_notice`` setting::

    version = "bank-2026-12"
    zh = "..."
    en = "..."

The version is stored in each audit row with the customer's answer, so a dispute can be matched to
the words the customer saw.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk import inputs
from kiosk.config import messages
from kiosk.errors import ConfigError

# Below this age a guardian consents (PIPL art. 31: personal information of minors under 14).
GUARDIAN_AGE = 14
NOTICE_LIMIT = 64_000
VERSION_MAX = 64


@dataclass(frozen=True)
class Notice:
    """The words on the consent screen, in both languages, and their version."""

    version: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The notice in ``lang`` (Chinese unless English is asked for)."""
        return self.en if lang == "en" else self.zh


BUILT_IN = Notice(version="kiosk-2026-12", zh=messages.NOTICE_BUILT_IN.zh,
                  en=messages.NOTICE_BUILT_IN.en)
_WHAT = (messages.NOTICE_FILE.en, messages.NOTICE_FILE.zh)


def load_notice(path: str | Path | None) -> Notice:
    """The institution's notice from ``path`` (the built-in one when empty); ConfigError if bad."""
    if not path:
        return BUILT_IN
    data = inputs.read_input(path, limit=NOTICE_LIMIT, what=_WHAT)
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(messages.NOTICE_NOT_TOML(path=path, why=str(exc)[:200])) from None
    version, zh, en = (table.get(k) for k in ("version", "zh", "en"))
    missing = [k for k, v in (("version", version), ("zh", zh), ("en", en))
               if not isinstance(v, str) or not v.strip()]
    if missing:
        raise ConfigError(messages.NOTICE_INCOMPLETE(path=path, keys=", ".join(missing)))
    assert isinstance(version, str) and isinstance(zh, str) and isinstance(en, str)
    if len(version) > VERSION_MAX or not version.isprintable():
        raise ConfigError(messages.NOTICE_BAD_VERSION(path=path, limit=VERSION_MAX))
    return Notice(version.strip(), zh.strip(), en.strip())


def age_on(id_number: str, today: date) -> int | None:
    """Whole years since the birth date in an 18-character ID number (None when it has none)."""
    digits = id_number.strip()
    if len(digits) != 18 or not digits[:14].isdigit():
        return None
    try:
        born = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def needs_guardian(id_number: str, today: date) -> bool:
    """True when the ID's birth date makes the person younger than GUARDIAN_AGE."""
    age = age_on(id_number, today)
    return age is not None and age < GUARDIAN_AGE


__all__ = ["BUILT_IN", "GUARDIAN_AGE", "Notice", "age_on", "load_notice", "needs_guardian"]
