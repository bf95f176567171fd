"""What the fleet service writes: enrolment tokens, kiosks and their keys, heartbeats, audit rows.

Every function takes a connection in a transaction the caller opened, so one request is one
transaction whichever worker or host serves it. Times are naive UTC datetimes.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.fleet import protocol
from kiosk.fleet.service.tables import audit, kiosks, nonces, tokens

TOKEN_HOURS = 24


class Unauthorized(Exception):
    """401: the kiosk is unknown or revoked, or the request is stale, forged or replayed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def utc(text: str) -> datetime:
    """An ISO 8601 time as naive UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (value.astimezone(UTC) if value.tzinfo else value).replace(tzinfo=None)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _insert_ignore(con: sa.Connection, table: sa.Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING in the connection's dialect."""
    dialect = postgresql if con.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


def issue_token(con: sa.Connection, branch: str, now: datetime, hours: float = TOKEN_HOURS) -> str:
    """A single-use enrolment token for ``branch``; only its hash is stored."""
    token = "fleet-" + secrets.token_urlsafe(24)
    con.execute(tokens.insert().values(token_hash=_digest(token), branch=branch, created_at=now,
                                       expires_at=now + timedelta(hours=hours)))
    return token


def join(con: sa.Connection, token: str, version: str, now: datetime) -> dict[str, str]:
    """Use ``token`` (once) to register a new kiosk; its id, key and branch."""
    kiosk_id = "k" + secrets.token_hex(8)
    used = con.execute(
        tokens.update()
        .where(tokens.c.token_hash == _digest(token), tokens.c.used_at.is_(None),
               tokens.c.expires_at > now)
        .values(used_at=now, used_by=kiosk_id)
        .returning(tokens.c.branch)).first()
    if used is None:
        raise Unauthorized("enrolment token unknown, expired or already used")
    key = secrets.token_hex(32)
    con.execute(kiosks.insert().values(id=kiosk_id, branch=used.branch, version=version[:40],
                                       key=key, joined_at=now))
    return {"kiosk_id": kiosk_id, "key": key, "branch": used.branch}


def authenticate(con: sa.Connection, headers: Any, method: str, path: str, body: bytes,
                 now: datetime) -> Any:
    """The kiosk row that signed this request; Unauthorized saying why not."""
    kiosk_id = headers.get(protocol.HEADER_KIOSK, "")
    stamp = headers.get(protocol.HEADER_TIME, "")
    nonce = headers.get(protocol.HEADER_NONCE, "")
    row = con.execute(sa.select(kiosks).where(kiosks.c.id == kiosk_id)).first()
    if row is None:
        raise Unauthorized("unknown kiosk")
    if row.revoked_at is not None:
        raise Unauthorized("kiosk revoked")
    try:
        skew = abs(int(stamp) - now.replace(tzinfo=UTC).timestamp())
    except ValueError:
        raise Unauthorized("no signed time") from None
    if skew > protocol.WINDOW_S:
        raise Unauthorized(f"signed time {skew:.0f} s from the service's clock")
    if not (8 <= len(nonce) <= 64) or not protocol.signature_ok(
            row.key, method, path, body, stamp, nonce, headers.get(protocol.HEADER_SIGNATURE, "")):
        raise Unauthorized("bad signature")
    fresh = con.execute(_insert_ignore(con, nonces).values(kiosk_id=kiosk_id, nonce=nonce, seen_at=now)
                        .returning(nonces.c.nonce)).first()  # rowcount is -1 on psycopg
    if fresh is None:
        raise Unauthorized("replayed request (nonce already used)")
    if nonce.startswith("00"):  # about one request in 256 clears old nonces
        con.execute(nonces.delete().where(
            nonces.c.seen_at < now - timedelta(seconds=3 * protocol.WINDOW_S)))
    return row


def ingest(con: sa.Connection, kiosk: Any, rows: list[dict[str, Any]],
           now: datetime) -> tuple[int, int]:
    """Store checked rows, each uid once; (new, duplicates)."""
    values = [{
        "uid": r["uid"], "kiosk_id": kiosk.id, "branch": kiosk.branch, "seq": r["seq"],
        "time": utc(r["time"]), "received_at": now, "mode": r["mode"][:16],
        "outcome": r["outcome"], "code": r.get("code"), "predicted": bool(r.get("predicted")),
        "similarity": r.get("similarity"), "live_status": r.get("live_status"),
        "compare_status": r.get("compare_status"), "reference": r.get("reference", "")[:64],
        "id_masked": r.get("id_masked", "")[:32], "consent": r.get("consent", "")[:16],
        "notice": r.get("notice", "")[:40],
        "durations": json.dumps(r.get("durations", {}), sort_keys=True),
        "demo": bool(r.get("demo")),
    } for r in rows]
    stmt = _insert_ignore(con, audit).values(values).returning(audit.c.uid)
    added = len(con.execute(stmt).all())
    return added, len(rows) - added


def heartbeat(con: sa.Connection, kiosk: Any, beat: dict[str, Any], now: datetime) -> None:
    """Keep the kiosk's last heartbeat; the clock offset is the kiosk's time minus ours."""
    sent = beat.get("time")
    offset = None if sent is None else round(float(sent) - now.replace(tzinfo=UTC).timestamp(), 1)
    con.execute(kiosks.update().where(kiosks.c.id == kiosk.id).values(
        hb_at=now, version=str(beat.get("version", kiosk.version))[:40],
        camera=beat.get("camera", ""), microphone=beat.get("microphone", ""),
        service=beat.get("service", ""), disk_free_mb=beat.get("disk_free_mb"),
        clock_offset_s=offset, last_error=str(beat.get("last_error", ""))[:300],
        outbox=int(beat.get("outbox", 0))))


def revoke(con: sa.Connection, kiosk_id: str, now: datetime) -> bool:
    """Revoke a kiosk's key: its requests get 401 from now on. False when there is no such kiosk."""
    done = con.execute(kiosks.update().where(kiosks.c.id == kiosk_id, kiosks.c.revoked_at.is_(None))
                       .values(revoked_at=now))
    return bool(done.rowcount)
