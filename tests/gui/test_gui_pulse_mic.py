"""The real window recording through a real sound server (tests.support.pulse): the sample person's
voice played into a private PulseAudio server's sinks, the microphone one of their monitors.

A whole session passes against the emulator with ``mic = default``; a microphone removed while
recording ends the session as "could not check" (the customer asked to wait, the clerk told which
microphone, the audit row 'error', nothing kept); one removed in the preview is said on the guide
panel at once. Each test removes a different sink, so their order does not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.config import AuditLog
from kiosk.flow import messages as flow_messages
from kiosk.flow.events import Mode
from kiosk.ui.session import sample_spec
from kiosk.ui.window import MainWindow
from tests.gui.conftest import SESSION_MS, assert_workspace_gone, wait_ready
from tests.gui.test_gui_real import run_to_end
from tests.gui.test_gui_window import click, fill_details
from tests.support.pulse import PulseServer, server_fixture, speech_wav

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    """A server of this module's own (its sinks are removed here), playing the sample voice."""
    for server in server_fixture(tmp_path_factory):  # type: ignore[attr-defined]
        server.play(f"wav {speech_wav(tmp_path_factory.mktemp('voice'))}")
        yield server


def window(real_window: Any, mic: str) -> MainWindow:
    """The window on the real flow: the sample clip's pictures, the sound from ``mic``."""
    return real_window(Mode.IDCARD, camera=sample_spec(), mic=mic)  # type: ignore[no-any-return]


def to_preview(qtbot: Any, w: MainWindow) -> None:
    """Details and consent, then the preview with the voice test listening."""
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.voice_note.isVisible(),
                    timeout=20_000)


def audit_outcomes(w: MainWindow) -> list[str]:
    return [row.outcome for row in AuditLog(w.paths.audit_db).rows()]  # type: ignore[attr-defined]


def test_a_session_through_the_default_microphone_is_verified(
        qtbot: Any, real_window: Any, pulse: PulseServer) -> None:
    w = window(real_window, "default")
    run_to_end(qtbot, w, Mode.IDCARD)  # Ready needs the voice test passed: the server's sound
    r = w.last_result
    assert r is not None and r.passed, r.text("en") if r else None
    assert w.result.verdict.text() == "核验通过"
    assert not w.result.device.isVisible()
    assert audit_outcomes(w) == ["pass"]
    assert_workspace_gone(w)


def test_a_microphone_removed_while_recording_is_could_not_check_naming_it(
        qtbot: Any, real_window: Any, pulse: PulseServer) -> None:
    w = window(real_window, "pulse:kiosk_mono.monitor")
    to_preview(qtbot, w)
    wait_ready(qtbot, w, 20_000)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(w.capture.rec_mark.isVisible, timeout=20_000)
    pulse.unload_sink("kiosk_mono")
    qtbot.waitUntil(lambda: w.current() == "result", timeout=SESSION_MS)
    r = w.last_result
    assert r is not None and r.outcome == "error" and r.cause == "device", r
    assert w.result.verdict.text() == "未能完成核验"
    assert w.result.customer.text() == flow_messages.DEVICE_WAIT.zh  # plain words: wait for staff
    assert w.result.device.isVisible() and "Kiosk_48k_Mono" in w.result.device.text()
    assert "移除" in w.result.device.text()  # how it failed, in the clerk's language
    assert not w.result.again.isVisible(), "trying again cannot help: staff must"
    assert audit_outcomes(w) == ["error"], "a device failure is never a failed check"
    assert_workspace_gone(w)


def test_a_microphone_removed_in_the_preview_is_said_on_the_guide_panel(
        qtbot: Any, real_window: Any, pulse: PulseServer) -> None:
    w = window(real_window, "pulse:kiosk_44k.monitor")
    to_preview(qtbot, w)
    pulse.unload_sink("kiosk_44k")
    capture = w.capture
    qtbot.waitUntil(capture.mic_staff.isVisible, timeout=5_000)
    assert "Kiosk_44k_Stereo" in capture.mic_staff.text()
    assert capture.guide_title.text() == capture.tr(
        "The microphone is not working. Please wait: staff will help you.")
    assert capture.voice_note.text() == capture.tr("✗ The microphone has stopped working")
    assert not capture.go.isEnabled() and not capture.skip_voice.isVisible()
    painted = capture.video.frames_painted
    qtbot.wait(300)
    assert w.current() == "capture" and w._flow is not None and w._flow.running
    assert capture.video.frames_painted > painted, "the camera's preview goes on"
    click(qtbot, capture.cancel)  # staff take over
    qtbot.waitUntil(lambda: not w._flow.running, timeout=10_000)  # type: ignore[union-attr]
    assert audit_outcomes(w) == ["cancelled"]
    assert_workspace_gone(w)

