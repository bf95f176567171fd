"""The fleet database's tables (SQLAlchemy Core); migrations in ``migrations/`` create them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData()

# Times are naive UTC on both engines, so comparisons and date() group the same way.
kiosks = Table(
    "kiosks", metadata,
    Column("id", String(32), primary_key=True),
    Column("branch", String(100), nullable=False, index=True),
    Column("version", String(40), nullable=False, default=""),
    Column("key", String(64), nullable=False),  # HMAC key: the service must hold it to check
    Column("joined_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("hb_at", DateTime),  # the last heartbeat, and what it said
    Column("camera", String(8), nullable=False, default=""),
    Column("microphone", String(8), nullable=False, default=""),
    Column("service", String(8), nullable=False, default=""),
    Column("disk_free_mb", Float),
    Column("clock_offset_s", Float),
    Column("last_error", String(300), nullable=False, default=""),
    Column("outbox", Integer, nullable=False, default=0),
)

tokens = Table(
    "tokens", metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256: the token itself is not kept
    Column("branch", String(100), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
    Column("used_by", String(32)),
)

nonces = Table(
    "nonces", metadata,
    Column("kiosk_id", String(32), nullable=False),
    Column("nonce", String(64), nullable=False),
    Column("seen_at", DateTime, nullable=False, index=True),
    PrimaryKeyConstraint("kiosk_id", "nonce"),
)

audit = Table(
    "audit", metadata,
    Column("uid", String(32), primary_key=True),  # the kiosk's row uid: a resend is kept once
    Column("kiosk_id", String(32), nullable=False),
    Column("branch", String(100), nullable=False),
    Column("seq", Integer, nullable=False),  # the kiosk's outbox order
    Column("time", DateTime, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("code", Integer),
    Column("predicted", Boolean, nullable=False, default=False),
    Column("similarity", Float),
    Column("live_status", Integer),
    Column("compare_status", Integer),
    Column("reference", String(64), nullable=False, default=""),
    Column("id_masked", String(32), nullable=False, default=""),
    Column("consent", String(16), nullable=False, default=""),
    Column("notice", String(40), nullable=False, default=""),
    Column("durations", Text, nullable=False, default="{}"),
    Column("demo", Boolean, nullable=False, default=False),
    Index("audit_time", "time"),
    Index("audit_branch_time", "branch", "time"),
    Index("audit_kiosk_seq", "kiosk_id", "seq"),
)

users = Table(
    "users", metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # supervisor | auditor (read-only)
    Column("password_hash", String(200), nullable=False),  # salted scrypt (kiosk.config.pin)
    Column("created_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)

alerts_sent = Table(
    "alerts_sent", metadata,
    Column("key", String(200), primary_key=True),  # one webhook per alert, whichever worker sees it
    Column("sent_at", DateTime, nullable=False),
)
