"""The flow against fakes: step order per mode, results, cancel, retry, cleanup, audit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kiosk.checks.live import MESSAGES
from kiosk.flow import (
    ChecksDone,
    CodeReceived,
    Countdown,
    Details,
    Finished,
    Guidance,
    GuidancePolicy,
    Mode,
    RecordingProgress,
    Step,
    StepChanged,
    UploadProgress,
)
from tests.unit.flow.fakes import compare_reply, finding, live_reply

ID, NAME = "11010519491231002X", "王芳"
VIDEO_STEPS = [Step.DETAILS, Step.CODE, Step.GUIDE, Step.COUNTDOWN, Step.RECORD, Step.CHECKS,
               Step.UPLOAD, Step.RESULT]


def run(flow, details):
    assert flow.start(details)
    result = flow.wait(10)
    assert result is not None, "the flow did not finish"
    return result


def steps(rig):
    return [e.step for e in rig.listener.of(StepChanged)]


def test_idcard_pass_walks_every_step_and_leaves_nothing(rig):
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.passed and result.exit_code == 0
    assert steps(rig) == VIDEO_STEPS
    assert [e.code for e in rig.listener.of(CodeReceived)] == ["1357"]
    assert [e.n for e in rig.listener.of(Countdown)] == [3, 2, 1]
    assert rig.client.names() == ["livegetfour", "idcardlivedetectfour"]
    call = rig.client.calls[1][1]
    assert (call["validate_data"], call["idcard_number"], call["idcard_name"]) == ("1357", ID, NAME)
    assert rig.client.uploaded_existed == [True]
    assert result.similarity == 85 and result.session_id == ""  # the live calls return none
    assert result.best_frame == b"\xff\xd8jpeg" and result.validate_data == "1357"
    assert result.seq == call["seq"] and len(result.seq) == 32
    assert rig.captures[0].started and rig.captures[0].stopped
    assert all(ws.closed for ws in rig.workspaces) and rig.leftovers() == []
    assert isinstance(rig.listener.events[-1], Finished)


def test_progress_events_reach_their_totals(rig):
    run(rig.make(clip_seconds=4.0), Details(Mode.IDCARD, ID, NAME))
    rec = rig.listener.of(RecordingProgress)
    assert rec[-1].elapsed == rec[-1].total == 4.0
    assert all(a.elapsed <= b.elapsed for a, b in zip(rec, rec[1:], strict=False))
    up = rig.listener.of(UploadProgress)
    assert up[0].sent == 0 and up[-1].sent == up[-1].total == 100_000
    assert rig.listener.of(Guidance), "no preview ticks"
    assert rig.listener.of(ChecksDone)[-1].blocked is False


def test_listener_runs_on_the_worker_not_the_caller(rig):
    run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert threading.current_thread().name not in rig.listener.threads
    assert rig.listener.threads == {"kiosk-flow"}


def test_card_mode_sends_the_card_with_compare(rig, tmp_path):
    card = tmp_path.parent / "card.jpg"
    card.write_bytes(b"\xff\xd8card")
    result = run(rig.make(), Details(Mode.CARD, card=card))
    assert result.passed
    name, call = rig.client.calls[-1]
    assert name == "livedetectfour" and call["card"] == b"\xff\xd8card" and call["compare_flag"]
    assert ("image", "card") in rig.checks.seen
    assert ("identity", "") not in rig.checks.seen
    clip_seen = [v for k, v in rig.checks.seen if k == "clip"][0]
    assert clip_seen[0] is True and clip_seen[1] > len(b"\xff\xd8card")


def test_card_mode_without_a_card_says_so(rig):
    result = run(rig.make(), Details(Mode.CARD))
    assert result.outcome == "error" and "card photo" in result.message_en
    assert rig.client.calls == []


def test_photo_mode_with_a_photo_opens_no_camera(rig):
    result = run(rig.make(), Details(Mode.PHOTO, ID, NAME, photo=b"\xff\xd8face"))
    assert result.passed and rig.captures == [] and result.session_id == "sess-1"
    assert steps(rig) == [Step.DETAILS, Step.CHECKS, Step.UPLOAD, Step.RESULT]
    assert rig.client.calls == [("idcardcompare", {"video": None, "idcard_number": ID,
                                                   "idcard_name": NAME, "image": b"\xff\xd8face",
                                                   "session_id": result.seq})]


def test_photo_mode_without_a_photo_takes_a_still(rig):
    rig.client.compare = compare_reply(91.5)
    result = run(rig.make(), Details(Mode.PHOTO, ID, NAME))
    assert result.passed and result.similarity == 91.5
    image = rig.client.calls[-1][1]["image"]
    assert image[:2] == b"\xff\xd8"  # a JPEG from the camera's frame
    assert steps(rig) == [Step.DETAILS, Step.GUIDE, Step.COUNTDOWN, Step.RECORD, Step.CHECKS,
                          Step.UPLOAD, Step.RESULT]
    assert rig.captures[0].stopped


def test_bad_id_blocks_before_any_call(rig):
    rig.checks.identity_findings = [finding(-5801)]
    result = run(rig.make(), Details(Mode.IDCARD, "110105194912310021", NAME))
    assert result.outcome == "blocked" and result.code == -5801 and result.exit_code == 1
    assert rig.client.calls == [] and rig.captures == []
    assert rig.listener.of(ChecksDone)[-1].blocked
    assert result.fix_en and result.fix_zh


def test_blocked_clip_is_never_uploaded_and_is_deleted(rig):
    rig.checks.clip_findings = [finding(-5015), finding(-5013, "warn")]
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.outcome == "blocked" and result.code == -5015
    assert rig.client.names() == ["livegetfour"]
    assert len(result.findings) == 2 and rig.leftovers() == []


def test_warnings_alone_do_not_block(rig):
    rig.checks.clip_findings = [finding(-5013, "warn")]
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.passed and result.findings[0].code == -5013


def test_service_refusal_says_what_to_do(rig):
    rig.client.refuse = -5801
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.outcome == "refused" and result.code == -5801 and result.exit_code == 1
    assert "-5801" in result.message_en and result.fix_zh
    assert rig.leftovers() == []


@pytest.mark.parametrize(("reply", "words"), [
    (live_reply(60), "below the threshold 70"),
    (live_reply(live_status=-5012, live_msg="no voice"), "no voice"),
    (live_reply(compare_status=-4006, compare_msg="no match"), "no match"),
    (live_reply(None), "similarity none"),
])
def test_a_no_verdict_is_a_failure_with_a_reason(rig, reply, words):
    rig.client.reply = reply
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.outcome == "failed" and not result.passed and words in result.message_en
    assert result.exit_code == 1 and result.fix_en


def test_threshold_comes_from_settings(rig):
    rig.client.reply = live_reply(75)
    assert run(rig.make(threshold=80.0), Details(Mode.IDCARD, ID, NAME)).outcome == "failed"
    assert run(rig.make(threshold=70.0), Details(Mode.IDCARD, ID, NAME)).passed


def test_counter_policy_waits_for_ready(rig):
    flow = rig.make(guidance=GuidancePolicy(auto_continue=False, max_wait=0))
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: len(rig.listener.of(Guidance)) > 20)
    assert flow.step is Step.GUIDE and flow.running
    flow.ready()
    assert flow.wait(10).passed


def test_counter_policy_gives_up_after_max_wait(rig):
    flow = rig.make(guidance=GuidancePolicy(auto_continue=False, max_wait=30))
    result = run(flow, Details(Mode.IDCARD, ID, NAME))
    assert result.cancelled and "30 s" in result.message_en
    assert rig.client.names() == ["livegetfour"] and rig.leftovers() == []


def test_headless_policy_continues_without_a_face_after_its_cap(rig):
    rig.checks.face_ok = False
    flow = rig.make(guidance=GuidancePolicy.headless(max_wait=2.0))
    result = run(flow, Details(Mode.IDCARD, ID, NAME))
    assert result.passed
    guide = [g for g in rig.listener.of(Guidance) if g.auto_in is not None]
    assert guide and not guide[0].face_ok
    assert [(h.key, h.zh, h.en) for h in guide[0].hints] == [("too_far", *MESSAGES["too_far"])]
    assert 1.9 <= result.durations[Step.GUIDE] <= 2.2


def test_cancel_during_guidance_ends_cancelled_and_clean(rig):
    flow = rig.make(guidance=GuidancePolicy(auto_continue=False))
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: flow.step is Step.GUIDE)
    flow.cancel()
    result = flow.wait(10)
    assert result.cancelled and result.exit_code == 1 and not flow.running
    assert rig.captures[0].stopped and rig.leftovers() == []
    assert rig.client.names() == ["livegetfour"]


def test_cancel_during_upload_aborts_it(rig):
    rig.client.gate = threading.Event()
    flow = rig.make()
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: flow.step is Step.UPLOAD)
    flow.cancel()
    result = flow.wait(10)
    rig.client.gate.set()
    assert result.cancelled and rig.leftovers() == []


def test_cancel_during_recording_cancels_the_recorder(rig):
    rig_flow = rig.make(clip_seconds=10_000.0)
    rig_flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: rig_flow.step is Step.RECORD)
    rig_flow.cancel()
    assert rig_flow.wait(10).cancelled
    assert rig.captures[0].recordings[0].cancelled and rig.leftovers() == []


def test_a_camera_without_pictures_is_an_environment_error(rig):
    result = run(rig.make(frames=False), Details(Mode.IDCARD, ID, NAME))
    assert result.outcome == "error" and result.exit_code == 2
    assert "camera" in result.message_en and result.fix_en
    assert rig.captures[0].stopped and rig.leftovers() == []


def test_start_while_running_is_refused_and_retry_runs_again(rig):
    flow = rig.make(guidance=GuidancePolicy(auto_continue=False))
    assert flow.retry() is None  # nothing ran yet
    first = flow.start(Details(Mode.IDCARD, ID, NAME))
    assert first
    assert flow.start(Details(Mode.IDCARD, ID, NAME)) is None
    flow.cancel()
    assert flow.wait(10).cancelled
    flow2 = flow
    flow2.settings = flow.settings.__class__(guidance=GuidancePolicy.headless())
    second = flow2.retry()
    assert second and second != first
    assert flow2.wait(10).passed
    assert [f.seq for f in rig.listener.of(Finished)] == [first, second]
    assert all(ws.closed for ws in rig.workspaces) and rig.leftovers() == []


def test_a_failing_listener_does_not_leave_media(rig, tmp_path):
    def broken(event):
        raise RuntimeError("listener bug")

    flow = rig.make()
    flow.listener = broken
    assert flow.start(Details(Mode.IDCARD, ID, NAME))
    assert flow.wait(10).passed and rig.leftovers() == []


def test_audit_row_is_masked_and_timed(rig):
    run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    (rec,) = rig.audit
    assert rec.outcome == "pass" and rec.mode == "idcard" and rec.id_masked == "110105********002X"
    assert NAME not in repr(rec) and ID not in repr(rec)
    assert set(rec.durations) >= {"details", "code", "guide", "record", "upload"}
    assert rec.durations["countdown"] == pytest.approx(3.0, abs=0.2)


def test_details_repr_hides_the_person():
    text = repr(Details(Mode.IDCARD, ID, NAME, card=b"123"))
    assert ID not in text and NAME not in text and "110105" in text and "<3 bytes>" in text


def test_unreadable_card_file_is_an_input_error(rig, tmp_path):
    result = run(rig.make(), Details(Mode.CARD, card=Path(tmp_path) / "missing.jpg"))
    assert result.outcome == "error" and "cannot read the card photo" in result.message_en


def wait_for(cond, timeout: float = 10.0) -> bool:
    done = threading.Event()
    for _ in range(int(timeout * 1000)):
        if cond():
            return True
        done.wait(0.001)
    return cond()


def test_a_stale_code_gets_new_digits_and_one_more_recording(rig):
    # 21: the digits expired (minutes on the preview) or were used. The kiosk fetches new ones.
    rig.client.refuse_first = [21]
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.passed, result.text("en")
    assert rig.client.names() == ["livegetfour", "idcardlivedetectfour"] * 2
    assert len(rig.listener.of(CodeReceived)) == 2, "the person is shown the new digits"
    assert len(rig.workspaces) == 2 and all(ws.closed for ws in rig.workspaces)
    assert len(rig.captures) == 2 and rig.leftovers() == []


def test_a_second_stale_code_is_reported_as_it_is(rig):
    rig.client.refuse_first = [21, 21]
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.outcome == "refused" and result.code == 21
    assert rig.client.names().count("livegetfour") == 2, "new digits once, not again and again"
    assert rig.leftovers() == []


def test_other_refusals_are_not_retried(rig):
    rig.client.refuse_first = [-5011]
    result = run(rig.make(), Details(Mode.IDCARD, ID, NAME))
    assert result.outcome == "refused" and result.code == -5011
    assert rig.client.names().count("livegetfour") == 1


def test_at_a_counter_the_new_digits_need_no_second_ready(rig):
    # The person pressed "I'm ready" once; the new digits go straight to the countdown.
    rig.client.refuse_first = [21]
    flow = rig.make(guidance=GuidancePolicy(auto_continue=False, max_wait=30))
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: len(rig.listener.of(Guidance)) > 5)
    flow.ready()
    result = flow.wait(10)
    assert result is not None and result.passed, result and result.text("en")
    assert len(rig.listener.of(CodeReceived)) == 2 and rig.leftovers() == []
