"""The document's options through the command line, checked on the wire (issue 18).

``session_id`` (idcardcompare), ``seq`` (the code and the clip) and the liveness-only mode
(``compare_flag=false``, no card) as the in-process emulator read them, and the audit row of each
run: one id for the service's records, the row and the screen's reference.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kiosk.config import Paths
from tests.integration import test_cli_code_verify as base
from tests.integration.test_cli_code_verify import (
    CARD,
    CLIP,
    ID_NUMBER,
    NAME,
    creds,
    fresh_code,
    kiosk,
    one_error_line,
    only_row,
    rows,
)
from tests.support.emulator_requests import Seen, requests_seen

emulator = base.emulator  # the same fixtures: an emulator for the module, fresh XDG folders
home = base.home


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Seen]:
    return requests_seen(monkeypatch)


def uploads(seen: list[Seen]) -> list[Seen]:
    return [s for s in seen if s.call != "livegetfour"]  # fresh_code's own call is not the CLI's


def test_the_session_id_reaches_the_service_and_the_audit_row(
        home: Paths, emulator: Any, seen: list[Seen], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                           ID_NUMBER, "--name", NAME, "--session-id", "desk-7-photo-1",
                           "--lang", "en", *creds(emulator))
    assert code == 0, out + err
    (sent,) = seen
    assert sent.call == "idcardcompare" and sent.fields["session_id"] == "desk-7-photo-1"
    assert sent.files == ("image",)
    assert "session_id: desk-7-photo-1" in out  # the service echoed it
    row = only_row(home)
    assert (row.session_id, row.seq) == ("desk-7-photo-1", "desk-7-photo-1")


def test_without_a_session_id_the_runs_own_id_is_sent(
        home: Paths, emulator: Any, seen: list[Seen], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                         ID_NUMBER, "--name", NAME, "--json", *creds(emulator))
    row = only_row(home)
    assert code == 0 and len(row.seq) == 32
    assert seen[0].fields["session_id"] == row.seq == row.session_id
    assert json.loads(out)["data"]["session_id"] == row.seq


def test_the_seq_goes_with_the_clip(home: Paths, emulator: Any, seen: list[Seen],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code",
                           fresh_code(emulator), "--id-number", ID_NUMBER, "--name", NAME,
                           "--seq", "desk-7-0003", "--lang", "en", *creds(emulator))
    assert code == 0, out + err
    (sent,) = uploads(seen)
    assert sent.call == "idcardlivedetectfour" and sent.fields["seq"] == "desk-7-0003"
    assert only_row(home).seq == "desk-7-0003"


def test_liveness_only_sends_compare_flag_false_and_no_card(
        home: Paths, emulator: Any, seen: list[Seen], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code",
                           fresh_code(emulator), "--liveness-only", "--seq", "desk-7-live",
                           "--lang", "en", *creds(emulator))
    assert code == 0, out + err
    (sent,) = uploads(seen)
    assert sent.call == "livedetectfour" and sent.files == ("video",)
    assert (sent.fields["compare_flag"], sent.fields["seq"]) == ("false", "desk-7-live")
    assert "idcard_number" not in sent.fields and "idcard_name" not in sent.fields
    assert out.startswith("PASSED: live person confirmed (liveness only: no identity was compared)")
    assert "liveness: 0 (OK)" in out
    assert "comparison" not in out and "similarity" not in out
    row = only_row(home)
    assert (row.mode, row.outcome, row.similarity, row.compare_status, row.live_status,
            row.seq, row.id_masked) == ("live", "pass", None, None, 0, "desk-7-live", "")


def test_liveness_only_json_is_the_services_reply_without_compare_fields(
        home: Paths, emulator: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code",
                         fresh_code(emulator), "--liveness-only", "--json", *creds(emulator))
    reply = json.loads(out)
    assert code == 0 and reply["code"] == 0
    assert reply["data"] == {"live_status": 0, "live_msg": "OK"}  # no sim, no photo, no compare


@pytest.mark.parametrize(("argv", "words"), [
    (["--liveness-only", "--card", str(CARD)], "takes no --card, --id-number or --name"),
    (["--liveness-only", "--id-number", ID_NUMBER, "--name", NAME], "takes no --card"),
    (["--liveness-only", "--name", NAME], "takes no --card"),
    (["--liveness-only", "--seq", "desk 7"], "--seq 'desk 7' cannot be used as a run id"),
    (["--liveness-only", "--seq", "x" * 65], "cannot be used as a run id"),
    (["--liveness-only", "--seq", "../../etc"], "cannot be used as a run id"),
])
def test_wrong_liveness_only_options_are_one_line_and_exit_2(
        argv: list[str], words: str, home: Paths, seen: list[Seen],
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", "1357",
                           *argv, "--lang", "en")
    assert code == 2 and out == "" and words in one_error_line(err)
    assert "use 1 to 64 letters" in err or "drop --liveness-only" in err  # what to do
    assert seen == [] and rows(home) == []  # a usage error is not a verification


def test_a_session_id_with_control_characters_is_refused_in_chinese(
        home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                           ID_NUMBER, "--name", NAME, "--session-id", "a\x1b[31m", "--lang", "zh")
    line = one_error_line(err)
    assert code == 2 and out == "" and "不能用作核验编号" in line and "\x1b" not in line
    assert rows(home) == []


def test_demo_in_the_live_mode_sends_one_id_with_the_code_and_the_clip(
        home: Paths, seen: list[Seen], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "demo", "--mode", "live", "--countdown", "0",
                           "--clip-seconds", "3", "--json", "--lang", "en")
    result = json.loads(out)
    assert code == 0 and result["passed"] and result["mode"] == "live", err
    assert [s.call for s in seen] == ["livegetfour", "livedetectfour"]
    four, clip = seen
    assert four.fields["seq"] == clip.fields["seq"] == result["seq"] and len(result["seq"]) == 32
    assert clip.fields["compare_flag"] == "false" and clip.files == ("video",)
    assert result["similarity"] is None and result["compare_status"] is None
    assert "live person confirmed" in result["message_en"]
    assert "» checking details" in err and "PASS" in err
    row = only_row(home)
    assert (row.mode, row.outcome, row.seq, row.demo) == ("live", "pass", result["seq"], True)


def test_kiosk_code_sends_its_seq_and_holds_it_to_the_same_rule(
        home: Paths, emulator: Any, seen: list[Seen], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kiosk(capsys, "code", "--seq", "counter-3-0001", *creds(emulator))
    assert code == 0 and len(out.strip()) == 4
    assert seen[0].call == "livegetfour" and seen[0].fields["seq"] == "counter-3-0001"
    code, out, err = kiosk(capsys, "code", "--seq", "counter 3", "--lang", "en", *creds(emulator))
    assert code == 2 and out == "" and "--seq 'counter 3' cannot be used" in one_error_line(err)
    assert len(seen) == 1  # nothing was sent
