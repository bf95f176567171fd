"""The window's logic against a scripted flow: every mode, refusals, cancel, idle reset, operator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.flow.events import Mode
from tests.gui.conftest import VALID_ID, VALID_NAME, MemorySettings, wait_ready

REPO = Path(__file__).resolve().parents[2]
CARD = REPO / "assets" / "card_photo.jpg"


def focused(w: Any, widget: Any) -> bool:
    """The window's focus widget (hasFocus() also needs an active window, which offscreen lacks)."""
    return w.focusWidget() is widget


def click(qtbot: Any, button: Any) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill_details(qtbot: Any, w: Any, mode: Mode) -> None:
    click(qtbot, w.welcome.start)
    assert w.current() == "details"
    if mode.needs_identity:
        qtbot.keyClicks(w.details.id_number, VALID_ID)
        w.details.name.setText(VALID_NAME)  # QtTest types ASCII only; Chinese comes from an IME
    if mode is Mode.CARD:
        assert w.details.go.isEnabled(), "without a file the camera films the card"
        assert w.load_photo(CARD)
    click(qtbot, w.details.go)
    assert w.current() == "consent", "the camera waits for consent"
    click(qtbot, w.consent.agree)


@pytest.mark.parametrize("mode", [Mode.IDCARD, Mode.CARD, Mode.PHOTO])
def test_each_mode_reaches_the_result(qtbot: Any, make_window: Any, mode: Mode) -> None:
    w = make_window(settings=MemorySettings(mode=mode.value))
    fill_details(qtbot, w, mode)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame())
    qtbot.waitUntil(w.capture.video.fits)
    if mode is Mode.PHOTO:
        click(qtbot, w.capture.take)
    else:
        wait_ready(qtbot, w)
        click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    started = w.flows[0].started[0]
    assert started.mode is mode
    assert (started.card is not None) == (mode is Mode.CARD)
    assert started.id_number == (VALID_ID if mode.needs_identity else "")
    assert w.result.verdict.text() == "核验通过"
    assert w.result.sim.text().startswith("92")
    assert w.result.frame.has_image()
    assert not w.result.again.isVisible()


def test_recording_screen_shows_digits_countdown_and_seconds_left(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    seen: dict[str, str] = {}

    def watch(event: Any) -> None:
        if w.current() == "capture" and w.capture.video.overlay():
            seen["overlay"] = w.capture.video.overlay()
        if w.capture.left.text():
            seen.setdefault("left", w.capture.left.text())
        seen["digits"] = w.capture.digits.text() or seen.get("digits", "")

    w.bridge.event.connect(watch)
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert seen["digits"] == "1 3 5 7"
    assert seen["overlay"] in {"1", "2", "3"}
    assert "秒" in seen["left"]


def test_the_digits_stay_hidden_until_the_recording_starts(qtbot: Any, make_window: Any) -> None:
    # People who see the digits during 3-2-1 read them before the recording starts (-5013).
    tones: list[str] = []
    w = make_window(tone=lambda: tones.append("tone"))
    during: dict[str, list[str]] = {"countdown": [], "recording": []}

    def watch(event: Any) -> None:
        if w.current() != "capture" or w.capture.phase() != 1:
            return
        key = "recording" if w.capture.rec_mark.isVisible() else "countdown"
        during[key].append(w.capture.digits.text() + "|" + w.capture.digits_note.text()
                           + "|" + str(len(tones)))

    w.bridge.event.connect(watch)
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert during["countdown"] and during["recording"]
    assert all(seen.startswith("• • • •|数字将在录制开始时出现|0") for seen in during["countdown"])
    assert all(seen == "1 3 5 7||1" for seen in during["recording"]), during["recording"]
    assert tones == ["tone"], "one tone, when the recording starts"


def test_the_tone_can_be_switched_off(qtbot: Any, make_window: Any) -> None:
    tones: list[str] = []
    w = make_window(tone=lambda: tones.append("tone"),
                    settings=MemorySettings(record_tone="off"))
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert tones == []


def test_blocked_check_explained_then_try_again(qtbot: Any, make_window: Any) -> None:
    w = make_window(outcome="blocked")
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "checks", timeout=5000)
    assert "声音太小" in w.checks.items.text()
    w.flows[0].outcome = "passed"
    click(qtbot, w.checks.again)
    qtbot.waitUntil(lambda: w.current() == "capture")
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert len(w.flows[0].started) == 2


def test_service_refusal_says_what_and_what_to_do(qtbot: Any, make_window: Any, languages: Any) -> None:
    w = make_window(outcome="refused")
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert w.result.verdict.text() == "核验未通过"
    assert w.result.customer.text() == "这次没能确认是您本人在镜头前。请正对镜头再试一次。"
    assert "-5011" in w.result.operator.text() and not w.result.operator.isVisible()
    assert w.result.again.isVisible()
    languages.switch("en")
    assert w.result.verdict.text() == "Not verified"
    assert w.result.customer.text().startswith("We could not confirm that you are in front")


def test_cancel_returns_to_welcome_with_nothing_kept(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame())
    click(qtbot, w.capture.cancel)
    assert w.current() == "welcome"
    flow = w.flows[0]
    qtbot.waitUntil(lambda: not flow.running)
    QApplication.processEvents()
    assert w.current() == "welcome", "the cancelled run's last events must not move the screen"
    assert not w.capture.video.has_frame()
    assert w.details.id_number.text() == "" and w.details.name.text() == ""


def test_start_again_right_after_cancel_waits_for_the_old_run(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    click(qtbot, w.capture.cancel)
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.video.has_frame())
    wait_ready(qtbot, w)
    click(qtbot, w.capture.go)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert len(w.flows[0].started) == 2


def test_idle_warns_then_clears_everything(qtbot: Any, make_window: Any, languages: Any) -> None:
    w = make_window(idle_ms=100, warn_ms=400)
    click(qtbot, w.welcome.en)
    assert w.welcome.start.text() == "Start"
    click(qtbot, w.welcome.start)
    qtbot.keyClicks(w.details.id_number, VALID_ID)
    qtbot.waitUntil(w.idle_warning.isVisible)
    assert "second" in w.idle_warning.text.text()
    qtbot.waitUntil(lambda: w.current() == "welcome", timeout=3000)
    assert not w.idle_warning.isVisible()
    assert w.details.id_number.text() == ""
    assert languages.lang == "zh" and w.welcome.start.text() == "开始"


def test_idle_warning_extends_with_one_action(qtbot: Any, make_window: Any) -> None:
    w = make_window(idle_ms=100, warn_ms=60_000)
    click(qtbot, w.welcome.start)
    qtbot.keyClicks(w.details.id_number, "1101")
    qtbot.waitUntil(w.idle_warning.isVisible)
    text = w.idle_warning.text
    assert text.height() >= text.heightForWidth(text.width()), "every line of the text shows"
    assert focused(w, w.idle_warning.go_on)
    qtbot.keyClick(w.idle_warning.go_on, Qt.Key.Key_Space)
    assert not w.idle_warning.isVisible()
    assert w.current() == "details" and w.details.id_number.text() == "1101"


def test_idle_default_gives_at_least_20_seconds() -> None:
    from kiosk.ui.idle import WARN_MS

    assert WARN_MS >= 20_000


def test_cancel_during_a_run_by_idle_reset(qtbot: Any, make_window: Any) -> None:
    w = make_window(idle_ms=100, warn_ms=200)
    fill_details(qtbot, w, Mode.IDCARD)
    qtbot.waitUntil(lambda: w.current() == "capture")
    qtbot.waitUntil(lambda: w.current() == "welcome", timeout=3000)
    qtbot.waitUntil(lambda: not w.flows[0].running)


def test_language_switch_on_welcome(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    assert w.welcome.title.text() == "身份核验"
    click(qtbot, w.welcome.en)
    assert w.welcome.title.text() == "Identity verification"
    assert w.banner.isHidden()
    click(qtbot, w.welcome.zh)
    assert w.welcome.start.text() == "开始"


def test_demo_banner(qtbot: Any, make_window: Any) -> None:
    w = make_window(demo=True)
    assert w.banner.isVisible() and "演示" in w.banner.text()


def test_operator_needs_the_pin_and_saves(qtbot: Any, make_window: Any) -> None:
    settings = MemorySettings(pin="2468")
    w = make_window(settings=settings)
    click(qtbot, w.welcome.operator)
    assert w.current() == "pin"
    qtbot.keyClicks(w.pin.pin, "1111")
    qtbot.keyClick(w.pin.pin, Qt.Key.Key_Return)
    assert w.current() == "pin" and w.pin.message.text()
    qtbot.keyClicks(w.pin.pin, "2468")
    qtbot.keyClick(w.pin.pin, Qt.Key.Key_Return)
    assert w.current() == "operator"
    w.operator.endpoint.setText("ftp://nowhere")
    click(qtbot, w.operator.save)
    assert "ftp://nowhere" in w.operator.form.rows["endpoint"].note.text()  # refused under the field
    assert settings.data["endpoint"] == "http://127.0.0.1:1"
    w.operator.endpoint.setText("https://example.test")
    w.operator.mode.setCurrentIndex(w.operator.mode.findData("card"))
    click(qtbot, w.operator.save)
    assert settings.data["mode"] == "card" and settings.data["endpoint"] == "https://example.test"
    click(qtbot, w.operator.back)
    assert w.current() == "welcome"
    assert w.welcome.mode_label.text() == "视频与证件照片比对"


def test_pin_locks_after_five_wrong(qtbot: Any, make_window: Any) -> None:
    now = [1000.0]
    w = make_window(settings=MemorySettings(pin="2468"), clock=lambda: now[0])
    w.open_operator()
    for _ in range(5):
        w.pin.pin.setText("0000")
        w.pin.submit()
    w.pin.pin.setText("2468")
    w.pin.submit()
    assert w.current() == "pin", "locked: even the right PIN waits"
    now[0] += 61
    w.pin.pin.setText("2468")
    w.pin.submit()
    assert w.current() == "operator"


def test_kiosk_mode_cannot_be_left_without_the_pin(qtbot: Any, make_window: Any, monkeypatch: Any) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    w = make_window(settings=MemorySettings(pin="2468"), kiosk=True)
    w.close()
    assert w.isVisible()
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert w.isVisible()
    w.open_operator()
    w.pin.pin.setText("2468")
    w.pin.submit()
    assert w.operator.quit.isVisible()
    click(qtbot, w.operator.quit)
    assert quits and not w.isVisible()


def test_keyboard_only_session(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    w.welcome.start.setFocus()
    qtbot.keyClick(w.welcome.start, Qt.Key.Key_Space)
    assert w.current() == "details" and focused(w, w.details.id_number)
    qtbot.keyClicks(w.details.id_number, VALID_ID)
    qtbot.keyClick(w.details.id_number, Qt.Key.Key_Return)
    assert focused(w, w.details.name)
    w.details.name.setText(VALID_NAME)
    qtbot.keyClick(w.details.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.current() == "consent" and focused(w, w.consent.agree))
    qtbot.keyClick(w.consent.agree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.current() == "capture" and focused(w, w.capture.go))
    qtbot.keyClick(w.capture.go, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.current() == "result", timeout=5000)
    assert focused(w, w.result.finish)
    qtbot.keyClick(w.result.finish, Qt.Key.Key_Return)
    assert w.current() == "welcome"
