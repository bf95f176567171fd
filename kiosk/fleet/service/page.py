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
from datetime import datetime, timedelta
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

from kiosk.fleet.service import alerts, html, report, store, users
from kiosk.fleet.service.context import Context

SESSION_COOKIE = "fleet_session"
LOGIN_COOKIE = "fleet_login"
MAX_EXPORT_DAYS = 366


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    if asked in ("zh", "en"):
        return asked
    return "zh" if request.headers.get("accept-language", "").lower().startswith("zh") else "en"


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
        return PlainTextResponse("CSRF check failed / 跨站请求校验失败", status_code=403)
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
        return PlainTextResponse("CSRF check failed / 跨站请求校验失败", status_code=403)
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
        return PlainTextResponse("Auditors are read-only / 审计员只能查看", status_code=403)
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
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        with ctx.engine.begin() as con:
            return now, {
                "alerts": alerts.current(con, now, ctx.limits),
                "kiosks": report.kiosks_by_branch(con, now, ctx.limits),
                "today": report.outcomes(con, day),
                "week": report.outcomes(con, day - timedelta(days=6)),
                "days": report.per_day(con, day - timedelta(days=13)),
                "codes": report.top_codes(con, day - timedelta(days=6)),
                "limits": report.limit_events(con, day - timedelta(days=6)),
            }
    now, data = await run_in_threadpool(gather)
    return HTMLResponse(html.dashboard(_lang(request), who, now, data))


def _day(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return None


async def export(request: Request) -> Response:
    """GET /export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included, UTC)."""
    who = await _who(request)
    if who is None:
        return _to_login(request)
    start = _day(request.query_params.get("from", ""))
    last = _day(request.query_params.get("to", ""))
    if start is None or last is None or last < start or (last - start).days > MAX_EXPORT_DAYS:
        return PlainTextResponse(
            f"from and to must be dates YYYY-MM-DD, from <= to, at most {MAX_EXPORT_DAYS} days\n"
            f"from 与 to 须为 YYYY-MM-DD 格式的日期，且 from <= to，最多 {MAX_EXPORT_DAYS} 天\n",
            status_code=400)
    ctx = _ctx(request)
    end = last + timedelta(days=1)

    def rows() -> list[list[Any]]:  # read whole in the worker thread: one consistent snapshot
        with ctx.engine.begin() as con:
            return list(report.csv_rows(con, start, end))
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
