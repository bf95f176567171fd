"""The supervisor's page as HTML strings: every value escaped, no script, an SVG chart."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from kiosk.api.codes import for_operator, for_people
from kiosk.fleet.service import zone
from kiosk.fleet.service.alerts import Alert
from kiosk.fleet.service.labels import LABELS, LANGUAGES
from kiosk.fleet.service.users import Session

OUTCOME_COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "refused": "#ef6c00", "blocked": "#8e24aa",
                   "error": "#f9a825", "cancelled": "#607d8b", "declined": "#90a4ae",
                   "limited": "#4e342e"}


def t(lang: str, key: str) -> str:
    """A page text in ``lang``, escaped."""
    zh, en = LABELS[key]
    return escape(zh if lang == "zh" else en)


def e(value: Any) -> str:
    """Any value as escaped text ('' for None)."""
    return "" if value is None else escape(str(value), quote=True)


def document(lang: str, title: str, body: str) -> str:
    """A whole page."""
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f'<title>{e(title)}</title><link rel="stylesheet" href="/static/fleet.css"></head>'
            f'<body>{body}</body></html>')


def _langs(lang: str, path: str) -> str:
    other = "en" if lang == "zh" else "zh"
    label = LANGUAGES[other]
    return f'<a class="lang" href="{e(path)}?lang={other}" hreflang="{other}">{label}</a>'


def login(lang: str, csrf: str, failed: bool) -> str:
    """The sign-in form."""
    error = f'<p class="error" role="alert">{t(lang, "bad_login")}</p>' if failed else ""
    body = (f'<main class="login"><h1>{t(lang, "title")}</h1>{error}'
            f'<form method="post" action="/login?lang={lang}">'
            f'<input type="hidden" name="csrf" value="{e(csrf)}">'
            f'<label>{t(lang, "user")}<input name="user" id="user" autocomplete="username" required></label>'
            f'<label>{t(lang, "password")}<input name="password" id="password" type="password" '
            f'autocomplete="current-password" required></label>'
            f'<button type="submit" id="sign-in">{t(lang, "sign_in")}</button></form>'
            f'{_langs(lang, "/login")}</main>')
    return document(lang, t(lang, "title"), body)


def _age(then: datetime | None, now: datetime, lang: str) -> str:
    if then is None:
        return t(lang, "never")
    s = int((now - then).total_seconds())
    return f"{s} s" if s < 120 else f"{s // 60} min" if s < 7200 else f"{s // 3600} h"


def _kiosk_rows(lang: str, rows: list[dict[str, Any]], now: datetime, who: Session) -> str:
    out = []
    for k in rows:
        revoke = (f'<form method="post" action="/kiosks/{e(k["id"])}/revoke?lang={lang}">'
                  f'<input type="hidden" name="csrf" value="{e(who.csrf)}">'
                  f'<button type="submit">{t(lang, "revoke")}</button></form>') if who.can_change else ""
        disk = "" if k["disk_free_mb"] is None else f'{k["disk_free_mb"] / 1024:.1f} GiB'
        clock = "" if k["clock_offset_s"] is None else f'{k["clock_offset_s"]:+.1f} s'
        out.append(
            f'<tr id="kiosk-{e(k["id"])}" class="state-{e(k["state"])}"><td>{e(k["id"])}</td>'
            f'<td class="state" data-state="{e(k["state"])}">{t(lang, k["state"])}</td>'
            f'<td>{e(k["version"])}</td><td>{_age(k["hb_at"], now, lang)}</td>'
            + "".join(f'<td class="h-{e(k[c] or "none").lower()}">{e(k[c])}</td>'
                      for c in ("camera", "microphone", "service"))
            + f'<td>{e(disk)}</td><td>{e(clock)}</td><td>{e(k["last_error"])}</td>'
              f'<td>{e(k["outbox"])}</td><td>{revoke}</td></tr>')
    return "".join(out)


def _table(head: list[str], rows: list[list[str]], empty: str, table_id: str) -> str:
    if not rows:
        return f'<p id="{table_id}" class="empty">{empty}</p>'
    h = "".join(f"<th>{c}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table id="{table_id}"><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>'


def chart(days: dict[str, dict[str, int]], dates: list[str], lang: str) -> str:
    """Stacked bars, one per day (YYYY-MM-DD, oldest first), coloured by outcome; no script, no
    external file."""
    top = max([sum(days.get(d, {}).values()) for d in dates] + [1])
    w, h, bar = 700, 220, 40
    parts = [f'<svg id="chart" role="img" viewBox="0 0 {w} {h + 40}" width="100%" '
             f'aria-label="{t(lang, "chart")}">']
    for i, d in enumerate(dates):
        y, x = float(h), 10 + i * 49
        for outcome, colour in OUTCOME_COLOURS.items():
            n = days.get(d, {}).get(outcome, 0)
            if n:
                bh = n / top * (h - 10)
                y -= bh
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{bh:.1f}" '
                             f'fill="{colour}"><title>{e(d)} {e(outcome)}: {n}</title></rect>')
        parts.append(f'<text x="{x + bar / 2}" y="{h + 15}" font-size="10" '
                     f'text-anchor="middle">{e(d[5:])}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key"><span class="swatch o-{o}"></span>{e(o)}</span>'
                     for o in OUTCOME_COLOURS)
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def dashboard(lang: str, who: Session, now: datetime, data: dict[str, Any]) -> str:
    """The page: alerts, kiosks by branch, sessions, chart, refusal codes, limits, export."""
    alerts: list[Alert] = data["alerts"]
    alert_html = ("".join(f'<li class="alert alert-{e(a.kind)}">{e(a.zh if lang == "zh" else a.en)}</li>'
                          for a in alerts))
    parts = [f'<header><h1>{t(lang, "title")}</h1><span class="who">{e(who.user)}'
             f'{" — " + t(lang, "read_only") if not who.can_change else ""}</span>'
             f'<form method="post" action="/logout"><input type="hidden" name="csrf" '
             f'value="{e(who.csrf)}"><button type="submit" id="sign-out">{t(lang, "sign_out")}'
             f'</button></form>{_langs(lang, "/")}</header><main>',
             f'<section><h2>{t(lang, "alerts")}</h2>'
             + (f'<ul id="alerts">{alert_html}</ul>' if alerts
                else f'<p id="alerts" class="empty">{t(lang, "no_alerts")}</p>') + '</section>',
             f'<section><h2>{t(lang, "kiosks")}</h2>']
    head = "".join(f"<th>{t(lang, k)}</th>" for k in (
        "kiosk", "state", "version", "heartbeat", "camera", "microphone", "service", "disk",
        "clock", "last_error", "outbox")) + "<th></th>"
    for branch, rows in data["kiosks"].items():
        parts.append(f'<h3>{t(lang, "branch")}: {e(branch)}</h3><table class="kiosks">'
                     f'<thead><tr>{head}</tr></thead><tbody>{_kiosk_rows(lang, rows, now, who)}'
                     '</tbody></table>')
    if not data["kiosks"]:
        parts.append(f'<p class="empty">{t(lang, "no_kiosks")}</p>')
    parts.append("</section>")
    today, week = data["today"], data["week"]
    outcomes = sorted(set(today) | set(week))
    parts.append(f'<section><h2>{t(lang, "sessions")}</h2>' + _table(
        [t(lang, "outcome"), t(lang, "today"), t(lang, "week")],
        [[e(o), e(today.get(o, 0)), e(week.get(o, 0))] for o in outcomes],
        t(lang, "none"), "outcomes") + "</section>")
    tz = data["tz"]
    parts.append(f'<section><h2>{t(lang, "chart")}</h2><p id="zone">{t(lang, "days_in")} '
                 f'{e(zone.name_of(tz))}</p>{chart(data["days"], data["dates"], lang)}</section>')
    code_rows = []
    for code, n in data["codes"]:
        people, operator = for_people(code), for_operator(code)
        pick = 0 if lang == "zh" else 1
        code_rows.append([e(code), e(n), e(people[pick]), e(operator[pick])])
    parts.append(f'<section><h2>{t(lang, "codes")}</h2>' + _table(
        [t(lang, k) for k in ("code", "count", "customer_text", "operator_text")], code_rows,
        t(lang, "none"), "codes") + "</section>")
    parts.append(f'<section><h2>{t(lang, "limits")}</h2>' + _table(
        [t(lang, k) for k in ("time", "branch", "kiosk", "id_masked", "reference")],
        [[e(f"{zone.local_time(r['time'], tz):%Y-%m-%d %H:%M}"), e(r["branch"]), e(r["kiosk_id"]), e(r["id_masked"]),
          e(r["reference"])] for r in data["limits"]], t(lang, "none"), "limit-events")
        + "</section>")
    week_ago, today = data["dates"][-7], data["dates"][-1]
    parts.append(f'<section><h2>{t(lang, "export")}</h2><form method="get" action="/export.csv">'
                 f'<label>{t(lang, "from")}<input type="date" name="from" id="from" value="{week_ago}">'
                 f'</label><label>{t(lang, "to")}<input type="date" name="to" id="to" '
                 f'value="{today}"></label><button type="submit" id="export">'
                 f'{t(lang, "export")}</button></form></section></main>')
    return document(lang, t(lang, "title"), "".join(parts))


CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{display:flex;gap:1em;align-items:center;background:#12355b;color:#fff;padding:.5em 1em}
header h1{font-size:1.3em;margin:0;flex:1}header a{color:#fff}
main{padding:1em;max-width:1200px}section{background:#fff;margin:0 0 1em;padding:.5em 1em;
border-radius:6px}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;
padding:.3em .5em;text-align:left;font-size:.9em}
.state-online .state{color:#2e7d32;font-weight:bold}.state-stale .state{color:#ef6c00;
font-weight:bold}.state-offline .state{color:#c62828;font-weight:bold}
.h-fail{color:#c62828;font-weight:bold}.h-warn{color:#ef6c00}
.alert{color:#8a1c1c}.error{color:#c62828}.empty{color:#666}
button{min-height:44px;min-width:44px;padding:0 1em}label{display:block;margin:.5em 0}
.login{max-width:24em;margin:4em auto;background:#fff;padding:1em 2em}
.legend .key{margin-right:1em}.swatch{display:inline-block;width:1em;height:1em;margin-right:.3em;
vertical-align:middle}
""" + "".join(f".o-{o}{{background:{c}}}" for o, c in OUTCOME_COLOURS.items())
