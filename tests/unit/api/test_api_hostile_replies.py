"""What a hostile or broken server says never reaches a terminal, a log, the GUI or the audit raw.

Issue 14: escape sequences in ``validate_data`` cleared the screen, OSC sequences in messages could
retitle the terminal, HTTP 429 blamed the endpoint URL, and a stalled server cost 244 s while the
message said 60 s. Every test here failed before the fix.
"""

from __future__ import annotations

import json
import unicodedata
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import (
    Client,
    CompareResult,
    DeadlineError,
    HTTPStatusError,
    LiveResult,
    NotJSONError,
    RateLimitedError,
    ReadTimeoutError,
    WireRequest,
    WireResponse,
    parse_reply,
)
from kiosk.api._transport import Deadline
from kiosk.errors import KioskError, ProtocolError, ServiceError

from .conftest import NOW, answer

CLEAR_SCREEN = "\u001b[2J"
RETITLE = "\u001b]0;you have been hacked\u0007"
BIDI = "\u202e"  # right-to-left override: "gnp.exe" shows as "exe.png"


def unsafe(text: str) -> list[str]:
    """Characters a terminal, a log or a Qt label would act on instead of showing."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


def raw_reply(obj: Any) -> WireResponse:
    return WireResponse(200, {"Content-Type": "application/json"},
                        json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass"))


# --- escape sequences and other control characters -----------------------------------------

@pytest.mark.parametrize("digits", [CLEAR_SCREEN + "12", "12" + CLEAR_SCREEN + "34", "١٢٣٤",
                                    "12345", "123", "12a4", " 12 ", "", 123, 12345, None,
                                    ["1234"], "\uff11\uff12\uff13\uff14", "12\u200b34"])
def test_livegetfour_accepts_only_four_ascii_digits(digits: Any, client_for: Any) -> None:
    client, _ = client_for(answer(0, {"validate_data": digits}))
    with pytest.raises(ProtocolError) as info:
        client.livegetfour()
    error = info.value
    assert error.exit_code == 2 and "four" in error.en and "四位" in error.zh
    assert unsafe(error.text("en") + error.text("zh")) == []


@pytest.mark.parametrize("digits", ["0427", 9532, " 9532 ", "1234\n"])
def test_livegetfour_four_digits_pass(digits: Any, client_for: Any) -> None:
    client, _ = client_for(answer(0, {"validate_data": digits}))
    assert client.livegetfour() == str(digits).strip()


HOSTILE = [
    CLEAR_SCREEN, RETITLE, BIDI, "\u009b31m", "\u009d0;title\u009c", "\x7f", "\x00",
    "\u001bP+q\u001b\\", "\r\n", "\u2028", "\u200b", "\ufeff", "\ud800",
]


@pytest.mark.parametrize("evil", HOSTILE, ids=[repr(h) for h in HOSTILE])
def test_service_error_message_is_cleaned(evil: str, client_for: Any) -> None:
    client, _ = client_for(raw_reply({"code": 14, "message": f"sign{evil} error", "data": {}}))
    with pytest.raises(ServiceError) as info:
        client.livegetfour()
    error = info.value
    assert unsafe(error.text("en") + error.text("zh") + error.server_message) == []
    assert "sign" in error.server_message and "error" in error.server_message
    assert unsafe(json.dumps(error.reply, ensure_ascii=False)) == []


@pytest.mark.parametrize("evil", HOSTILE, ids=[repr(h) for h in HOSTILE])
def test_result_fields_and_raw_reply_are_cleaned(evil: str) -> None:
    reply = parse_reply(json.dumps({
        "code": 0, f"message{evil}": "x", "message": f"OK{evil}",
        "data": {"live_status": 0, "live_msg": f"live{evil}", "compare_status": 0,
                 "compare_msg": f"cmp{evil}", "sim": 90, "session_id": f"s{evil}",
                 "extra": [f"a{evil}", {"deep": f"b{evil}"}]}},
        ensure_ascii=False).encode("utf-8", "surrogatepass"))
    live = LiveResult.from_reply("livedetectfour", reply, compared=True)
    compare = CompareResult.from_reply(reply)
    for text in (live.message, live.live_msg, live.compare_msg, compare.session_id,
                 json.dumps(reply, ensure_ascii=False)):
        assert unsafe(text) == [], text
    assert live.live_msg.startswith("live") and live.passed()


def test_a_whole_escape_sequence_goes_not_just_its_escape() -> None:
    # One visible mark per sequence (or run of them): the operator sees something odd was sent.
    body = json.dumps({"code": 0, "message": f"O{RETITLE}K{CLEAR_SCREEN}{BIDI}\u0007!"})
    assert parse_reply(body.encode())["message"] == "O\ufffdK\ufffd!"


def test_server_text_is_capped_and_says_so(client_for: Any) -> None:
    client, _ = client_for(answer(14, message="A" * 100_000))
    with pytest.raises(ServiceError) as info:
        client.livegetfour()
    assert len(info.value.server_message) <= 200 and info.value.server_message.endswith("…")
    assert len(info.value.text("en")) < 600


def test_a_body_quoted_in_an_error_is_cleaned() -> None:
    with pytest.raises(NotJSONError) as info:
        parse_reply(f"<html>{RETITLE}{CLEAR_SCREEN}{BIDI}Hotel Wi-Fi</html>".encode())
    assert unsafe(info.value.text("en") + info.value.text("zh")) == []
    assert "\\x1b" not in info.value.en and "Hotel" in info.value.en


@pytest.mark.parametrize("body", [
    b'{"code": 1e999}', b'{"code": -1e999, "data": {}}', b'{"code": "' + b"9" * 5000 + b'"}',
    b'{"code": 0.5}', b'{"code": true}', b'{"code": {"a": 1}}',
    b"[" * 100_000 + b"]" * 100_000, b'{"code":0,"data":' + b'{"a":' * 5000 + b"1" + b"}" * 5001,
    b'{"code":0,"data":' + b'[' * 40 + b']' * 40 + b'}',
])
def test_odd_codes_and_deep_nesting_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(ProtocolError) as info:
        parse_reply(body)
    assert len(info.value.text("en")) < 400 and unsafe(info.value.text("en")) == []


def test_huge_numbers_in_data_still_print_as_strict_json() -> None:
    reply = parse_reply(b'{"code":0,"data":{"sim":' + b"9" * 5000 + b',"x":1e999,"n":'
                        + b"1" * 30 + b"}}")
    json.dumps(reply, allow_nan=False)  # what `kiosk code --json` and `verify --json` print
    assert LiveResult.from_reply("livedetectfour", reply, compared=False).sim is None


# --- HTTP 429: the service limits the rate -------------------------------------------------

def test_429_says_rate_limit_and_when_to_try_again(client_for: Any, sleeps: list[float]) -> None:
    client, script = client_for(WireResponse(429, {"Retry-After": "120"}, b"Too Many Requests"),
                                retries=3)
    with pytest.raises(RateLimitedError) as info:
        client.livegetfour()
    error = info.value
    assert isinstance(error, HTTPStatusError) and error.status == 429
    assert error.retry_after == 120
    assert "rate" in error.en and "120 s" in error.text("en") and "Host" not in error.text("en")
    assert "频" in error.zh and "120 秒" in error.text("zh")
    # 120 s is longer than the call may take: it is not waited out, the person is told.
    assert len(script.seen) == 1 and sleeps == []


def test_429_with_a_short_retry_after_is_waited_and_retried(client_for: Any,
                                                            sleeps: list[float]) -> None:
    client, script = client_for(WireResponse(429, {"Retry-After": "2"}, b""),
                                answer(0, {"validate_data": "1357"}))
    assert client.livegetfour() == "1357"
    assert len(script.seen) == 2 and sleeps == [2.0]


def test_429_retry_after_as_an_http_date_counts_from_the_servers_date(client_for: Any) -> None:
    headers = {"Retry-After": formatdate(NOW - 3600 + 90, usegmt=True),
               "Date": formatdate(NOW - 3600, usegmt=True)}  # server clock an hour behind ours
    client, _ = client_for(WireResponse(429, headers, b""), retries=0)
    with pytest.raises(RateLimitedError) as info:
        client.livegetfour()
    assert info.value.retry_after == 90 and "90 s" in info.value.text("en")


@pytest.mark.parametrize(("value", "expected"), [
    ("99999999999", 3600), ("-5", None), ("soon", None), ("1e9", None), ("", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0),
])
def test_429_retry_after_is_bounded(value: str, expected: float | None, client_for: Any) -> None:
    client, _ = client_for(WireResponse(429, {"Retry-After": value}, b""), retries=0)
    with pytest.raises(RateLimitedError) as info:
        client.livegetfour()
    assert info.value.retry_after == expected
    assert "rate" in info.value.en and info.value.fix_en and info.value.fix_zh


def test_429_for_an_upload_is_retried_the_server_did_not_process_it(
        client_for: Any, sleeps: list[float], tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"\0" * 1000)
    client, script = client_for(WireResponse(429, {}, b""), answer(0, {"live_status": 0}))
    assert client.livedetectfour(video, "1357", compare_flag=False).live_status == 0
    assert len(script.seen) == 2 and len(sleeps) == 1


# --- one overall deadline per call --------------------------------------------------------

class StallingTransport:
    """A server that never answers, on a fake clock: each attempt costs its read timeout (or
    what is left of the deadline), as RequestsTransport's socket timeouts would."""

    def __init__(self, clock: list[float]) -> None:
        self.clock = clock
        self.attempts = 0

    def send(self, request: WireRequest, *, timeout: tuple[float, float],
             deadline: Deadline) -> WireResponse:
        self.attempts += 1
        wait = min(timeout[1], max(0.0, deadline.remaining()))
        self.clock[0] += wait
        raise ReadTimeoutError(f"{request.host} did not answer within {wait:g} s", "未回复",
                               fix_en="try again", fix_zh="请重试")

    def close(self) -> None:
        pass


def test_a_stalled_server_costs_one_deadline_not_four_timeouts(client_for: Any) -> None:
    clock = [1000.0]
    transport = StallingTransport(clock)

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    client, _ = client_for(session=transport, monotonic=lambda: clock[0], sleep=sleep)
    with pytest.raises(KioskError) as info:
        client.livegetfour()
    spent = clock[0] - 1000.0
    assert spent <= 65.01  # connect 5 s + read 60 s, retries included (was 4 x 60 + backoff)
    assert isinstance(info.value, ReadTimeoutError | DeadlineError)
    text = info.value.text("en")
    assert f"gave up after {spent:.0f} s" in text and "attempt" in text, text
    assert f"{spent:.0f} 秒" in info.value.text("zh")


def test_quick_failures_are_still_retried_within_the_deadline(client_for: Any,
                                                              sleeps: list[float]) -> None:
    client, script = client_for(answer(213), answer(213), answer(0, {"validate_data": "2468"}))
    assert client.livegetfour() == "2468" and len(script.seen) == 3


def test_explicit_deadline_bounds_the_whole_call(client_for: Any) -> None:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    client, _ = client_for(session=StallingTransport(clock), monotonic=lambda: clock[0],
                           sleep=sleep, deadline=10.0, read_timeout=4.0, retries=5)
    with pytest.raises(KioskError):
        client.livegetfour()
    assert clock[0] <= 10.0 + 1e-6


def test_client_constructor_keeps_its_signature() -> None:
    Client("https://x.example", "1", "AKID", "k", deadline=30.0).close()
