"""The kiosks' side of the service: join, audit rows, heartbeats; every call but join is signed."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kiosk.fleet import protocol
from kiosk.fleet.service import store
from kiosk.fleet.service.context import Context

MAX_BODY = 2 * 1024 * 1024  # 500 rows of a few hundred bytes each, with room


def _error(status: int, kind: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": kind, "reason": reason}, status_code=status)


async def _body(request: Request) -> bytes | JSONResponse:
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return _error(413, "too_large", f"body over {MAX_BODY} bytes")
    body = await request.body()
    return body if len(body) <= MAX_BODY else _error(413, "too_large", f"body over {MAX_BODY} bytes")


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise protocol.Refused("not_json", "body is not JSON") from None


async def join(request: Request) -> JSONResponse:
    """POST {token, version}: a new kiosk's id, key and branch (the token is used up)."""
    ctx: Context = request.app.state.ctx
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        data = _json(body)
        if not isinstance(data, dict) or set(data) - {"token", "version"} or not isinstance(
                data.get("token"), str):
            raise protocol.Refused("bad_join", "body must be {token, version}")
    except protocol.Refused as exc:
        return _error(422, exc.kind, exc.reason)

    def work() -> dict[str, Any]:
        with ctx.engine.begin() as con:
            return store.join(con, data["token"], str(data.get("version", "")), ctx.now())
    try:
        joined = await run_in_threadpool(work)
    except store.Unauthorized as exc:
        return _error(401, "unauthorized", exc.reason)
    return JSONResponse({**joined, "heartbeat_s": ctx.heartbeat_s})


async def _signed(request: Request, check: Any, act: Any) -> JSONResponse:
    """Check the body (422), then in one transaction the signature (401) and the work."""
    ctx: Context = request.app.state.ctx
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        payload = check(_json(body))
    except protocol.Refused as exc:
        return _error(422, exc.kind, exc.reason)

    def work() -> dict[str, Any]:
        now = ctx.now()
        with ctx.engine.begin() as con:
            kiosk = store.authenticate(con, request.headers, request.method, request.url.path,
                                       body, now)
            return act(con, kiosk, payload, now) | {"server_time": ctx.clock()}
    try:
        return JSONResponse(await run_in_threadpool(work))
    except store.Unauthorized as exc:
        return _error(401, "unauthorized", exc.reason)


async def audit_rows(request: Request) -> JSONResponse:
    """POST {rows: [...]}: store each row once; how many were new and how many seen before."""
    def act(con: sa.Connection, kiosk: Any, rows: list[dict[str, Any]], now: Any) -> dict[str, Any]:
        added, dup = store.ingest(con, kiosk, rows, now)
        return {"accepted": added, "duplicates": dup}
    return await _signed(request, protocol.check_rows, act)


async def heartbeat(request: Request) -> JSONResponse:
    """POST a heartbeat: the kiosk's health now."""
    ctx: Context = request.app.state.ctx

    def act(con: sa.Connection, kiosk: Any, beat: dict[str, Any], now: Any) -> dict[str, Any]:
        store.heartbeat(con, kiosk, beat, now)
        return {"heartbeat_s": ctx.heartbeat_s}
    return await _signed(request, protocol.check_heartbeat, act)


async def healthz(request: Request) -> JSONResponse:
    """For load balancers: 200 when this worker reaches the database, else 503."""
    ctx: Context = request.app.state.ctx

    def ping() -> None:
        with ctx.engine.connect() as con:
            con.execute(sa.text("SELECT 1"))
    await run_in_threadpool(ping)
    return JSONResponse({"ok": True})


routes = [
    Route(protocol.API + "/join", join, methods=["POST"]),
    Route(protocol.API + "/audit", audit_rows, methods=["POST"]),
    Route(protocol.API + "/heartbeat", heartbeat, methods=["POST"]),
    Route("/healthz", healthz, methods=["GET"]),
]
