"""The supervisor's page: sign-in, the overview, CSV export, revoking a kiosk (supervisors only).

Cookies are HttpOnly and SameSite=Strict (Secure over HTTPS); every form carries a CSRF token:
the session's once signed in, a double-submit cookie on the sign-in form.
"""

from __future__ import annotations

import csv
import hmac
import io
import secrets
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from kiosk.fleet import messages
from kiosk.fleet.service import alerts, html, report, store, users, zone
from kiosk.fleet.service.context import Context
from kiosk.texts import Message

SESSION_COOKIE = "fleet_session"
LOGIN_COOKIE = "fleet_login"
MAX_EXPORT_DAYS = 366
CHART_DAYS = 14


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    if asked in ("zh", "en"):
        return asked
    return "zh" if request.headers.get("accept-language", "").lower().startswith("zh") else "en"


def plain(message: Message, status: int, headers: dict[str, str] | None = None) -> Response:
    """A refusal as plain text, English then Chinese, each with what to do."""
    lines = [f"{what} — {fix}" if fix else what
             for what, fix in ((message.en, message.fix_en), (message.zh, message.fix_zh))]
    return PlainTextResponse("\n".join(lines) + "\n", status_code=status, headers=headers)


def _cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def _ctx(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


async def _who(request: Request) -> users.Session | None:
    ctx = _ctx(request)
    token = request.cookies.get(SESSION_COOKIE, "")

    def look() -> users.Session | None:
        with ctx.engine.begin() as con:
            return users.session(con, token, ctx.now())
    return await run_in_threadpool(look) if token else None


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?lang={_lang(request)}", status_code=303)


async def login_form(request: Request) -> Response:
    """GET /login: the form, with a fresh double-submit CSRF cookie."""
    csrf = secrets.token_urlsafe(24)
    response = HTMLResponse(html.login(_lang(request), csrf, request.query_params.get("failed") == "1"))
    _cookie(request, response, LOGIN_COOKIE, csrf, 1800)
    return response


async def login(request: Request) -> Response:
    """POST /login: sign in, or back to the form saying it failed."""
    ctx, lang = _ctx(request), _lang(request)
    form = await request.form()
    if not _same(request.cookies.get(LOGIN_COOKIE, ""), str(form.get("csrf", ""))):
        return plain(messages.CSRF_FAILED(), 403)
    name, password = str(form.get("user", ""))[:64], str(form.get("password", ""))

    def check() -> tuple[str, users.Session] | None:
        with ctx.engine.begin() as con:
            return users.sign_in(con, name, password, ctx.now())
    signed = await run_in_threadpool(check)
    if signed is None:
        return RedirectResponse(f"/login?lang={lang}&failed=1", status_code=303)
    response = RedirectResponse(f"/?lang={lang}", status_code=303)
    _cookie(request, response, SESSION_COOKIE, signed[0], users.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _same(a: str, b: str) -> bool:
    return bool(a) and hmac.compare_digest(a.encode(), b.encode())


async def _checked_post(request: Request) -> users.Session | Response:
    who = await _who(request)
    if who is None:
        return _to_login(request)
    form = await request.form()
    if not _same(who.csrf, str(form.get("csrf", ""))):
        return plain(messages.CSRF_FAILED(), 403)
    return who


async def logout(request: Request) -> Response:
    """POST /logout."""
    checked = await _checked_post(request)
    if isinstance(checked, Response):
        return checked
    ctx = _ctx(request)

    def out() -> None:
        with ctx.engine.begin() as con:
            users.sign_out(con, request.cookies.get(SESSION_COOKIE, ""))
    await run_in_threadpool(out)
    response = _to_login(request)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


async def revoke(request: Request) -> Response:
    """POST /kiosks/ID/revoke: supervisors only."""
    checked = await _checked_post(request)
    if isinstance(checked, Response):
        return checked
    if not checked.can_change:
        return plain(messages.READ_ONLY(), 403)
    ctx = _ctx(request)

    def act() -> None:
        with ctx.engine.begin() as con:
            store.revoke(con, request.path_params["kiosk"], ctx.now())
    await run_in_threadpool(act)
    return RedirectResponse(f"/?lang={_lang(request)}", status_code=303)


async def overview(request: Request) -> Response:
    """GET /: the page (signed in), else the sign-in form."""
    who = await _who(request)
    if who is None:
        return _to_login(request)
    ctx = _ctx(request)

    def gather() -> tuple[datetime, dict[str, Any]]:
        now = ctx.now()
        days, end = zone.days(now, ctx.tz, CHART_DAYS)  # the supervisor's days, not UTC's
        today, week = days[-1][1], days[-7][1]
        with ctx.engine.begin() as con:
            return now, {
                "alerts": alerts.current(con, now, ctx.limits),
                "kiosks": report.kiosks_by_branch(con, now, ctx.limits),
                "today": report.outcomes(con, today),
                "week": report.outcomes(con, week),
                "days": report.per_day(con, days, end),
                "dates": [label for label, _ in days],
                "codes": report.top_codes(con, week),
                "limits": report.limit_events(con, week),
                "tz": ctx.tz,
            }
    now, data = await run_in_threadpool(gather)
    return HTMLResponse(html.dashboard(_lang(request), who, now, data))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


async def export(request: Request) -> Response:
    """GET /export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: both days included, in the page's zone
    (``serve --tz``); the times in the file are UTC."""
    who = await _who(request)
    if who is None:
        return _to_login(request)
    start = _day(request.query_params.get("from", ""))
    last = _day(request.query_params.get("to", ""))
    if start is None or last is None or last < start or (last - start).days > MAX_EXPORT_DAYS:
        return plain(messages.BAD_EXPORT_RANGE(days=MAX_EXPORT_DAYS), 400)
    ctx = _ctx(request)
    begin, end = zone.start_of(start, ctx.tz), zone.start_of(last + timedelta(days=1), ctx.tz)

    def rows() -> list[list[Any]]:  # read whole in the worker thread: one consistent snapshot
        with ctx.engine.begin() as con:
            return list(report.csv_rows(con, begin, end))
    found = await run_in_threadpool(rows)

    def lines() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(report.CSV_COLUMNS)
        for i, row in enumerate(found):
            writer.writerow([v.isoformat() + "Z" if isinstance(v, datetime) else v for v in row])
            if i % 500 == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()
    name = f"fleet-audit-{start:%Y%m%d}-{last:%Y%m%d}.csv"
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def stylesheet(request: Request) -> Response:
    """The page's one stylesheet (served here: no CDN)."""
    return Response(html.CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


routes = [
    Route("/", overview, methods=["GET"]),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/kiosks/{kiosk}/revoke", revoke, methods=["POST"]),
    Route("/export.csv", export, methods=["GET"]),
    Route("/static/fleet.css", stylesheet, methods=["GET"]),
]
