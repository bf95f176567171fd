"""The flow's Guidance carries the voice test: silent until a voice passes, then passed for good."""

from __future__ import annotations

import threading
from typing import Any

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
