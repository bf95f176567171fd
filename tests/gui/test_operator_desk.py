"""The operator desk: every setting from the schema, checked and saved; the self-test; the way out."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit

from kiosk.config import Paths, SecretStore, Settings, doctor, schema, verify_pin
from kiosk.flow.events import Mode
from kiosk.resources import sample_clip_spec
from kiosk.ui.screens.desk_settings import LEFT_OUT, SECTIONS, DeskSettings, current_values
from kiosk.ui.self_test import SelfTest, doctor_groups
from kiosk.ui.settings import StoredSettings
from tests.gui.conftest import MemorySettings


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def stored_settings(tmp_path: Path) -> tuple[Settings, Paths]:
    paths = Paths.under(tmp_path / "kiosk")
    secrets = SecretStore(paths.secret_file, backend=keyring.backends.fail.Keyring(),
                          warn=lambda en, zh: None)
    return Settings(paths, env={}, secrets=secrets), paths


def test_every_declared_setting_has_one_row_or_a_reason(qapp: Any) -> None:
    keys = [k for _, section in SECTIONS for k in section]
    assert len(keys) == len(set(keys)), "a setting on two pages"
    declared = {s.key for s in schema.SETTINGS}
    assert set(keys) == declared, f"no row: {declared - set(keys)}; unknown: {set(keys) - declared}"
    assert all(k not in declared for k in LEFT_OUT) and all(LEFT_OUT.values())
    form = DeskSettings(lambda: "en")  # it owns the pages, and so the widgets
    rows = form.rows
    kinds = {k: type(r.widget) for k, r in rows.items()}
    assert kinds["show_score"] is QCheckBox and kinds["language"] is QComboBox
    assert kinds["secret_key"] is QLineEdit and rows["secret_key"].widget.echoMode() == QLineEdit.EchoMode.Password
    assert "0-100" in rows["threshold"].note.text() and "10-3600" in rows["idle_timeout"].note.text()


def test_the_stored_values_load_without_a_change_to_save(qtbot: Any, tmp_path: Path) -> None:
    settings, _ = stored_settings(tmp_path)
    settings.update({"threshold": "72.5", "mode": "card", "record_tone": "off", "camera": "file:/x.mp4"})
    form = DeskSettings(lambda: "zh")
    form.load(current_values(StoredSettings(settings)), ["USB Camera"], ["default"])
    assert form.changes() == ({}, [])
    assert form.rows["camera"].text() == "file:/x.mp4" and form.rows["record_tone"].text() == "off"


def test_each_page_shows_its_rows_and_the_self_test_needs_a_runner(qtbot: Any, make_window: Any) -> None:
    w = make_window()
    w.open_operator()
    assert w.current() == "operator" and not w.operator.nav["self-test"].isVisible()
    for name, keys in SECTIONS:
        click(qtbot, w.operator.nav[name])
        assert w.operator.page() == name
        assert all(w.operator.form.rows[k].widget.isVisible() for k in keys)
        assert all(w.operator.form.rows[k].widget.accessibleName() for k in keys)
        assert w.operator.save.isVisible()


def test_a_refused_value_is_marked_and_not_saved_while_the_valid_ones_are(
        qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    settings, _ = stored_settings(tmp_path)
    w = make_window(settings=StoredSettings(settings), default_lang="zh")
    w.open_operator()
    rows = w.operator.form.rows
    rows["endpoint"].widget.setText("ftp://nowhere")
    rows["threshold"].widget.setText("80")
    rows["idle_timeout"].widget.setText("120")
    rows["attempt_limit"].widget.setText("99")  # above its range (0-20): refused, as the URL
    rows["language"].widget.setCurrentIndex(rows["language"].widget.findData("en"))
    rows["show_score"].widget.setChecked(True)
    click(qtbot, w.operator.nav["kiosk"])
    click(qtbot, w.operator.save)
    assert w.operator.page() == "service", "the refused value is brought into sight"
    note = rows["endpoint"].note.text()
    assert "ftp://nowhere" in note and "无效" in note and rows["endpoint"].note.isVisible()
    assert "20" in rows["attempt_limit"].note.text()
    fresh = Settings(settings.paths, env={})
    assert fresh.get("endpoint") == schema.BY_KEY["endpoint"].default
    assert fresh.get("threshold") == 80.0 and fresh.get("language") == "en"
    assert fresh.get("idle_timeout") == 120 and fresh.get("show_score") == "on"
    assert fresh.get("attempt_limit") == 3
    assert w.idle.idle_ms == 120_000 and w.default_lang == "en", "the window follows at once"
    assert w.operator.message.text()  # saved, except the marked value
    rows["endpoint"].widget.setText("https://example.test")
    rows["attempt_limit"].widget.setText("5")
    click(qtbot, w.operator.save)
    assert Settings(settings.paths, env={}).get("endpoint") == "https://example.test"
    assert "ftp" not in rows["endpoint"].note.text(), "the mark goes once the value is good"
    click(qtbot, w.operator.back)
    assert w.current() == "welcome" and w.lang() == "en"


def test_secrets_are_write_only_and_the_pin_changes(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    settings, _ = stored_settings(tmp_path)
    settings.update({"operator_pin": "2468", "secret_key": "OldSecret123"})
    w = make_window(settings=StoredSettings(settings))
    w.open_operator()
    qtbot.keyClicks(w.pin.pin, "2468")
    qtbot.keyClick(w.pin.pin, Qt.Key.Key_Return)
    key, pin = w.operator.form.rows["secret_key"].widget, w.operator.form.rows["operator_pin"].widget
    assert key.text() == "" and "OldSecret123" not in key.placeholderText()
    click(qtbot, w.operator.save)  # nothing typed: neither is touched
    assert settings.get("secret_key") == "OldSecret123" and verify_pin("2468", settings.get("operator_pin"))
    key.setText("NewSecret456")
    pin.setText("13579")
    click(qtbot, w.operator.save)
    fresh = Settings(settings.paths, env={}, secrets=settings.secrets)
    assert fresh.get("secret_key") == "NewSecret456" and verify_pin("13579", fresh.get("operator_pin"))
    assert key.text() == "" and pin.text() == "", "typed secrets leave the screen once stored"
    pin.setText("12")  # too short: refused, the PIN stays
    click(qtbot, w.operator.save)
    assert "4" in w.operator.form.rows["operator_pin"].note.text()
    assert verify_pin("13579", Settings(settings.paths, env={}).get("operator_pin"))


def test_a_failed_check_shows_its_fix(qtbot: Any, make_window: Any) -> None:
    runner = SelfTest(lambda: [("ffmpeg", lambda: doctor.check_ffmpeg(find=lambda: "")),
                               ("display", lambda: doctor.check_display({}, "linux"))])
    w = make_window(self_test=runner)
    w.open_operator()
    click(qtbot, w.operator.nav["self-test"])
    page = w.operator.self_test
    qtbot.waitUntil(lambda: not page.running(), timeout=10_000)
    assert [(c.name, c.status) for c in page.checks()] == [("ffmpeg", doctor.FAIL), ("display", doctor.WARN)]
    detail = page.findChild(type(w.operator.message), "detail-0").text()
    assert "ffmpeg" in detail and "apt-get install ffmpeg" in detail, detail
    assert not w.operator.save.isVisible()
    click(qtbot, page.run_again)  # a second run replaces the first
    qtbot.waitUntil(lambda: not page.running(), timeout=10_000)
    assert len(page.checks()) == 2


@pytest.mark.slow
def test_the_self_test_runs_the_doctors_checks_against_the_demo_emulator(
        qtbot: Any, real_window: Any, tmp_path: Path, demo_service: Any) -> None:
    paths = Paths.under(tmp_path / "kiosk")
    clip = sample_clip_spec()
    runner = SelfTest(doctor_groups(paths, camera=lambda: clip, mic=lambda: clip,
                                    connection=demo_service.connection))
    w = real_window(Mode.IDCARD, self_test=runner)
    w.open_operator()
    click(qtbot, w.operator.nav["self-test"])
    page = w.operator.self_test
    qtbot.waitUntil(lambda: not page.running(), timeout=60_000)
    status = {c.name: c.status for c in page.checks()}
    for name in ("settings", "ffmpeg", "camera frame", "microphone level", "endpoint", "clock",
                 "signature"):
        assert status.get(name) == doctor.OK, (name, page.checks())
    assert status["display"] == doctor.WARN  # offscreen: said, with its fix
    # The summary counts them, in whichever language the window speaks.
    counts = [sum(1 for s in status.values() if s == k) for k in (doctor.FAIL, doctor.WARN, doctor.OK)]
    assert [int(n) for n in re.findall(r"\d+", page.summary.text())] == counts, page.summary.text()


def test_the_app_is_closed_from_the_desk_in_kiosk_mode_only(
        qtbot: Any, make_window: Any, monkeypatch: Any) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    counter = make_window(settings=MemorySettings(pin="2468"))
    counter.open_operator()
    counter.pin.pin.setText("2468")
    counter.pin.submit()
    assert counter.current() == "operator" and not counter.operator.quit.isVisible()
    kiosk = make_window(settings=MemorySettings(pin="2468"), kiosk=True)
    kiosk.close()
    assert kiosk.isVisible(), "not from outside the desk"
    kiosk.open_operator()
    kiosk.pin.pin.setText("2468")
    kiosk.pin.submit()
    click(qtbot, kiosk.operator.nav["kiosk"])
    assert kiosk.operator.quit.isVisible()
    click(qtbot, kiosk.operator.quit)
    assert quits and not kiosk.isVisible()


def test_leaving_the_desk_abandons_the_self_test(qtbot: Any, make_window: Any) -> None:
    release = threading.Event()
    calls: list[str] = []

    def slow() -> doctor.Check:  # as a camera that takes its time to give a picture
        calls.append("slow")
        release.wait(10)
        return doctor.Check("camera frame", doctor.OK, "a picture")

    def second() -> doctor.Check:
        calls.append("second")
        return doctor.check_display({}, "linux")

    runner = SelfTest(lambda: [("camera frame", slow), ("display", second)])
    w = make_window(self_test=runner)
    w.open_operator()
    click(qtbot, w.operator.nav["self-test"])
    qtbot.waitUntil(lambda: calls == ["slow"], timeout=5_000)
    click(qtbot, w.operator.back)
    release.set()
    qtbot.waitUntil(lambda: not runner.running(), timeout=5_000)
    QApplication.processEvents()  # whatever the abandoned run sent is delivered (and dropped)
    assert calls == ["slow"], "no check starts after the desk was left"
    assert w.operator.self_test.checks() == [] and not w.operator.self_test.running()
    w.open_operator()
    click(qtbot, w.operator.nav["self-test"])  # the next visit runs the checks again
    qtbot.waitUntil(lambda: len(w.operator.self_test.checks()) == 2, timeout=5_000)
