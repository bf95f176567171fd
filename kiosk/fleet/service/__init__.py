"""The fleet service: a Starlette app whose state lives only in its database (SQLite or PostgreSQL)."""
