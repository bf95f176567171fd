"""The Authorization signature of the v1 API (docs/protocol.md, "The Authorization signature").

``plain = a=<appid>&b=<bucket>&k=<secret_id>&e=<expires>&t=<now>&r=<rand>&f=``
``Authorization = base64(HMAC-SHA1(secret_key, plain) + plain)``

The client signs exactly in that order. A server (the emulator) parses fields by name, in any
order, ignores unknown ones and treats ``b`` as optional, as the vendor's other SDKs require.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass

DIGEST_SIZE = 20  # SHA-1
DEFAULT_LIFETIME_S = 60
RAND_MAX = 999_999_999


def plain_text(appid: str, bucket: str, secret_id: str, expires: int, now: int, rand: int) -> str:
    """The signed plain text, fields in the order the reference SDK writes them."""
    return f"a={appid}&b={bucket}&k={secret_id}&e={expires}&t={now}&r={rand}&f="


def sign(
    appid: str,
    secret_id: str,
    secret_key: str,
    *,
    now: int,
    rand: int,
    bucket: str = "",
    lifetime: int = DEFAULT_LIFETIME_S,
) -> str:
    """The Authorization header value for one request signed at ``now`` with nonce ``rand``."""
    plain = plain_text(appid, bucket, secret_id, now + lifetime, now, rand).encode("utf-8")
    digest = hmac.new(secret_key.encode("utf-8"), plain, hashlib.sha1).digest()
    return base64.b64encode(digest + plain).decode("ascii")


class MalformedSignature(ValueError):  # noqa: N818 - public name kept
    """The header is not base64 of a 20-byte digest followed by ``key=value&...`` text (code 5)."""


@dataclass(frozen=True)
class ParsedSignature:
    """A signature taken apart: the digest, the signed text and its fields by name."""

    digest: bytes
    plain: bytes
    fields: dict[str, str]

    @property
    def appid(self) -> str:
        return self.fields.get("a", "")

    @property
    def secret_id(self) -> str:
        return self.fields.get("k", "")

    @property
    def expires(self) -> int:
        return int(self.fields["e"])

    @property
    def now(self) -> int:
        return int(self.fields["t"])

    @property
    def rand(self) -> str:
        return self.fields.get("r", "")

    def verify(self, secret_key: str) -> bool:
        """True when the digest matches ``secret_key`` (constant-time comparison)."""
        expected = hmac.new(secret_key.encode("utf-8"), self.plain, hashlib.sha1).digest()
        return hmac.compare_digest(expected, self.digest)


def parse(header: str) -> ParsedSignature:
    """Take an Authorization value apart; raises MalformedSignature when it cannot be read."""
    try:
        raw = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedSignature("not base64") from exc
    if len(raw) <= DIGEST_SIZE:
        raise MalformedSignature("too short")
    digest, plain = raw[:DIGEST_SIZE], raw[DIGEST_SIZE:]
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedSignature("plain text is not UTF-8") from exc
    fields: dict[str, str] = {}
    for part in text.split("&"):
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise MalformedSignature(f"field without '=': {part!r}")
        fields[key] = value
    for required in ("a", "k", "e", "t", "r"):
        if required not in fields:
            raise MalformedSignature(f"field {required!r} missing")
    for numeric in ("e", "t"):
        # Unix seconds: 18 digits is far beyond any date, and keeps int() and float() safe.
        if not re.fullmatch(r"-?[0-9]{1,18}", fields[numeric]):
            raise MalformedSignature(f"field {numeric!r} is not a number of seconds")
    return ParsedSignature(digest, plain, fields)
