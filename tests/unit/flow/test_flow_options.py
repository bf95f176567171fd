"""The document's options through the flow: the run's id as seq and session_id, liveness alone."""

from __future__ import annotations

from kiosk.api import LiveResult
from kiosk.flow import Details, Mode, Step, StepChanged
from kiosk.flow import messages as flow_messages
from kiosk.flow.audiences import reference, tell
from tests.unit.flow.fakes import live_reply

ID, NAME = "11010519491231002X", "王芳"
VIDEO_STEPS = [Step.DETAILS, Step.CODE, Step.GUIDE, Step.COUNTDOWN, Step.RECORD, Step.CHECKS,
               Step.UPLOAD, Step.RESULT]


def live_only(live_status: int | None = 0, live_msg: str = "OK") -> LiveResult:
    """What Client.livedetectfour returns with compare_flag false: live fields only."""
    return LiveResult("livedetectfour", 0, "OK", live_status, live_msg, None, "", None, None,
                      compared=False)


def run(flow, details):
    assert flow.start(details)
    result = flow.wait(10)
    assert result is not None, "the flow did not finish"
    return result


# --- the run's id goes to the service ---------------------------------------------------------


def test_a_photo_run_sends_its_id_as_the_session_id(rig):
    result = run(rig.make(), Details(Mode.PHOTO, ID, NAME, photo=b"\xff\xd8face"))
    (name, call), = rig.client.calls
    assert name == "idcardcompare" and call["session_id"] == result.seq and len(result.seq) == 32
    assert reference(result) == result.seq[:8]  # the clerk's reference is the start of it
    assert rig.audit[0].seq == result.seq


def test_a_chosen_id_is_the_session_id_the_seq_and_the_reference(rig):
    run(rig.make(), Details(Mode.PHOTO, ID, NAME, photo=b"\xff\xd8face", seq="desk-7-0009"))
    assert rig.client.calls[0][1]["session_id"] == "desk-7-0009"
    run(rig.make(), Details(Mode.IDCARD, ID, NAME, seq="desk-7-0010"))
    sent = [(n, c["seq"]) for n, c in rig.client.calls[1:]]
    assert sent == [("livegetfour", "desk-7-0010"), ("idcardlivedetectfour", "desk-7-0010")]
    assert [r.seq for r in rig.audit] == ["desk-7-0009", "desk-7-0010"]


def test_every_run_of_the_same_details_gets_a_new_id(rig):
    flow = rig.make()
    first = run(flow, Details(Mode.PHOTO, ID, NAME, photo=b"\xff\xd8face"))
    assert flow.retry()
    second = flow.wait(10)
    sent = [c["session_id"] for _, c in rig.client.calls]
    assert sent == [first.seq, second.seq] and first.seq != second.seq


# --- liveness only ------------------------------------------------------------------------------


def test_liveness_only_records_and_sends_no_card_and_no_comparison(rig):
    rig.client.reply = live_only()
    result = run(rig.make(), Details(Mode.LIVE))
    assert [e.step for e in rig.listener.of(StepChanged)] == VIDEO_STEPS
    assert rig.client.names() == ["livegetfour", "livedetectfour"]
    call = rig.client.calls[1][1]
    assert call["compare_flag"] is False and call["card"] is None
    assert call["seq"] == result.seq == rig.client.calls[0][1]["seq"]
    assert [k for k, _ in rig.checks.seen] == ["clip"]  # no identity, no image to check
    assert result.passed and result.exit_code == 0 and result.mode is Mode.LIVE
    assert result.similarity is None and result.compare_status is None
    assert "live person" in result.message_en and "no identity" in result.message_en
    assert "真人" in result.message_zh


def test_a_live_person_is_told_so_not_that_they_are_verified(rig):
    rig.client.reply = live_only()
    told = tell(run(rig.make(), Details(Mode.LIVE)))
    assert told.verdict == "verified"
    assert (told.customer_zh, told.customer_en) == (flow_messages.LIVE_FOR_CUSTOMER.zh,
                                                    flow_messages.LIVE_FOR_CUSTOMER.en)
    assert "similarity" not in told.operator_en and "live person" in told.operator_en


def test_the_audit_row_of_a_liveness_check_has_no_person_and_no_similarity(rig):
    rig.client.reply = live_only()
    run(rig.make(), Details(Mode.LIVE))
    (row,) = rig.audit
    assert (row.mode, row.outcome, row.similarity, row.compare_status, row.live_status,
            row.id_masked) == ("live", "pass", None, None, 0, "")


def test_a_similarity_sent_anyway_is_not_reported(rig):
    rig.client.reply = live_reply(12)  # a service answering with compare fields regardless
    result = run(rig.make(), Details(Mode.LIVE))
    assert result.passed and result.similarity is None


def test_a_card_given_in_the_liveness_mode_is_not_sent(rig):
    rig.client.reply = live_only()
    run(rig.make(), Details(Mode.LIVE, card=b"\xff\xd8card"))
    assert rig.client.calls[1][1]["card"] is None
    assert ("image", "card") not in rig.checks.seen


def test_failed_liveness_is_not_verified_with_the_codes_advice(rig):
    rig.client.reply = live_only(-5009, "no face")
    result = run(rig.make(), Details(Mode.LIVE))
    assert result.outcome == "failed" and result.exit_code == 1 and result.live_status == -5009
    told = tell(result)
    assert told.verdict == "not_verified" and told.retry
    assert "same" not in told.customer_en and "card" not in told.customer_en


def test_a_reply_without_a_live_status_says_liveness_was_not_confirmed(rig):
    rig.client.reply = live_only(None, "")
    result = run(rig.make(), Details(Mode.LIVE))
    assert result.outcome == "failed"
    told = tell(result)
    assert told.customer_en == flow_messages.NOT_LIVE.en  # never "could not confirm it is you"


def test_the_live_mode_has_no_identity_and_no_card():
    assert Mode.LIVE.uses_video and not Mode.LIVE.needs_identity and not Mode.LIVE.needs_card
    assert not Mode.LIVE.compares and all(m.compares for m in Mode if m is not Mode.LIVE)
    assert Details(Mode.LIVE).person() == ""  # the attempt limit has nobody to count
