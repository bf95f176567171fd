"""PostgreSQL restarted under a running service: the pool reconnects, the kiosk's rows wait out the
outage (503 with Retry-After), and each arrives once."""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

from kiosk.fleet.outbox import Outbox
from kiosk.fleet.sender import Sender
from kiosk.fleet.service import db
from kiosk.fleet.service.context import Context
from kiosk.fleet.service.local import serving

from .conftest import Clock, Service
from .pgcluster import Cluster
from .test_sender import joined, quiet, record


def test_a_restarted_postgresql_is_reconnected_and_nothing_is_lost_or_doubled(
        pg_cluster: Cluster, clock: Clock, tmp_path: Path) -> None:
    engine = db.make_engine(pg_cluster.create_db(f"restart_{os.getpid()}"), pool_size=2)
    db.migrate(engine)
    with serving(Context(engine=engine, clock=clock, tz=UTC)) as url:
        service = Service(url, engine, Context(engine=engine, clock=clock), clock)
        paths, member = joined(service, tmp_path)
        sender = Sender(paths, member, clock=clock, beat=quiet)
        sent = record(paths, 3)
        assert sender.flush().sent == 3  # the pool now holds connections the restart will cut
        pg_cluster.restart()  # immediate: as a crash
        sent += record(paths, 3)
        after = sender.flush()
        assert (after.sent, after.failed) == (3, False), after  # tested on checkout, reconnected
        pg_cluster.stop("immediate")
        try:
            sent += record(paths, 2)
            down = sender.flush()
            assert (down.failed, down.status, down.retry_after) == (True, "HTTP 503", 10.0)
            assert Outbox(paths.audit_db).counts() == (2, 0)
            assert not sender.heartbeat()
        finally:
            pg_cluster.start()
        assert sender.flush().sent == 2 and sender.heartbeat()
    rows = service.query("SELECT uid FROM audit")
    assert sorted(uid for (uid,) in rows) == sorted(r.uid for r in sent)  # none lost, none twice
    engine.dispose()
