"""The flow on supplied media (``kiosk verify``): a clip with its digits, a photo URL, a chosen seq.

No code, camera or recording: the run goes DETAILS, CHECKS, UPLOAD, RESULT.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.errors import RequestRefused
from kiosk.flow import ChecksDone, Details, Mode, Step, StepChanged
from tests.unit.flow.fakes import finding

ID, NAME = "11010519491231002X", "王芳"
SUPPLIED_STEPS = [Step.DETAILS, Step.CHECKS, Step.UPLOAD, Step.RESULT]


def run(flow: Any, details: Details) -> Any:
    assert flow.start(details)
    result = flow.wait(10)
    assert result is not None, "the flow did not finish"
    return result


def steps(rig: Any) -> list[Step]:
    return [e.step for e in rig.listener.of(StepChanged)]


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path.parent / f"{tmp_path.name}-given.mp4"  # outside the rig's workspaces
    path.write_bytes(b"\x00" * 1000)
    return path


def test_a_supplied_clip_is_checked_and_sent_with_its_digits(rig: Any, clip: Path) -> None:
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME, clip=clip, code="2468"))
    assert result.passed and result.validate_data == "2468"
    assert steps(rig) == SUPPLIED_STEPS
    assert rig.client.names() == ["idcardlivedetectfour"] and rig.captures == []
    call = rig.client.calls[0][1]
    assert (call["video"], call["validate_data"], call["seq"]) == (clip, "2468", result.seq)
    assert ("clip", (True, 2048)) in rig.checks.seen and ("identity", ID) in rig.checks.seen
    assert clip.is_file(), "a given clip is the caller's: the flow does not delete it"
    (row,) = rig.audit
    assert set(row.durations) == {"details", "checks", "upload"} and not row.demo


def test_a_supplied_clip_in_card_mode_goes_with_the_card(rig: Any, clip: Path) -> None:
    result = run(rig.make(), Details(Mode.CARD, card=b"\xff\xd8card", clip=clip, code="2468"))
    assert result.passed and rig.client.names() == ["livedetectfour"]
    assert rig.client.calls[0][1]["card"] == b"\xff\xd8card"


def test_a_blocked_supplied_clip_is_not_sent(rig: Any, clip: Path) -> None:
    rig.checks.clip_findings = [finding(-5015)]
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME, clip=clip, code="2468"))
    assert result.outcome == "blocked" and result.code == -5015 and rig.client.calls == []
    assert rig.listener.of(ChecksDone)[-1].blocked


def test_stale_digits_of_a_supplied_clip_are_reported_not_recorded_again(rig: Any,
                                                                        clip: Path) -> None:
    rig.client.refuse_first = [21]
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME, clip=clip, code="2468"))
    assert result.outcome == "refused" and result.code == 21
    assert rig.client.names() == ["idcardlivedetectfour"] and rig.captures == []


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_an_unreadable_supplied_clip_is_an_input_error(rig: Any, clip: Path, kind: str) -> None:
    if kind == "missing":
        clip.unlink()
    else:
        clip.write_bytes(b"")
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME, clip=clip, code="2468"))
    assert result.outcome == "error" and result.cause == "input" and result.exit_code == 2
    assert f"cannot read the video {clip}" in result.message_en and rig.client.calls == []


def test_a_photo_url_is_sent_unchecked(rig: Any) -> None:
    result = run(rig.make(), Details(Mode.PHOTO, ID, NAME, url="https://example.com/p.jpg"))
    assert result.passed and rig.captures == []
    assert steps(rig) == SUPPLIED_STEPS
    assert rig.client.calls == [("idcardcompare", {
        "video": None, "idcard_number": ID, "idcard_name": NAME, "image": None,
        "session_id": result.seq, "url": "https://example.com/p.jpg"})]
    assert [k for k, _ in rig.checks.seen] == ["identity"]


def test_the_callers_seq_is_the_runs_id(rig: Any, clip: Path) -> None:
    flow = rig.make()
    details = Details(Mode.IDCARD, ID, NAME, clip=clip, code="2468", seq="desk-7-0001")
    assert flow.start(details) == "desk-7-0001"
    result = flow.wait(10)
    assert result.seq == "desk-7-0001" and rig.audit[0].seq == "desk-7-0001"
    assert rig.client.calls[0][1]["seq"] == "desk-7-0001"


def test_a_refusal_by_the_clients_guard_is_blocked_and_predicted(rig: Any, clip: Path) -> None:
    rig.client.error = RequestRefused("the request body would be too large; nothing was sent",
                                      "请求包体过大；未发送任何内容", code=23)
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME, clip=clip, code="2468"))
    assert (result.outcome, result.code, result.exit_code) == ("blocked", 23, 1)
    (row,) = rig.audit
    assert (row.outcome, row.code, row.predicted) == ("blocked", 23, True)
