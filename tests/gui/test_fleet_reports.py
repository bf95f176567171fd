"""The window tells the fleet's heartbeat of a session that could not check (kiosk.cli.gui wires it)."""

from __future__ import annotations

from typing import Any

from kiosk.flow.events import Finished, Mode, Result
from kiosk.ui.app import report_failures


def test_a_session_that_could_not_check_is_reported_with_its_cause(make_window: Any) -> None:
    w = make_window()
    got: list[tuple[str, str]] = []
    report_failures(w, lambda cause, text: got.append((cause, text)))
    lost = Result("error", Mode.PHOTO, "摄像头停止输出画面", "the camera stopped sending pictures",
                  exit_code=2, cause="device")
    w.on_event(Finished(lost, seq="run-1"))
    w.on_event(Finished(Result("passed", Mode.PHOTO, "通过", "passed", exit_code=0), seq="run-2"))
    assert got == [("device", "the camera stopped sending pictures")]
