"""The supervisor's page over HTTP: sign-in, CSRF, cookies, headers, escaping, roles, alerts, CSV."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from kiosk.fleet.service import alerts, zone
from kiosk.fleet.service.labels import LABELS

from .conftest import Service
from .test_service import join, row, signed


def signed_in(service: Service, name: str = "sue", role: str = "supervisor") -> requests.Session:
    service.user(name, role)
    web = requests.Session()
    form = web.get(service.url + "/login", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    done = web.post(service.url + "/login", data={"csrf": csrf, "user": name,
                                                  "password": "correct horse"}, timeout=10)
    assert done.url.endswith("/?lang=en"), done.url
    return web


def test_sign_in_sets_strict_http_only_cookies_and_security_headers(service: Service) -> None:
    service.user("sue", "supervisor")
    web = requests.Session()
    form = web.get(service.url + "/login", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    assert web.post(service.url + "/login", data={"csrf": "forged", "user": "sue",
                                                  "password": "correct horse"},
                    timeout=10).status_code == 403
    wrong = web.post(service.url + "/login", data={"csrf": csrf, "user": "sue", "password": "x"},
                     timeout=10, allow_redirects=False)
    assert wrong.headers["location"].endswith("failed=1")
    ok = web.post(service.url + "/login", data={"csrf": csrf, "user": "sue",
                                                "password": "correct horse"},
                  timeout=10, allow_redirects=False)
    cookie = ok.headers["set-cookie"]
    assert "fleet_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = web.get(service.url + "/", timeout=10)
    h = page.headers
    assert h["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script-src" not in h["Content-Security-Policy"]  # no script at all
    assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "no-referrer" and h["Cache-Control"] == "no-store"
    assert "<script" not in page.text and "http" not in page.text.split("<body>")[1].replace(
        'href="/', "")  # nothing from outside the service
    stored = service.query("SELECT password_hash FROM users")[0][0]
    assert stored.startswith("scrypt$") and "correct horse" not in stored


def test_every_value_is_escaped(service: Service) -> None:
    kiosk = join(service, branch='<script>alert("b")</script>')
    beat = {"version": "<b>1</b>", "time": service.clock(), "camera": "OK", "microphone": "OK",
            "service": "OK", "last_error": "<img src=x onerror=alert(1)>", "outbox": 0}
    assert signed(service, kiosk, "/heartbeat", beat).status_code == 200
    page = signed_in(service).get(service.url + "/", timeout=10).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;b&quot;)" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>1</b>" not in page


def test_auditors_look_supervisors_revoke_and_posts_need_csrf(service: Service) -> None:
    kiosk = join(service)
    auditor = signed_in(service, "amy", "auditor")
    page = auditor.get(service.url + "/", timeout=10).text
    assert "read-only" in page and "/revoke" not in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    url = f"{service.url}/kiosks/{kiosk['kiosk_id']}/revoke"
    assert auditor.post(url, data={"csrf": csrf}, timeout=10).status_code == 403
    sup = signed_in(service)
    assert sup.post(url, data={}, timeout=10).status_code == 403  # no CSRF token
    csrf = re.search(r'name="csrf" value="([^"]+)"', sup.get(service.url + "/", timeout=10).text).group(1)
    assert sup.post(url, data={"csrf": csrf}, timeout=10).status_code == 200
    assert service.query("SELECT revoked_at IS NOT NULL FROM kiosks") == [(True,)]


def test_the_page_shows_states_outcomes_codes_limits_and_alerts(service: Service) -> None:
    quiet, broken = join(service, "north"), join(service, "north")
    beat = {"version": "1", "time": service.clock(), "camera": "OK", "microphone": "OK",
            "service": "OK", "outbox": 0}
    signed(service, quiet, "/heartbeat", beat)
    signed(service, broken, "/heartbeat", {**beat, "camera": "FAIL"})
    outcomes = ["pass"] * 3 + ["error"] * 3 + ["refused"] * 2 + ["limited"]
    rows = [row(i + 1, outcome=o, code=-5015 if o == "refused" else None,
                time="2027-01-15T07:30:00+00:00") for i, o in enumerate(outcomes)]
    assert signed(service, broken, "/audit", {"rows": rows}).status_code == 200
    web = signed_in(service)
    page = web.get(service.url + "/", timeout=10).text
    assert page.count('data-state="online"') == 2
    assert "camera failed its self-test" in page
    assert "branch north: 33 % could not check in the last hour (3 of 9)" in page
    assert "-5015" in page and "Please ask a member of staff" in page  # customer and operator text
    assert 'id="limit-events"' in page and "110105********002X" in page
    assert "<svg" in page and "<rect" in page
    service.clock.now += 301  # five minutes of silence
    page = web.get(service.url + "/", timeout=10).text
    assert page.count('data-state="offline"') == 2 and "silent for 5 min" in page
    zh = web.get(service.url + "/?lang=zh", timeout=10).text
    assert "各网点自助机" in zh and "已 5 分钟无心跳" in zh


def test_csv_export_takes_a_date_range(service: Service) -> None:
    kiosk = join(service)
    days = ["2027-01-10T10:00:00+00:00", "2027-01-12T23:59:59+00:00", "2027-01-13T00:00:00+00:00"]
    signed(service, kiosk, "/audit", {"rows": [row(i + 1, time=t) for i, t in enumerate(days)]})
    web = signed_in(service)
    got = web.get(service.url + "/export.csv?from=2027-01-11&to=2027-01-12", timeout=10)
    assert got.headers["content-type"].startswith("text/csv")
    lines = got.text.splitlines()
    assert lines[0].startswith("time,received_at,branch,kiosk_id,seq,uid") and len(lines) == 2
    assert lines[1].startswith("2027-01-12T23:59:59Z")
    assert web.get(service.url + "/export.csv?from=2027-01-12&to=2027-01-11",
                   timeout=10).status_code == 400
    assert requests.get(service.url + "/export.csv?from=2027-01-11&to=2027-01-12", timeout=10,
                        allow_redirects=False).status_code == 303  # signed in only


def test_each_alert_goes_to_the_webhook_once(service: Service) -> None:
    got: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    join(service)
    service.clock.now += 600
    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        assert alerts.send_new(service.engine, service.ctx.now(), service.ctx.limits, url) == 1
        assert alerts.send_new(service.engine, service.ctx.now(), service.ctx.limits, url) == 0
    finally:
        server.shutdown()
    assert got[0]["alert"]["kind"] == "silent"


def test_the_pages_days_begin_at_the_supervisors_midnight(service: Service) -> None:
    kiosk = join(service)
    times = ["2027-01-14T15:59:59+00:00",  # 23:59:59 on the 14th in Shanghai
             "2027-01-14T16:00:00+00:00",  # midnight: the 15th begins in Shanghai
             "2027-01-15T07:00:00+00:00"]  # now is 2027-01-15 08:00 UTC, 16:00 in Shanghai
    signed(service, kiosk, "/audit", {"rows": [row(i + 1, time=t) for i, t in enumerate(times)]})
    web = signed_in(service)
    utc_page = web.get(service.url + "/", timeout=10).text
    assert "<title>2027-01-15 pass: 1</title>" in utc_page
    assert "<title>2027-01-14 pass: 2</title>" in utc_page
    service.ctx.tz = ZoneInfo("Asia/Shanghai")
    page = web.get(service.url + "/", timeout=10).text
    assert "<title>2027-01-15 pass: 2</title>" in page and "<title>2027-01-14 pass: 1</title>" in page
    assert re.search(r"<td>pass</td><td>2</td><td>3</td>", page)  # today, the last 7 days
    assert "Asia/Shanghai" in page and 'name="to" id="to" value="2027-01-15"' in page
    got = web.get(service.url + "/export.csv?from=2027-01-15&to=2027-01-15", timeout=10).text
    assert [line[:20] for line in got.splitlines()[1:]] == ["2027-01-14T16:00:00Z",
                                                            "2027-01-15T07:00:00Z"]


def test_a_day_with_a_clock_change_is_23_or_25_hours_long() -> None:
    from datetime import datetime

    new_york = ZoneInfo("America/New_York")  # clocks went forward on 2027-03-14
    days, end = zone.days(datetime(2027, 3, 15, 12), new_york, 3)
    assert [d for d, _ in days] == ["2027-03-13", "2027-03-14", "2027-03-15"]
    starts = [s for _, s in days] + [end]
    assert [(b - a).total_seconds() / 3600 for a, b in zip(starts[:-1], starts[1:], strict=True)] == [24, 23, 24]
    assert days[0][1] == datetime(2027, 3, 13, 5)  # midnight EST is 05:00 UTC
    assert zone.today(datetime(2027, 3, 15, 3, 59), new_york).isoformat() == "2027-03-14"


def test_every_page_label_has_both_languages() -> None:
    for key, (zh, en) in LABELS.items():
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: the Chinese label has no Chinese"
        assert en.strip() and not re.search(r"[\u4e00-\u9fff]", en), f"{key}: the English label"


def test_serve_refuses_an_unknown_time_zone(capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["--lang", "en", "fleet", "serve", "--tz", "Mars/Olympus_Mons"]) == 2
    assert "unknown time zone: Mars/Olympus_Mons — give an IANA zone name" in capsys.readouterr().err
