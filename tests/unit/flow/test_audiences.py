"""Three outcomes and two audiences, from the results the flow really makes."""

from __future__ import annotations

import re

import pytest

from kiosk.api.codes import lookup
from kiosk.checks.findings import Finding
from kiosk.errors import (
    ConfigError,
    ConnectError,
    MediaError,
    ProtocolError,
    RequestRefused,
    ServiceError,
    TimeoutError_,
    TLSError,
)
from kiosk.flow import verdict
from kiosk.flow.audiences import reference, tell, verdict_of
from kiosk.flow.events import Mode
from kiosk.media.errors import MicrophoneFault
from tests.unit.flow.fakes import live_reply

JARGON = re.compile(r"\d|LUFS|\bdB\b|(?i:\bcode\b)|错误码|相似度|阈值|similarity|threshold")
EXTRA = {"seq": "0123456789abcdef", "validate_data": "1357"}


def _refused(code: int) -> verdict.Result:
    return verdict.from_error(Mode.IDCARD, ServiceError(code, "msg", lookup(code)), 70, **EXTRA)


def _error(exc: Exception) -> verdict.Result:
    return verdict.from_error(Mode.IDCARD, exc, 70, **EXTRA)  # type: ignore[arg-type]


CASES = {
    "verified": verdict.from_reply(Mode.IDCARD, live_reply(91), 70, **EXTRA),
    "below threshold": verdict.from_reply(Mode.IDCARD, live_reply(40), 70, **EXTRA),
    "card below threshold": verdict.from_reply(Mode.CARD, live_reply(40), 70, **EXTRA),
    "not live": verdict.from_reply(Mode.IDCARD, live_reply(91, live_status=-5011), 70, **EXTRA),
    "quiet (local)": verdict.from_findings(
        Mode.IDCARD, [Finding(-5013, "block", -52.7, -35.0, "声音太小（响度 -52.7 LUFS）",
                              "the voice is too quiet (-52.7 LUFS)")], 70, **EXTRA),
    "-5011": _refused(-5011),
    "-5015": _refused(-5015),
    "21": _refused(21),
    "-5802": _refused(-5802),
    "signature 14": _refused(14),
    "network down": _error(ConnectError("cannot connect to 127.0.0.1: refused", "无法连接")),
    "TLS": _error(TLSError("TLS handshake failed", "安全连接失败")),
    "timeout": _error(TimeoutError_("no reply in 60 s", "60 秒内没有回复")),
    "5xx": _error(ProtocolError("server error (HTTP 503)", "服务器出错（HTTP 503）")),
    "config": _error(ConfigError("credentials missing: secret_key", "缺少凭据")),
    "camera": _error(MediaError("the camera sent no picture for 5 s", "摄像头 5 秒内没有画面")),
    "microphone": _error(MicrophoneFault("default", "gone", "USB Microphone")),
    "gif guard": _error(RequestRefused("the photo is a GIF", "照片是 GIF", code=-4016)),
    "internal": verdict.internal_error(Mode.IDCARD, 70, **EXTRA),
}
EXPECTED = {
    "verified": "verified", "below threshold": "not_verified", "card below threshold":
    "not_verified", "not live": "not_verified", "quiet (local)": "not_verified",
    "-5011": "not_verified", "-5015": "unchecked", "21": "not_verified", "-5802": "unchecked",
    "signature 14": "unchecked", "network down": "unchecked", "TLS": "unchecked",
    "timeout": "unchecked", "5xx": "unchecked", "config": "unchecked", "camera": "unchecked",
    "microphone": "unchecked",
    "gif guard": "not_verified", "internal": "unchecked",
}


@pytest.mark.parametrize("name", CASES)
def test_each_result_is_one_of_three_outcomes_in_words_without_jargon(name: str) -> None:
    told = tell(CASES[name])
    assert told.verdict == verdict_of(CASES[name]) == EXPECTED[name]
    for text in (told.customer_zh, told.customer_en):
        assert text and not JARGON.search(text), (name, text)
    assert told.customer("zh") == told.customer_zh and told.customer("en") == told.customer_en


@pytest.mark.parametrize("name", [n for n, v in EXPECTED.items() if v == "unchecked"])
def test_could_not_check_never_says_the_person_failed(name: str) -> None:
    told = tell(CASES[name])
    assert "not a failed check" in told.customer_en or "staff" in told.customer_en or \
        "no check was made" in told.customer_en, told.customer_en
    assert "未通过" not in told.customer_zh and "not verified" not in told.customer_en.lower()


def test_the_operator_detail_keeps_the_code_and_the_measurement() -> None:
    assert "-52.7 LUFS" in tell(CASES["quiet (local)"]).operator_en
    assert "-5015" in tell(CASES["-5015"]).operator_en
    assert "320X480" in tell(CASES["-5015"]).operator_zh
    assert "127.0.0.1" in tell(CASES["network down"]).operator_en


def test_staff_only_problems_do_not_offer_the_customer_a_retry() -> None:
    for name in ("-5015", "signature 14", "config", "camera"):
        told = tell(CASES[name])
        assert not told.retry and "staff" in told.customer_en, name
    for name in ("network down", "-5802", "below threshold", "-5011", "21"):
        assert tell(CASES[name]).retry, name
    assert not tell(CASES["verified"]).retry


def test_card_mode_never_asks_for_an_id_number_and_name() -> None:
    told = tell(CASES["card below threshold"])
    assert "ID" not in told.customer_en and "card photo" in told.customer_en


def test_a_result_not_recorded_says_so_first_and_asks_for_staff() -> None:
    from dataclasses import replace

    told = tell(replace(CASES["verified"], recorded=False))
    assert told.customer_en.startswith("The result could not be saved")
    assert not told.retry


def test_the_reference_is_the_start_of_the_runs_seq() -> None:
    assert reference(CASES["verified"]) == "01234567"


def test_a_failed_device_asks_the_customer_to_wait_and_names_the_device_for_the_clerk() -> None:
    told = tell(CASES["microphone"])
    assert "please wait" in told.customer_en.lower() and "请稍候" in told.customer_zh
    assert "USB Microphone" not in told.customer_en + told.customer_zh, "no device names for them"
    assert not told.retry
    assert "USB Microphone" in told.clerk("en") and "USB Microphone" in told.clerk("zh")
    assert "removed" in told.clerk_en and "移除" in told.clerk_zh
    assert tell(CASES["camera"]).clerk_en == "the camera sent no picture for 5 s"
    for name in ("network down", "-5015", "config", "verified", "below threshold"):
        assert tell(CASES[name]).clerk_en == "", name
