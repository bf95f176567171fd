"""The liveness-only mode and the run's id in the window (issue 18), on the real flow and emulator.

A liveness-only check has nobody to enter: Start goes straight to consent, and the result says a
live person was confirmed, with no similarity or comparison line. A photo run's id goes to the
service as its session_id, which the service echoes: the reference on the screen is its start.
"""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.flow.events import Mode
from kiosk.ui.screens.operator import OperatorPanel
from kiosk.ui.screens.result import ResultScreen, ResultView, Status
from tests.gui.conftest import SESSION_MS, assert_workspace_gone, wait_ready
from tests.gui.test_gui_window import click, fill_details


@pytest.mark.slow
def test_liveness_only_skips_the_details_and_says_live_person(qtbot: Any,
                                                               real_window: Any) -> None:
    w = real_window(Mode.LIVE)
    shown: list[str] = []
    w.screen_changed.connect(shown.append)
    click(qtbot, w.welcome.start)
    assert w.current() == "consent", "nothing to enter: straight to consent"
    click(qtbot, w.consent.agree)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame(),
                    timeout=20_000)
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=SESSION_MS)
    assert "details" not in shown
    r = w.last_result
    assert r is not None and r.passed and r.mode is Mode.LIVE, r.text("en")
    # The emulator answered the liveness-only call: no comparison was asked for, none came back.
    assert (r.similarity, r.compare_status, r.live_status) == (None, None, 0)
    assert w.result.verdict.text() == w.result.tr("Live person confirmed")
    assert w.result.verdict.text() not in ("核验通过", "Verified")
    assert w.result.customer.text() == "已确认为真人，谢谢。"
    assert f"{r.seq[:8]}" in w.result.clerk.text()
    w.result.reveal()
    assert w.result.live.isVisibleTo(w.result)
    assert not w.result.sim.isVisibleTo(w.result) and not w.result.cmp.isVisibleTo(w.result)
    assert_workspace_gone(w)


@pytest.mark.slow
def test_a_photo_run_sends_its_reference_as_the_session_id(qtbot: Any, real_window: Any) -> None:
    w = real_window(Mode.PHOTO)
    fill_details(qtbot, w, Mode.PHOTO)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame(),
                    timeout=20_000)
    click(qtbot, w.capture.take)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=SESSION_MS)
    r = w.last_result
    assert r is not None and r.passed, r.text("en")
    assert r.session_id == r.seq and len(r.seq) == 32  # the emulator echoes what it was sent
    assert r.seq[:8] in w.result.clerk.text()


def view(**kw: Any) -> ResultView:
    base: dict[str, Any] = dict(verdict="verified", customer_zh="已确认为真人，谢谢。",
                                customer_en="You are confirmed as a live person. Thank you.",
                                live=Status(0, "OK", "OK"), reference="0123abcd")
    base.update(kw)
    return ResultView(**base)


def test_the_result_of_a_liveness_check_has_no_similarity_or_comparison(qtbot: Any) -> None:
    screen = ResultScreen()
    qtbot.addWidget(screen)
    screen.show_result(view(compares=False))
    screen.reveal()
    assert screen.verdict.text() == screen.tr("Live person confirmed")
    assert screen.live.isVisibleTo(screen) and screen.live.text() == screen.tr("passed")
    for row in (screen.sim_name, screen.sim, screen.cmp_name, screen.cmp):
        assert not row.isVisibleTo(screen)
    screen.show_result(view(verdict="not_verified", compares=False,
                            live=Status(-5009, "视频人脸检测失败", "no face")))
    assert screen.verdict.text() == screen.tr("Liveness not confirmed")
    assert screen.verdict.property("role") == "verdict-fail"
    screen.show_result(view(similarity=91.0, compare=Status(0, "", "")))  # a comparing mode
    screen.reveal()
    assert screen.verdict.text() == screen.tr("Verified")
    assert screen.sim.isVisibleTo(screen) and screen.cmp.isVisibleTo(screen)


def test_the_operator_can_choose_the_liveness_only_mode(qtbot: Any) -> None:
    panel = OperatorPanel()
    qtbot.addWidget(panel)
    panel.load({"mode": "live"}, [], [])
    assert panel.mode.currentData() == "live"
    assert panel.mode.currentText() == panel.tr("Video, liveness only (no identity compared)")
