"""The fleet database: its URL, the engine (with a pool), and migrations through Alembic."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
ENV_DB = "KIOSK_FLEET_DB"
# Errors that mean "the database is not there now", answered 503 with Retry-After.
UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


def default_url() -> str:
    """KIOSK_FLEET_DB, else one SQLite file in the kiosk's data folder."""
    if os.environ.get(ENV_DB):
        return normalise(os.environ[ENV_DB])
    from kiosk.config import Paths

    return f"sqlite:///{Paths.default().data_dir / 'fleet.sqlite3'}"


def normalise(url: str) -> str:
    """``postgresql://`` means psycopg 3; a bare path means a SQLite file."""
    url = url.strip()
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().absolute()}"
    return url


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine with a pool that tests its connections, so a restarted PostgreSQL is reconnected."""
    url = normalise(url)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 10, "check_same_thread": False},
                                  poolclass=sa.pool.QueuePool, pool_size=pool_size,
                                  pool_pre_ping=True)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_timeout=5,
                            pool_pre_ping=True, pool_recycle=1800,
                            connect_args={"connect_timeout": 5})


def _sqlite_pragmas(con: Any, _record: Any) -> None:
    # WAL: the page reads while workers write; NORMAL sync is safe in WAL (a crash loses no
    # committed row, only possibly the last ones on power loss).
    cur = con.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _config(connection: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; (revision before, revision now)."""
    with engine.begin() as con:
        before = MigrationContext.configure(con).get_current_revision()
        command.upgrade(_config(con), "head")
        now = MigrationContext.configure(con).get_current_revision()
    return before, now or ""


def pending(engine: Engine) -> bool:
    """True when the database's schema is older than this version's (``kiosk fleet migrate``)."""
    with engine.connect() as con:
        current = MigrationContext.configure(con).get_current_revision()
        head = ScriptDirectory.from_config(_config(con)).get_current_head()
    return current != head


def describe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return sa.engine.make_url(normalise(url)).render_as_string(hide_password=True)
