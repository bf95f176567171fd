"""The flow's seams carry the real result types: the checker's feedback, the client's replies."""

from __future__ import annotations

import base64
import inspect
from typing import Any, get_type_hints

import numpy as np
import pytest

from kiosk.api import CompareResult, LiveResult
from kiosk.checks.faces import FaceBox
from kiosk.checks.live import MESSAGES, FrameFeedback
from kiosk.flow import Mode
from kiosk.flow.guide import NO_CAMERA, guidance
from kiosk.flow.ports import ChecksPort, ClientPort, RealChecks
from kiosk.flow.verdict import from_reply
from tests.unit.flow.fakes import FakeChecks, FakeClient

JPEG = b"\xff\xd8\xff\xe0jpeg"


def too_dark() -> FrameFeedback:
    return FrameFeedback("too_dark", FaceBox(100.4, 80.6, 150.2, 150.0), 1, True, 0.3, 30.0,
                         *MESSAGES["too_dark"])


def test_a_status_becomes_one_hint_in_the_checkers_words() -> None:
    g = guidance(too_dark(), None, -20.0, -40.0)
    assert [(h.key, h.zh, h.en) for h in g.hints] == [("too_dark", *MESSAGES["too_dark"])]
    assert not g.face_ok and g.face_box == (100, 81, 150, 150) and g.voice_ok


def test_a_well_placed_face_gets_no_hint() -> None:
    ok = FrameFeedback("ok", FaceBox(1, 2, 3, 4), 1, True, 0.3, 120.0, *MESSAGES["ok"])
    g = guidance(ok, None, -60.0, -40.0)
    assert g.face_ok and g.hints == () and not g.voice_ok


def test_no_picture_yet_says_so() -> None:
    g = guidance(None, None, -20.0, -40.0)
    assert g.hints == (NO_CAMERA,) and g.face_box is None and not g.face_ok


def test_the_real_checker_feeds_guidance() -> None:
    g = guidance(RealChecks().frame(np.full((480, 640, 3), 120, np.uint8)), None, -20.0, -40.0)
    assert [(h.key, h.en) for h in g.hints] == [("no_face", MESSAGES["no_face"][1])]


def live(**data: Any) -> LiveResult:
    reply = {"code": 0, "data": {"live_status": 0, "compare_status": 0, "sim": 88,
                                 "video_photo": base64.b64encode(JPEG).decode(), **data}}
    return LiveResult.from_reply("idcardlivedetectfour", reply, compared=True)


def test_a_parsed_live_reply_passes() -> None:
    result = from_reply(Mode.IDCARD, live(), 70.0)
    assert result.passed and result.similarity == 88 and result.best_frame == JPEG


@pytest.mark.parametrize(("data", "words"), [
    ({"live_status": -5012, "live_msg": "no voice"}, "no voice"),
    ({"live_status": None}, "no liveness status"),
    ({"compare_status": -4006}, "comparison did not pass"),
    ({"compare_status": None}, "no comparison"),
    ({"sim": 50}, "similarity 50 is below"),
])
def test_a_parsed_live_reply_fails_with_its_reason(data: dict[str, Any], words: str) -> None:
    result = from_reply(Mode.IDCARD, live(**data), 70.0)
    assert result.outcome == "failed" and words in result.message_en


def test_a_live_call_without_comparison_needs_no_compare_status() -> None:
    reply = {"code": 0, "data": {"live_status": 0, "sim": 90}}
    result = from_reply(Mode.CARD, LiveResult.from_reply("livedetectfour", reply, compared=False),
                        70.0)
    assert result.passed


def test_a_parsed_compare_reply_keeps_its_session() -> None:
    reply = {"code": 0, "data": {"similarity": "91.25", "session_id": "abc"}}
    result = from_reply(Mode.PHOTO, CompareResult.from_reply(reply), 70.0)
    assert result.passed and result.similarity == 91.25 and result.session_id == "abc"
    assert result.live_status is None and result.best_frame is None


def returns(cls: type, name: str) -> Any:
    return get_type_hints(getattr(cls, name))["return"]


@pytest.mark.parametrize(("port", "fake"), [(ClientPort, FakeClient), (ChecksPort, FakeChecks)])
def test_the_fakes_return_what_the_ports_promise(port: type, fake: type) -> None:
    names = [n for n, _ in inspect.getmembers(port, inspect.isfunction) if not n.startswith("_")]
    assert names
    for name in names:
        assert returns(fake, name) == returns(port, name), name
