"""People who use the page: a salted scrypt password hash per user, and their sign-in sessions.

Sessions live in the database, so any worker on any host can serve the next request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from kiosk.config.pin import hash_pin, is_hashed, verify_pin
from kiosk.fleet.service.tables import sessions, users

ROLES = ("supervisor", "auditor")  # auditor: read-only
SESSION_HOURS = 8
# Compared against when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY = hash_pin("not a password")


@dataclass(frozen=True)
class Session:
    """A signed-in person: name, role, and the CSRF token their forms carry."""

    user: str
    role: str
    csrf: str

    @property
    def can_change(self) -> bool:
        """Supervisors may change things (revoke a kiosk); auditors only look."""
        return self.role == "supervisor"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(con: sa.Connection, name: str, role: str, password: str, now: datetime) -> bool:
    """Create or replace a user; True when new."""
    if role not in ROLES:
        raise ValueError(role)
    hashed = hash_pin(password)
    found = con.execute(users.update().where(users.c.name == name)
                        .values(role=role, password_hash=hashed))
    if found.rowcount:
        return False
    con.execute(users.insert().values(name=name, role=role, password_hash=hashed, created_at=now))
    return True


def sign_in(con: sa.Connection, name: str, password: str, now: datetime) -> tuple[str, Session] | None:
    """A new session token and the session, when the password is right."""
    row = con.execute(sa.select(users).where(users.c.name == name)).first()
    stored = row.password_hash if row is not None else _DUMMY
    if not is_hashed(stored) or not verify_pin(password, stored) or row is None:
        return None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    con.execute(sessions.delete().where(sessions.c.expires_at < now))
    con.execute(sessions.insert().values(token_hash=_digest(token), user_name=name, csrf=csrf,
                                         expires_at=now + timedelta(hours=SESSION_HOURS)))
    return token, Session(name, row.role, csrf)


def session(con: sa.Connection, token: str, now: datetime) -> Session | None:
    """The session of a cookie's token, while it lasts."""
    if not token:
        return None
    row = con.execute(
        sa.select(sessions.c.user_name, sessions.c.csrf, users.c.role)
        .join(users, users.c.name == sessions.c.user_name)
        .where(sessions.c.token_hash == _digest(token), sessions.c.expires_at > now)).first()
    return None if row is None else Session(row.user_name, row.role, row.csrf)


def sign_out(con: sa.Connection, token: str) -> None:
    """End the session."""
    con.execute(sessions.delete().where(sessions.c.token_hash == _digest(token)))
