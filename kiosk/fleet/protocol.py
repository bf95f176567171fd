"""What kiosks and the fleet service say to each other: the signed headers and the row fields.

Both sides import this module, so the fields a kiosk sends and the fields the service accepts are
one list. Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

API = "/api/v1"
HEADER_KIOSK = "X-Fleet-Kiosk"
HEADER_TIME = "X-Fleet-Time"
HEADER_NONCE = "X-Fleet-Nonce"
HEADER_SIGNATURE = "X-Fleet-Signature"
# A signed request is good for this long either side of the service's clock; its nonce is kept
# at least twice as long, so a replay inside the window is always seen.
WINDOW_S = 300
MAX_BATCH = 500

OUTCOMES = ("pass", "fail", "refused", "blocked", "error", "cancelled", "declined", "limited")
# The fields of one audit row as the service stores it: masked ID, outcome, code, reference,
# consent, durations. There is no field for a name, a full ID number, a photo or a clip.
ROW_FIELDS: dict[str, tuple[type, ...]] = {
    "uid": (str,), "time": (str,), "mode": (str,), "outcome": (str,),
    "code": (int, type(None)), "predicted": (bool,), "similarity": (float, int, type(None)),
    "live_status": (int, type(None)), "compare_status": (int, type(None)),
    "reference": (str,), "id_masked": (str,), "consent": (str,), "notice": (str,),
    "durations": (dict,), "demo": (bool,), "seq": (int,),
}
REQUIRED_ROW = ("uid", "time", "mode", "outcome", "seq")
HEARTBEAT_FIELDS: dict[str, tuple[type, ...]] = {
    "version": (str,), "time": (float, int), "camera": (str,), "microphone": (str,),
    "service": (str,), "disk_free_mb": (int, float, type(None)), "last_error": (str,),
    "outbox": (int,),
}
HEALTH = ("OK", "WARN", "FAIL", "")

_UID = re.compile(r"[0-9a-f]{32}")
_FULL_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MASKED = re.compile(r"[\dXx]{6}\*+[\dXx]{4}|\**")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")
_NAME_SHAPED = re.compile(r"name|\u59d3\u540d", re.IGNORECASE)  # name, 姓名 (a pattern, not a text)


class Refused(ValueError):
    """A request the service refuses whole; ``reason`` is the exact cause, in English."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def body_digest(body: bytes) -> str:
    """SHA-256 of the body, hex."""
    return hashlib.sha256(body).hexdigest()


def string_to_sign(method: str, path: str, stamp: str, nonce: str, body: bytes) -> bytes:
    """What the kiosk signs: method, path, time, nonce and the body's digest, one per line."""
    return "\n".join((method.upper(), path, stamp, nonce, body_digest(body))).encode()


def sign(key: str, method: str, path: str, body: bytes, *, now: float,
         nonce: str | None = None) -> dict[str, str]:
    """The signature headers, except the kiosk's id (the caller adds it)."""
    stamp = str(int(now))
    nonce = nonce or secrets.token_hex(16)
    mac = hmac.new(key.encode(), string_to_sign(method, path, stamp, nonce, body), hashlib.sha256)
    return {HEADER_TIME: stamp, HEADER_NONCE: nonce, HEADER_SIGNATURE: mac.hexdigest()}


def signature_ok(key: str, method: str, path: str, body: bytes, stamp: str, nonce: str,
                 signature: str) -> bool:
    """True when ``signature`` is the kiosk's HMAC of this request (constant-time compare)."""
    want = hmac.new(key.encode(), string_to_sign(method, path, stamp, nonce, body), hashlib.sha256)
    return hmac.compare_digest(want.hexdigest(), signature or "")


def _check_fields(where: str, data: Any, allowed: Mapping[str, tuple[type, ...]]) -> None:
    """Refused naming the first field that is not allowed, or of the wrong type."""
    if not isinstance(data, dict):
        raise Refused("not_an_object", f"{where} must be a JSON object")
    for key, value in data.items():
        if _NAME_SHAPED.search(str(key)):
            raise Refused("name_field", f"{where}.{key}: a name-shaped field; the fleet never "
                          "stores a person's name")
        if key not in allowed:
            raise Refused("unknown_field", f"{where}.{key}: unknown field (allowed: "
                          f"{', '.join(sorted(allowed))})")
        types = allowed[key]
        if isinstance(value, bool) and bool not in types:
            raise Refused("bad_type", f"{where}.{key}: must not be true/false")
        if not isinstance(value, types):
            raise Refused("bad_type", f"{where}.{key}: wrong type {type(value).__name__}")
        if isinstance(value, str) and _FULL_ID.search(value):
            raise Refused("full_id_number", f"{where}.{key}: holds a full ID number; only the "
                          "masked form (first 6 and last 4 characters) may be sent")


def check_rows(payload: Any) -> list[dict[str, Any]]:
    """The rows of an audit batch, each checked; Refused (422) naming the first bad field."""
    if not isinstance(payload, dict) or set(payload) != {"rows"}:
        extra = sorted(set(payload) - {"rows"}) if isinstance(payload, dict) else []
        raise Refused("unknown_field" if extra else "no_rows",
                      f"body: unknown field {extra[0]!r}" if extra
                      else "body must be an object with one field, 'rows'")
    rows = payload["rows"]
    if not isinstance(rows, list) or not rows or len(rows) > MAX_BATCH:
        raise Refused("bad_batch", f"rows must be a list of 1 to {MAX_BATCH} rows")
    for i, row in enumerate(rows):
        where = f"rows[{i}]"
        _check_fields(where, row, ROW_FIELDS)
        for key in REQUIRED_ROW:
            if key not in row:
                raise Refused("missing_field", f"{where}.{key}: missing")
        if not _UID.fullmatch(row["uid"]):
            raise Refused("bad_value", f"{where}.uid: must be 32 lower-case hex digits")
        if not _TIME.fullmatch(row["time"]):
            raise Refused("bad_value", f"{where}.time: must be ISO 8601 UTC")
        if row["outcome"] not in OUTCOMES:
            raise Refused("bad_value", f"{where}.outcome: must be one of {', '.join(OUTCOMES)}")
        if not _MASKED.fullmatch(row.get("id_masked", "")):
            raise Refused("full_id_number", f"{where}.id_masked: not masked")
        durations = row.get("durations", {})
        if not all(isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool)
                   for k, v in durations.items()):
            raise Refused("bad_value", f"{where}.durations: must map step names to seconds")
    return rows


def check_heartbeat(payload: Any) -> dict[str, Any]:
    """A heartbeat, checked the same way as a row."""
    _check_fields("heartbeat", payload, HEARTBEAT_FIELDS)
    for key in ("camera", "microphone", "service"):
        if payload.get(key, "") not in HEALTH:
            raise Refused("bad_value", f"heartbeat.{key}: must be one of OK, WARN, FAIL")
    return dict(payload)


def row_from_audit(row: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a kiosk's audit row (kiosk.config.audit) that go to the fleet (``seq``, the
    outbox's order, is added when sent)."""
    durations = row.get("durations") or {}
    if isinstance(durations, str):
        durations = json.loads(durations or "{}")
    return {
        "uid": str(row["uid"]), "time": str(row["time"]), "mode": str(row["mode"]),
        "outcome": str(row["outcome"]), "code": row.get("code"),
        "predicted": bool(row.get("predicted")), "similarity": row.get("similarity"),
        "live_status": row.get("live_status"), "compare_status": row.get("compare_status"),
        "reference": str(row.get("seq") or row.get("session_id") or "")[:64],
        "id_masked": str(row.get("id_masked") or ""), "consent": str(row.get("consent") or ""),
        "notice": str(row.get("notice") or ""), "demo": bool(row.get("demo")),
        "durations": durations if isinstance(durations, dict) else {},
    }
