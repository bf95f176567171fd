"""The fleet service's Starlette app: the kiosks' API, the supervisor's page, security headers,
and 503 with Retry-After whenever the database is away."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.fleet import messages
from kiosk.fleet.service import alerts, api, db, page, zone
from kiosk.fleet.service.context import Context
from kiosk.fleet.service.report import Limits

log = logging.getLogger("kiosk.fleet.service")
RETRY_AFTER_S = 10
# Every response: no framing, no sniffing, no referrer, only our own styles and forms; the page
# needs no script at all, so none is allowed.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cache-control": "no-store",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS (and HSTS over HTTPS) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.decode().lower() for k, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                            if k not in have]
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)
        await self.app(scope, receive, with_headers)


async def database_down(request: Request, exc: Exception) -> Response:
    """503 with Retry-After: the kiosk keeps its rows and tries again; the page says so."""
    log.warning("database unavailable: %s", type(exc).__name__)
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    away = messages.DB_AWAY()
    if request.url.path.startswith(("/api/", "/healthz")):
        return JSONResponse({"error": "database_unavailable",
                             "reason": f"{away.en}; {away.fix_en}"},
                            status_code=503, headers=headers)
    return page.plain(away, 503, headers)


def create_app(ctx: Context) -> Starlette:
    """The app for one worker."""
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(_alert_loop(ctx)) if ctx.webhook else None
        yield
        if task is not None:
            task.cancel()
        ctx.engine.dispose()

    handlers: dict[Any, Any] = {cls: database_down for cls in db.UNAVAILABLE}
    app = Starlette(routes=[*api.routes, *page.routes], exception_handlers=handlers,
                    lifespan=lifespan)
    app.state.ctx = ctx
    app.add_middleware(SecurityHeaders)
    return app


async def _alert_loop(ctx: Context) -> None:
    while True:
        await asyncio.to_thread(alerts.send_safely, ctx.engine, ctx.now(), ctx.limits, ctx.webhook)
        await asyncio.sleep(ctx.alert_every_s)


ENV_PREFIX = "KIOSK_FLEET_"


def from_env() -> Starlette:
    """The app as ``kiosk fleet serve`` starts it in each worker (uvicorn's factory)."""
    env = os.environ
    limits = Limits(stale_after_s=float(env.get(ENV_PREFIX + "STALE_AFTER", 150)),
                    offline_after_s=float(env.get(ENV_PREFIX + "OFFLINE_AFTER", 300)))
    tz = env.get(ENV_PREFIX + "TZ", "")
    ctx = Context(engine=db.make_engine(db.default_url(),
                                        pool_size=int(env.get(ENV_PREFIX + "POOL", 5))),
                  limits=limits, heartbeat_s=int(env.get(ENV_PREFIX + "HEARTBEAT", 60)),
                  webhook=env.get(ENV_PREFIX + "WEBHOOK", ""),
                  tz=zone.named(tz) if tz else zone.local())
    return create_app(ctx)
