"""The fleet: many kiosks reporting to one service (docs/fleet.md).

The kiosk side (outbox, membership, sender, health) uses the standard library and requests only;
the service (``kiosk.fleet.service``) is a Starlette app on SQLAlchemy Core (SQLite or PostgreSQL).
Nothing is imported here, so the audit log's outbox hook loads no more than kiosk.fleet.outbox.
"""
