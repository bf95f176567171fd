"""Capture.notify: called after each new frame and after a failure, so a reader need not poll."""

from __future__ import annotations

import threading

from kiosk.media import Capture, MicrophoneLost
from tests.unit.media.fakes import CueAudio, CueVideo


def test_notify_comes_with_each_new_frame() -> None:
    seen: list[object] = []
    enough = threading.Event()
    cap = Capture(CueVideo())

    def notify() -> None:
        seen.append(cap.latest_frame())
        if len(seen) >= 5:
            enough.set()

    cap.notify = notify
    with cap:
        assert enough.wait(5)
    frames = seen[:5]
    assert all(f is not None for f in frames) and len({id(f) for f in frames}) == 5


def test_notify_comes_with_a_failure_and_error_says_which() -> None:
    failed = threading.Event()
    cap = Capture(CueVideo(), CueAudio(fail_at=5, error=MicrophoneLost("cue", 2.0)))
    cap.notify = lambda: failed.set() if cap.error is not None else None
    with cap:
        assert failed.wait(5)
    assert isinstance(cap.error, MicrophoneLost)
