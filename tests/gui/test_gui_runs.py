"""The window follows one run by its id: a run it left never moves the screens, and never holds
the next person (issue 15: after an idle reset during a slow reply, Submit seemed dead for 60 s)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.flow import Flow, FlowSettings, GuidancePolicy
from kiosk.flow.events import Finished, Mode, Result, Step, StepChanged
from tests.gui.conftest import FixedDevices, MemorySettings, wait_ready
from tests.gui.test_gui_window import click, fill_details
from tests.unit.flow.fakes import FakeCapture, FakeChecks, FakeClock, FakeWait, FakeWorkspace
from tests.unit.flow.test_flow_inbox import HangingClient


def real_flow_window(qtbot: Any, languages: Any, tmp_path: Path, client: HangingClient) -> Any:
    """A window on the real Flow with fake parts in fake time (the preview runs at full speed)."""
    from kiosk.ui.window import MainWindow

    clock = FakeClock()
    settings = FlowSettings(guidance=GuidancePolicy.headless(), countdown_seconds=1,
                            clip_seconds=1.0)

    def factory(listener: Any) -> Flow:
        return Flow(client, lambda: FakeCapture(clock), lambda: FakeWorkspace(tmp_path),
                    settings, listener, checks_factory=FakeChecks, clock=clock,
                    wait=FakeWait(clock))

    w = MainWindow(flow_factory=factory, settings=MemorySettings(), devices=FixedDevices(),
                   languages=languages)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.mark.timing
def test_after_an_idle_reset_during_a_slow_reply_the_next_submit_goes_on_at_once(
        qtbot: Any, languages: Any, tmp_path: Path) -> None:
    # The reply never comes and abort() does not reach its connection (the worst case).
    client = HangingClient({"idcardlivedetectfour"}, deaf=True)
    w = real_flow_window(qtbot, languages, tmp_path, client)
    try:
        fill_details(qtbot, w, Mode.IDCARD)
        assert client.waiting.wait(10), "the upload never waited for its reply"
        qtbot.waitUntil(lambda: w.current() == "busy")
        w.idle.expired.emit()  # the idle reset
        assert w.current() == "welcome"
        assert w.flow().running, "the run left is still ending when the next person comes"
        client.hang = set()  # the next person's reply comes
        started = time.monotonic()
        fill_details(qtbot, w, Mode.IDCARD)
        assert w.current() == "busy", "Submit must answer at once, even while the run left ends"
        qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
        assert time.monotonic() - started < 3.0
        assert w.last_result is not None and w.last_result.passed
        assert list(tmp_path.iterdir()) == []
    finally:
        client.cut.set()
        w.shutdown()


def test_a_left_runs_late_events_never_move_the_screens(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    left = w.runs.run
    click(qtbot, w.capture.cancel)
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.runs.run not in (None, left))
    passed = Result("passed", Mode.IDCARD, "核验通过", "verified", similarity=99.0, exit_code=0)
    for late in (StepChanged(Step.UPLOAD, Step.CHECKS, seq=left), Finished(passed, seq=left)):
        w.on_event(late)  # as if queued behind the new run's first events
    assert w.current() == "capture" and w.last_result is None
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert w.last_result is not None and w.last_result.similarity == 92.0
