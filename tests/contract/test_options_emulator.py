"""The document's optional fields over HTTP, client and flow against the emulator (issue 18).

What the emulator read is taken where every request passes (tests.support.emulator_requests), so
the fields are checked as the service would see them on the wire.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client
from kiosk.errors import ServiceError
from kiosk.flow import Details, Flow, FlowSettings, Mode
from tests.support.emulator_requests import Seen, requests_seen

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PEOPLE = json.loads((ASSETS / "people.json").read_text(encoding="utf-8"))
SAMPLE = next(p for p in PEOPLE["people"] if p["key"] == "sample")
CARD = ASSETS / SAMPLE["photo"]
CLIP = ASSETS / PEOPLE["clip"]["file"]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Seen]:
    return requests_seen(monkeypatch)


def test_the_session_id_is_sent_and_echoed(client: Client, seen: list[Seen]) -> None:
    given = client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"], image=CARD,
                                 session_id="desk-3-0042")
    with pytest.raises(ServiceError):  # nothing listens there: -5805, but the JSON body went
        client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"],
                             url="http://127.0.0.1:1/none.jpg", session_id="desk-3-0043")
    assert seen[0].fields["session_id"] == "desk-3-0042" and given.session_id == "desk-3-0042"
    assert seen[1].fields["session_id"] == "desk-3-0043" and seen[1].files == ()


def test_without_a_session_id_none_is_sent_and_the_service_makes_one(
        client: Client, seen: list[Seen]) -> None:
    result = client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"], image=CARD)
    assert "session_id" not in seen[0].fields
    assert len(result.session_id) == 32  # the emulator's own random id


def test_the_seq_goes_with_the_code_and_the_clip(client: Client, seen: list[Seen]) -> None:
    code = client.livegetfour(seq="desk-3-0044")
    client.idcardlivedetectfour(CLIP, code, SAMPLE["id_number"], SAMPLE["name"],
                                seq="desk-3-0044")
    assert [(s.call, s.fields.get("seq")) for s in seen] == [
        ("livegetfour", "desk-3-0044"), ("idcardlivedetectfour", "desk-3-0044")]


def test_liveness_only_on_the_wire_and_in_the_reply(client: Client, seen: list[Seen]) -> None:
    result = client.livedetectfour(CLIP, client.livegetfour(), compare_flag=False, seq="l-1")
    sent = seen[-1]
    assert (sent.fields["compare_flag"], sent.fields["seq"], sent.files) == ("false", "l-1",
                                                                             ("video",))
    assert set(result.raw["data"]) == {"live_status", "live_msg"}  # no sim, photo or compare
    assert result.passed() and result.best_frame is None


def test_a_card_sent_with_compare_flag_false_is_not_compared(client: Client,
                                                              seen: list[Seen]) -> None:
    # "False的时候只做活体检测，card字段可以不填": the card may be sent, and is then ignored.
    result = client.livedetectfour(CLIP, client.livegetfour(), card=CARD, compare_flag=False)
    assert seen[-1].files == ("card", "video") and seen[-1].fields["compare_flag"] == "false"
    assert set(result.raw["data"]) == {"live_status", "live_msg"}


# --- the flow, with a real client, over HTTP ------------------------------------------------------


def unused(*_: Any) -> Any:
    raise AssertionError("a supplied clip or photo needs no camera")


def run(client: Client, details: Details) -> Any:
    flow = Flow(client, unused, unused, FlowSettings(), lambda event: None)
    try:
        assert flow.start(details)
        result = flow.wait(60)
    finally:
        flow.close()
    assert result is not None
    return result


def test_the_flow_sends_its_run_id_as_the_session_id(client: Client, seen: list[Seen]) -> None:
    result = run(client, Details(Mode.PHOTO, SAMPLE["id_number"], SAMPLE["name"], photo=CARD))
    assert result.passed, result.text("en")
    assert seen[0].fields["session_id"] == result.seq == result.session_id


def test_the_flow_checks_liveness_alone(client: Client, seen: list[Seen]) -> None:
    code = client.livegetfour()
    result = run(client, Details(Mode.LIVE, clip=CLIP, code=code, seq="desk-3-live"))
    assert result.passed and result.mode is Mode.LIVE, result.text("en")
    sent = seen[-1]
    assert sent.call == "livedetectfour" and sent.files == ("video",)
    assert (sent.fields["compare_flag"], sent.fields["seq"]) == ("false", "desk-3-live")
    assert "idcard_number" not in sent.fields
    assert result.similarity is None and result.compare_status is None and result.live_status == 0
