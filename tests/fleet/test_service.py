"""The fleet service on SQLite and on PostgreSQL: join, signed calls, idempotent rows, refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from kiosk.fleet import protocol
from kiosk.fleet.service import db
from kiosk.fleet.service.context import Context
from kiosk.fleet.service.local import free_port, serving

from .conftest import Service


def join(service: Service, branch: str = "branch-1") -> dict[str, Any]:
    reply = requests.post(service.url + "/api/v1/join", json={"token": service.token(branch),
                                                               "version": "9.9"}, timeout=10)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def signed(service: Service, kiosk: dict[str, Any], path: str, payload: Any, *,
           nonce: str | None = None, at: float | None = None) -> requests.Response:
    body = json.dumps(payload).encode()
    headers = protocol.sign(kiosk["key"], "POST", "/api/v1" + path, body,
                            now=service.clock() if at is None else at, nonce=nonce)
    headers[protocol.HEADER_KIOSK] = kiosk["kiosk_id"]
    return requests.post(service.url + "/api/v1" + path, data=body, headers=headers, timeout=10)


def row(n: int, **extra: Any) -> dict[str, Any]:
    return {"uid": f"{n:032x}", "time": "2027-01-15T07:59:00+00:00", "mode": "photo",
            "outcome": "pass", "seq": n, "id_masked": "110105********002X",
            "durations": {"upload": 1.25}, **extra}


def test_a_token_enrols_one_kiosk_only(service: Service) -> None:
    token = service.token("shanghai-01")
    first = requests.post(service.url + "/api/v1/join", json={"token": token}, timeout=10)
    again = requests.post(service.url + "/api/v1/join", json={"token": token}, timeout=10)
    assert first.status_code == 200 and first.json()["branch"] == "shanghai-01"
    assert again.status_code == 401
    assert again.json()["reason"] == "enrolment token unknown, expired or already used"
    service.clock.now += 25 * 3600  # tokens last 24 h
    late = requests.post(service.url + "/api/v1/join", json={"token": service.token()}, timeout=10)
    assert late.status_code == 200  # a new token is fine...
    stale = service.token()
    service.clock.now += 25 * 3600
    assert requests.post(service.url + "/api/v1/join", json={"token": stale},
                         timeout=10).status_code == 401  # ...an expired one is not


def test_rows_are_kept_once_by_uid(service: Service) -> None:
    kiosk = join(service)
    first = signed(service, kiosk, "/audit", {"rows": [row(1), row(2)]})
    again = signed(service, kiosk, "/audit", {"rows": [row(2), row(3)]})
    assert first.status_code == 200, first.text
    assert (first.json()["accepted"], first.json()["duplicates"]) == (2, 0)
    assert (again.json()["accepted"], again.json()["duplicates"]) == (1, 1)
    stored = service.query("SELECT uid, seq, kiosk_id, branch, id_masked FROM audit ORDER BY seq")
    assert [r[1] for r in stored] == [1, 2, 3]
    assert {r[2] for r in stored} == {kiosk["kiosk_id"]} and {r[3] for r in stored} == {"branch-1"}
    assert stored[0][4] == "110105********002X"


def test_unknown_revoked_stale_forged_or_replayed_keys_get_401(service: Service) -> None:
    kiosk = join(service)
    body = {"rows": [row(1)]}
    assert signed(service, kiosk, "/audit", body, nonce="n" * 16).status_code == 200
    replay = signed(service, kiosk, "/audit", body, nonce="n" * 16)
    assert replay.status_code == 401 and "replayed" in replay.json()["reason"]
    stale = signed(service, kiosk, "/audit", body, at=service.clock() - 3600)
    assert stale.status_code == 401 and "from the service's clock" in stale.json()["reason"]
    forged = signed(service, {**kiosk, "key": "0" * 64}, "/audit", body)
    assert forged.status_code == 401 and forged.json()["reason"] == "bad signature"
    unknown = signed(service, {**kiosk, "kiosk_id": "knobody"}, "/audit", body)
    assert unknown.status_code == 401 and unknown.json()["reason"] == "unknown kiosk"
    with service.engine.begin() as con:
        from kiosk.fleet.service import store

        assert store.revoke(con, kiosk["kiosk_id"], service.ctx.now())
    revoked = signed(service, kiosk, "/audit", {"rows": [row(2)]})
    assert revoked.status_code == 401 and revoked.json()["reason"] == "kiosk revoked"
    assert service.query("SELECT count(*) FROM audit") == [(1,)]


@pytest.mark.parametrize(("bad", "kind", "reason"), [
    ({"photo": "..."}, "unknown_field", "rows[1].photo: unknown field"),
    ({"idcard_name": "Wang"}, "name_field", "rows[1].idcard_name: a name-shaped field"),
    ({"id_masked": "11010519491231002X"}, "full_id_number", "rows[1].id_masked: holds a full ID"),
    ({"reference": "for 110105194912310021"}, "full_id_number", "rows[1].reference: holds a full"),
    ({"outcome": "maybe"}, "bad_value", "rows[1].outcome: must be one of"),
])
def test_a_batch_with_one_bad_row_is_refused_whole_with_the_exact_reason(
        service: Service, bad: dict[str, Any], kind: str, reason: str) -> None:
    kiosk = join(service)
    reply = signed(service, kiosk, "/audit", {"rows": [row(1), row(2, **bad)]})
    assert reply.status_code == 422
    assert reply.json()["error"] == kind and reply.json()["reason"].startswith(reason)
    assert service.query("SELECT count(*) FROM audit") == [(0,)]


def test_heartbeat_keeps_health_and_clock_offset(service: Service) -> None:
    kiosk = join(service)
    beat = {"version": "2.0", "time": service.clock() + 4.0, "camera": "FAIL", "microphone": "OK",
            "service": "OK", "disk_free_mb": 2048.0, "last_error": "code 15", "outbox": 3}
    assert signed(service, kiosk, "/heartbeat", beat).status_code == 200
    got = service.query("SELECT version, camera, microphone, disk_free_mb, clock_offset_s, "
                        "last_error, outbox FROM kiosks")
    assert got == [("2.0", "FAIL", "OK", 2048.0, 4.0, "code 15", 3)]
    bad = signed(service, kiosk, "/heartbeat", {**beat, "photo": "x"})
    assert bad.status_code == 422 and bad.json()["reason"].startswith("heartbeat.photo: unknown")


def test_a_database_that_is_down_gets_503_with_retry_after(clock: Any) -> None:
    engine = db.make_engine(f"postgresql://fleet@127.0.0.1:{free_port()}/none", pool_size=1)
    with serving(Context(engine=engine, clock=clock)) as url:
        reply = requests.post(url + "/api/v1/audit", data=b'{"rows": [1]}', timeout=20)
        health = requests.get(url + "/healthz", timeout=20)
    assert reply.status_code == 422  # the body is judged before the database is asked
    assert health.status_code == 503 and health.headers["Retry-After"] == "10"
    assert health.json()["error"] == "database_unavailable"


def test_migrate_again_changes_nothing(db_url: str) -> None:
    engine = db.make_engine(db_url, pool_size=1)
    assert db.pending(engine)
    assert db.migrate(engine) == (None, "0001")
    assert db.migrate(engine) == ("0001", "0001")
    assert not db.pending(engine)
    engine.dispose()
