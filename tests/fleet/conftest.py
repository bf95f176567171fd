"""Fleet fixtures: a private PostgreSQL cluster, a database of each engine, the service on a port."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from kiosk.fleet.service import db, store, users
from kiosk.fleet.service.context import Context
from kiosk.fleet.service.local import serving
from kiosk.fleet.service.report import Limits

from .pgcluster import Cluster, pg_bin

T0 = 1_800_000_000.0  # a fixed "now" (2027-01-15 08:00 UTC); tests move it by hand
_names = itertools.count()


class Clock:
    """A clock tests set; the service and the kiosks read it."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One cluster for the whole run (each test gets its own database in it)."""
    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing: packaging/dev.sh installs it")
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster()
    yield cluster
    cluster.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated-to-nothing database of each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_db(f"t{os.getpid()}_{next(_names)}")


@dataclass
class Service:
    """The fleet service running on 127.0.0.1, with its engine and clock."""

    url: str
    engine: Engine
    ctx: Context
    clock: Clock

    def token(self, branch: str = "branch-1") -> str:
        with self.engine.begin() as con:
            return store.issue_token(con, branch, self.ctx.now())

    def user(self, name: str, role: str, password: str = "correct horse") -> None:
        with self.engine.begin() as con:
            users.add_user(con, name, role, password, self.ctx.now())

    def query(self, sql: str) -> list[tuple[object, ...]]:
        import sqlalchemy as sa

        with self.engine.connect() as con:
            return [tuple(r) for r in con.execute(sa.text(sql))]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(db_url: str, clock: Clock) -> Iterator[Service]:
    """The service on a free port over a migrated database of each engine."""
    engine = db.make_engine(db_url, pool_size=2)
    db.migrate(engine)
    ctx = Context(engine=engine, clock=clock, limits=Limits(), tz=UTC)  # tests set another zone
    with serving(ctx) as url:
        yield Service(url, engine, ctx, clock)
    engine.dispose()


@pytest.fixture
def sqlite_service(tmp_path: Path, clock: Clock) -> Iterator[Service]:
    """The service on SQLite only (the kiosk-side tests need one engine, not both)."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fleet.sqlite3'}", pool_size=2)
    db.migrate(engine)
    ctx = Context(engine=engine, clock=clock, tz=UTC)
    with serving(ctx) as url:
        yield Service(url, engine, ctx, clock)
    engine.dispose()
