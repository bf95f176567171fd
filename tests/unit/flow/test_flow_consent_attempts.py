"""Consent and the attempt limit in the flow: no capture without consent, no try past the limit."""

from __future__ import annotations

from typing import Any

from kiosk.config.attempts import AttemptLimit
from kiosk.flow import Details, Flow, FlowSettings, GuidancePolicy, Mode
from kiosk.flow.audiences import tell
from tests.unit.flow.fakes import FakeWait, live_reply

ID, NAME = "11010519491231002X", "王芳"


def _flow(rig: Any, attempts: AttemptLimit | None) -> Flow:
    s = FlowSettings(guidance=GuidancePolicy.headless())
    return Flow(rig.client, lambda: _capture(rig), lambda: _workspace(rig), s, rig.listener,
                checks_factory=lambda: rig.checks, audit=rig.audit, attempts=attempts,
                clock=rig.clock, wait=FakeWait(rig.clock))


def _capture(rig: Any) -> Any:
    from tests.unit.flow.fakes import FakeCapture

    cap = FakeCapture(rig.clock, frames=True)
    rig.captures.append(cap)
    return cap


def _workspace(rig: Any) -> Any:
    from tests.unit.flow.fakes import FakeWorkspace

    ws = FakeWorkspace(rig.root)
    rig.workspaces.append(ws)
    return ws


def _run(flow: Flow, details: Details) -> Any:
    assert flow.start(details)
    result = flow.wait(10)
    assert result is not None
    return result


def test_a_declined_consent_captures_nothing_and_is_recorded(rig: Any) -> None:
    flow = _flow(rig, None)
    result = _run(flow, Details(Mode.IDCARD, ID, NAME, consent="no", notice="bank-7"))
    assert result.outcome == "declined" and rig.captures == [] and rig.client.calls == []
    (row,) = rig.audit
    assert (row.outcome, row.consent, row.notice) == ("declined", "no", "bank-7")
    assert "counter" in tell(result).customer_en and not tell(result).retry


def test_consent_and_its_notice_go_into_the_row_of_a_verification(rig: Any) -> None:
    _run(_flow(rig, None), Details(Mode.IDCARD, ID, NAME, consent="guardian", notice="v2"))
    (row,) = rig.audit
    assert (row.outcome, row.consent, row.notice) == ("pass", "guardian", "v2")


def test_the_third_no_locks_the_person_out_and_the_fourth_try_captures_nothing(
        rig: Any, tmp_path: Any) -> None:
    attempts = AttemptLimit(tmp_path / "a.sqlite3", tmp_path / "a.key", limit=3)
    rig.client.reply = live_reply(40)  # below the threshold: not verified
    flow = _flow(rig, attempts)
    details = Details(Mode.IDCARD, ID, NAME, consent="yes")
    first, second, third = (_run(flow, details) for _ in range(3))
    assert [r.outcome for r in (first, second, third)] == ["failed"] * 3
    assert not first.locked and tell(first).retry
    assert third.locked and not tell(third).retry and "counter" in tell(third).customer_en
    captures = len(rig.captures)
    fourth = _run(flow, details)
    assert fourth.outcome == "limited" and len(rig.captures) == captures, "no camera opened"
    assert [r.outcome for r in rig.audit] == ["fail", "fail", "fail", "limited"]
    assert rig.audit[-1].id_masked == "110105********002X"
    # Another person is not affected; a reset lets this one try again.
    other = _run(flow, Details(Mode.IDCARD, "110105194912310021", NAME, consent="yes"))
    assert other.outcome == "failed"
    attempts.reset(ID)
    assert _run(flow, details).outcome == "failed"


def test_could_not_check_and_verified_results_do_not_count(rig: Any, tmp_path: Any) -> None:
    attempts = AttemptLimit(tmp_path / "a.sqlite3", tmp_path / "a.key", limit=1)
    flow = _flow(rig, attempts)
    details = Details(Mode.IDCARD, ID, NAME)
    rig.client.refuse = -5802  # the service is down: no verdict
    down = _run(flow, details)
    assert (down.outcome, down.exit_code, down.cause) == ("error", 2, "service")
    rig.client.refuse = None
    assert _run(flow, details).outcome == "passed"
    assert attempts.check(ID) is None


def test_card_mode_counts_by_the_card_photo(rig: Any, tmp_path: Any) -> None:
    attempts = AttemptLimit(tmp_path / "a.sqlite3", tmp_path / "a.key", limit=1)
    rig.client.reply = live_reply(40)
    flow = _flow(rig, attempts)
    card = b"\xff\xd8 a card photo"
    assert _run(flow, Details(Mode.CARD, card=card)).locked
    assert _run(flow, Details(Mode.CARD, card=card)).outcome == "limited"
    assert _run(flow, Details(Mode.CARD, card=card + b"other")).outcome == "failed"


def test_close_closes_the_client_only_when_the_flow_owns_it(rig: Any) -> None:
    # The GUI makes one client per flow and replaces flows: each must close its HTTP session.
    s = FlowSettings(guidance=GuidancePolicy.headless())
    owned = Flow(rig.client, lambda: _capture(rig), lambda: _workspace(rig), s, rig.listener,
                 checks_factory=lambda: rig.checks, clock=rig.clock, wait=FakeWait(rig.clock),
                 owns_client=True)
    _run(owned, Details(Mode.IDCARD, ID, NAME))
    owned.close()
    assert rig.client.closed
    rig.client.closed = False
    lent = Flow(rig.client, lambda: _capture(rig), lambda: _workspace(rig), s, rig.listener,
                checks_factory=lambda: rig.checks, clock=rig.clock, wait=FakeWait(rig.clock))
    lent.close()
    assert not rig.client.closed, "a client lent by the caller (kiosk demo) is the caller's to close"
