"""The flow's Guidance carries the voice test: silent until a voice passes, then passed for good."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from kiosk.flow import Details, Guidance, GuidancePolicy, Mode, Step
from kiosk.flow.voice import JUDGE_HZ
from tests.support.voices import pink, speech, track

ID, NAME = "11010519491231002X", "王芳"
COUNTER = GuidancePolicy(auto_continue=False)


def wait_for(cond: Any, timeout: float = 10.0) -> bool:
    done = threading.Event()
    while not done.wait(0.002):
        if cond():
            return True
        timeout -= 0.002
        if timeout <= 0:
            return False
    return True


def guide(rig: Any) -> list[Guidance]:
    return [g for g in rig.listener.of(Guidance) if g.voice_test]


def test_a_greeting_passes_the_test_and_it_stays_passed_after_the_voice_stops(rig: Any) -> None:
    # Capture starts, the code arrives, then GUIDE: "你好" 3 s in, then 9 s of silence.
    flow = rig.make(guidance=COUNTER, sound=track(12.0, (3.0, speech(-22.0))))
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: any(g.waited > 10 for g in guide(rig)))
    seen = guide(rig)
    states = [g.voice_test for g in seen]
    first = states.index("passed")
    assert set(states[:first]) == {"silent"} and set(states[first:]) == {"passed"}
    heard_at = seen[first].waited
    assert 3.0 < heard_at < 4.5, "heard within a second or so of the greeting"
    before = [g.voice_waited for g in seen[:first]]
    assert before == sorted(before) and before[-1] > 3.0, "seconds without a voice, growing"
    assert {round(g.voice_waited, 6) for g in seen[first:]} == {round(seen[first].voice_waited, 6)}
    flow.ready()
    assert flow.wait(10).passed
    every = rig.listener.of(Guidance)
    after = every[max(i for i, g in enumerate(every) if g.voice_test) + 1:]
    assert after and {g.voice_test for g in after} == {""}, "no test in countdown and recording"


def test_a_silent_microphone_never_passes_and_the_seconds_go_on(rig: Any) -> None:
    flow = rig.make(guidance=COUNTER)
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: any(g.voice_waited > 10.5 for g in guide(rig)))
    assert {g.voice_test for g in guide(rig)} == {"silent"}
    flow.ready()  # the staff skipped the test: the flow goes on
    assert flow.wait(10).passed


def test_loud_noise_is_too_noisy_and_never_passes(rig: Any) -> None:
    flow = rig.make(guidance=COUNTER, sound=pink(12.0, -25.0))
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: any(g.waited > 6 for g in guide(rig)))
    assert {g.voice_test for g in guide(rig) if g.waited > 1.0} == {"noisy"}  # a window of noise
    flow.cancel()
    assert flow.wait(10).cancelled


def test_the_judge_runs_a_few_times_a_second_not_on_every_picture(rig: Any, monkeypatch: Any) -> None:
    from kiosk.flow import voice

    calls: list[int] = []
    real = voice.judge_voice
    monkeypatch.setattr(voice, "judge_voice", lambda s, r: calls.append(1) or real(s, r))
    flow = rig.make(guidance=COUNTER)
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: any(g.waited > 5 for g in guide(rig)))
    flow.cancel()
    flow.wait(10)
    seconds = max(g.waited for g in guide(rig))
    assert len(calls) <= JUDGE_HZ * seconds + 2 < len(guide(rig))


def test_photo_mode_has_no_voice_test(rig: Any) -> None:
    flow = rig.make(guidance=GuidancePolicy.headless(max_wait=2.0))
    flow.start(Details(Mode.PHOTO, ID, NAME))
    assert flow.wait(10) is not None
    assert rig.listener.of(Guidance) and guide(rig) == []


def test_the_headless_policy_does_not_wait_for_a_voice(rig: Any) -> None:
    flow = rig.make()  # auto-continue once the face is placed, the microphone silent
    result = flow.start(Details(Mode.IDCARD, ID, NAME)) and flow.wait(10)
    assert result and result.passed
    assert result.durations[Step.GUIDE] < 1.0


# ---- a microphone that fails in the preview -----------------------------------------------------


def test_a_microphone_lost_in_the_preview_is_shown_and_the_run_ends_with_it_after_guide(
        rig: Any) -> None:
    flow = rig.make(guidance=COUNTER, mic_gone=2.0)
    flow.start(Details(Mode.IDCARD, ID, NAME))
    assert wait_for(lambda: any(g.waited > 6 for g in guide(rig)))  # still running, 4 s after
    seen = guide(rig)
    states = [g.voice_test for g in seen]
    assert "failed" in states and set(states[states.index("failed"):]) == {"failed"}
    failed = seen[states.index("failed"):]
    assert 2.0 <= failed[0].waited < 2.5, "shown at the next picture"
    assert "USB Microphone" in failed[0].mic_fault_en and "USB Microphone" in failed[0].mic_fault_zh
    assert {g.level_dbfs for g in failed} == {-100.0}, "the meter shows no sound, not the last"
    assert all(g.mic_fault_en == "" for g in seen if g.voice_test != "failed")
    flow.ready()  # whoever pressed it: the run cannot record without its microphone
    result = flow.wait(10)
    assert result.outcome == "error" and result.cause == "device", result
    assert "USB Microphone" in result.message_en
    assert rig.captures[0].recordings == [] and rig.captures[0].stopped
    assert rig.leftovers() == [], "the workspace is deleted"
    assert rig.audit[-1].outcome == "error"


def test_a_microphone_lost_in_the_preview_ends_a_counter_run_at_the_guidance_cap(rig: Any) -> None:
    flow = rig.make(guidance=GuidancePolicy(auto_continue=False, max_wait=5.0), mic_gone=1.0)
    flow.start(Details(Mode.IDCARD, ID, NAME))
    result = flow.wait(10)
    assert result.outcome == "error" and result.cause == "device", "not 'nobody started'"
    assert "USB Microphone" in result.message_en


@pytest.mark.parametrize("mic_gone", [0.1, 5.0], ids=["in the preview", "while recording"])
def test_headless_a_lost_microphone_ends_the_run_at_once(rig: Any, mic_gone: float) -> None:
    flow = rig.make(mic_gone=mic_gone)  # auto-continue: nobody would see the guide panel
    flow.start(Details(Mode.IDCARD, ID, NAME))
    result = flow.wait(10)
    assert result.outcome == "error" and "USB Microphone" in result.message_en
    assert not [g for g in rig.listener.of(Guidance) if g.voice_test == "failed"]
    recordings = rig.captures[0].recordings
    assert (recordings == []) if mic_gone < 1 else (len(recordings) == 1 and recordings[0].cancelled)
    assert rig.leftovers() == []
