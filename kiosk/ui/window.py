"""The main window: one stack of screens driven by flow events, the idle reset and the kiosk lock."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QStackedWidget, QVBoxLayout, QWidget

from kiosk import inputs
from kiosk.errors import KioskError
from kiosk.flow import verdict
from kiosk.flow.card_reader import CardReader
from kiosk.flow.events import Controller, Details, Finished, Guidance, Mode, Result
from kiosk.texts import pick
from kiosk.ui import messages
from kiosk.ui.bridge import FlowBridge
from kiosk.ui.consent_gate import ConsentGate
from kiosk.ui.i18n import DEFAULT_LANG, LANGS, Languages
from kiosk.ui.idle import WARN_MS, IdleWarning, IdleWatcher
from kiosk.ui.ports import AuditDesk, DevicesPort, FlowFactory, SettingsPort
from kiosk.ui.run_screens import RunScreens, hold_welcome, unrecorded_note
from kiosk.ui.screens.capture import CaptureScreen
from kiosk.ui.screens.consent import ConsentScreen
from kiosk.ui.screens.desk_settings import current_values
from kiosk.ui.screens.details import DetailsScreen, Validator
from kiosk.ui.screens.operator import OperatorPanel, PinScreen
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.review import BusyScreen, ChecksScreen
from kiosk.ui.screens.sessions import SessionsScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.self_test import SelfTest, attach
from kiosk.ui.service_probe import ServiceProbe
from kiosk.ui.widgets import label

log = logging.getLogger("kiosk.ui")
MAX_PHOTO_BYTES = inputs.MEDIA_LIMIT


class MainWindow(QWidget):
    """Screens in a QStackedWidget; the flow runs on its own worker, this only paints."""

    screen_changed = Signal(str)
    session_ended = Signal(object)  # every flow Result, for reports beyond the window (the fleet)

    def __init__(
        self,
        *,
        flow_factory: FlowFactory,
        settings: SettingsPort,
        devices: DevicesPort,
        languages: Languages,
        demo: bool = False,
        kiosk: bool = False,
        idle_ms: int = 60_000,
        warn_ms: int = WARN_MS,
        default_lang: str = "zh",
        validate: Validator | None = None,
        clock: Callable[[], float] = time.monotonic,
        reset_attempts: Callable[[], int] | None = None,
        probe: ServiceProbe | None = None,
        tone: Callable[[], object] | None = None,
        audit: AuditDesk | None = None,
        card_reader: CardReader | None = None,
        self_test: SelfTest | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("main")
        self._flow_factory = flow_factory
        self._flow: Controller | None = None
        self._flow_stale = False
        self.settings = settings
        self.devices = devices
        self.languages = languages
        self.kiosk = kiosk
        self.demo = demo
        self.default_lang = default_lang
        self._may_close = not kiosk
        self._details: Details | None = None
        self.last_result: Result | None = None
        self._unseen: Result | None = None  # not recorded, and the operator has not seen it yet

        self.bridge = FlowBridge(self)
        self.bridge.event.connect(self.on_event)
        self.bridge.guidance.connect(self.on_guidance)

        lang = self.lang
        self.welcome = WelcomeScreen()
        self.details = DetailsScreen(validate, lang, card_reader)
        self.capture = CaptureScreen()
        self.busy = BusyScreen()
        self.checks = ChecksScreen(lang)
        self.result = ResultScreen(lang)
        self.pin = PinScreen(settings.check_pin, clock)
        self._pin_then: Callable[[], None] = self._operator_unlocked
        self._pin_back: Callable[[], None] = self.reset
        self.consent = ConsentScreen(lang)
        self.sessions_screen = SessionsScreen()
        self.gate = ConsentGate(
            self.consent, notice_path=lambda: str(self.settings.value("consent_notice") or ""),
            show=self.show_screen, start=self.start, ask_pin=self.ask_pin, failed=self._not_started)
        self.operator = OperatorPanel(self.lang)
        self.operator.set_quit_visible(kiosk)
        self.runs = RunScreens(
            capture=self.capture, busy=self.busy, checks=self.checks, result=self.result,
            show=self.show_screen, current=self.current, lang=self.lang)
        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {
            "welcome": self.welcome, "details": self.details, "capture": self.capture,
            "busy": self.busy, "checks": self.checks, "result": self.result, "pin": self.pin,
            "operator": self.operator, "consent": self.consent, "sessions": self.sessions_screen,
        }
        for w in self.screens.values():
            self.stack.addWidget(w)
            # Style sheets are applied on first show; doing it now keeps that cost (tens of ms
            # per screen) out of a running session.
            w.ensurePolished()
            for child in w.findChildren(QWidget):
                child.ensurePolished()
        self.banner = label(role="banner", wrap=False)
        self.banner.setObjectName("demo-banner")
        self.banner.setVisible(demo)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.banner)
        box.addWidget(self.stack, 1)

        self.idle = IdleWatcher(idle_ms, warn_ms, self)
        self.idle_warning = IdleWarning(self)
        self.idle.tick.connect(self.idle_warning.show_left)
        self.idle.expired.connect(self.reset)
        self.idle_warning.extend_requested.connect(self.idle.extend)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.stack.currentChanged.connect(self._on_screen)

        self.welcome.start_requested.connect(self.begin)
        self.welcome.language_requested.connect(self.set_language)
        self.welcome.operator_requested.connect(self.open_operator)
        self.details.submitted.connect(self.submit_details)
        self.details.cancelled.connect(self.cancel_session)
        self.details.photo_from_file.connect(self.photo_file_requested)
        self.capture.ready.connect(self.person_ready)
        self.capture.snap.connect(self.person_ready)
        self.capture.use_still.connect(self.person_ready)
        self.capture.retake.connect(self.retake_card)
        self.capture.cancelled.connect(self.cancel_session)
        self.busy.cancelled.connect(self.cancel_session)
        self.checks.retry.connect(self.retry)
        self.checks.cancelled.connect(self.cancel_session)
        self.result.retry.connect(self.retry)
        self.result.done.connect(self.reset)
        self.result.expired.connect(self.reset)
        self.result.staff_requested.connect(self.show_staff_details)
        self.consent.cancelled.connect(lambda: self.show_screen("details"))
        self.consent.done.connect(self.reset)
        self.pin.accepted.connect(lambda: self._pin_then())
        self.pin.cancelled.connect(lambda: self._pin_back())
        self.operator.saved.connect(self.save_settings)
        self.operator.closed.connect(self.reset)
        self.operator.quit_requested.connect(self.quit_kiosk)
        self._reset_attempts = reset_attempts
        self._tone = tone
        self._audit = audit
        self.operator.sessions.setVisible(audit is not None)
        self.operator.sessions_requested.connect(self.show_sessions)
        self.sessions_screen.closed.connect(lambda: self.show_screen("operator"))
        self.sessions_screen.export_requested.connect(self.export_audit)
        self.capture.recording_started.connect(self._recording_started)
        self.probe = probe
        if probe is not None:
            probe.changed.connect(lambda state, _detail: self.welcome.set_service(state))
        self.operator.reset_limits.setVisible(reset_attempts is not None)
        self.operator.reset_attempts.connect(self.reset_attempt_limits)
        self.self_test = self_test  # the doctor's checks on the desk, run off the GUI thread
        if self_test is not None:
            attach(self_test, self.operator.self_test, (self.operator.self_test_requested,
                                                        self.operator.self_test.run_requested))
        self.operator.nav["self-test"].setVisible(self_test is not None)
        self.details.photo_camera.hide()  # a card taken by camera needs a capture outside a flow
        self.welcome.set_mode(self.mode().value)
        self.retranslate()

    # -- state ----------------------------------------------------------------------------------
    def lang(self) -> str:
        """The person's language now."""
        return self.languages.lang

    def mode(self) -> Mode:
        """The configured mode."""
        try:
            return Mode(str(self.settings.value("mode") or "idcard"))
        except ValueError:
            return Mode.IDCARD

    def current(self) -> str:
        """The name of the screen shown."""
        w = self.stack.currentWidget()
        return next(name for name, s in self.screens.items() if s is w)

    def show_screen(self, name: str) -> None:
        """Show one screen by name."""
        self.stack.setCurrentWidget(self.screens[name])

    def _on_screen(self, _index: int) -> None:
        name = self.current()
        self.idle.arm(name != "welcome")
        if name != "welcome":
            self.idle_warning.show_left(-1)
        self.screen_changed.emit(name)

    def flow(self) -> Controller:
        """The flow, made on first use and again after the operator changed settings."""
        if self._flow is not None and self._flow_stale and not self._flow.running:
            self._flow.close()
            self._flow = None
        if self._flow is None:
            self._flow = self._flow_factory(self.bridge)
            self._flow_stale = False
        return self._flow

    # -- the person's actions -------------------------------------------------------------------
    @Slot()
    def begin(self) -> None:
        """From welcome to the details the mode needs (not while a result waits for the operator)."""
        if self._unseen is not None:
            return
        self.details.clear()
        self.details.set_mode(self.mode().value)
        mode = self.mode()
        if not (mode.needs_identity or mode.needs_card):
            self.submit_details("", "")  # liveness only: nothing to enter, straight to consent
            return
        self.show_screen("details")
        self.details.id_number.setFocus() if self.details.needs_identity() else self.details.go.setFocus()

    @Slot(str)
    def set_language(self, lang: str) -> None:
        """Switch every text to zh or en."""
        self.languages.switch(lang)

    @Slot(str, str)
    def submit_details(self, id_number: str, name: str) -> None:
        """Start the flow with the details entered."""
        mode = Mode(self.mode().value)
        photo = self.details.photo_bytes
        details = Details(mode, id_number=id_number if mode.needs_identity else "",
                          name=name if mode.needs_identity else "",
                          card=photo if mode is Mode.CARD else None,
                          photo=photo if mode is Mode.PHOTO else None,
                          card_camera=mode is Mode.CARD and photo is None)
        self.gate.open(details)  # consent first: no camera before the person agrees

    def start(self, details: Details) -> None:
        """Run one verification (after the last one has wound down; never while one waits)."""
        if self._unseen is not None:
            self.reset()
            return
        self._details = details
        if details.consent == "no":  # records the answer, captures nothing; the screen stays
            self.runs.follow(self.flow().start(details), details)
            return
        self.runs.start(self.flow(), details)

    @Slot()
    def person_ready(self) -> None:
        """Ready (video) or take the photo (photo mode)."""
        if self._flow is not None:
            if self._details is not None and self._details.mode is Mode.PHOTO:
                self._flow.snap()
            else:
                self._flow.ready()

    @Slot()
    def retake_card(self) -> None:
        """Film the card again (the still shown is not wanted): the live picture at once."""
        if self._flow is not None:
            self.capture.show_photo("card")
            self._flow.retake()

    @Slot()
    def retry(self) -> None:
        """Same details again."""
        if self._flow is None or self._details is None:
            self.reset()
            return
        self.busy.show_step("code" if self._details.mode.uses_video else "photo")
        self.show_screen("busy")
        self.runs.follow(self._flow.retry(), self._details)

    @Slot()
    def cancel_session(self) -> None:
        """Stop whatever runs and go back to welcome with nothing of the person kept."""
        self.reset()

    @Slot()
    def photo_file_requested(self) -> None:
        """A photo from a file: the card mode's card photo is filmed, a file is for staff (PIN)."""
        if self.mode() is not Mode.CARD:
            self.choose_photo()
            return

        def back() -> None:
            self.show_screen("details")

        def unlocked() -> None:
            back()
            self.choose_photo()

        if not self.ask_pin(unlocked, back):
            self.choose_photo()  # no PIN set (never in kiosk mode): nothing to unlock

    @Slot()
    def choose_photo(self) -> None:
        """A card or face photo from a file (a Qt dialog, so it stays inside the kiosk window)."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a photo"), str(Path.home()),
            self.tr("Pictures (*.jpg *.jpeg *.png *.bmp)"),
            options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.load_photo(Path(path))

    def load_photo(self, path: Path) -> bool:
        """Use a picture file as the photo; False with a message when it is not one."""
        refused: KioskError | None = None
        try:  # a pipe or a device is refused at once, never waited for or read to no end
            data = inputs.read_input(path, limit=MAX_PHOTO_BYTES, what=(messages.PHOTO.en, messages.PHOTO.zh))
        except KioskError as exc:
            data, refused = b"", exc
        ok = bool(data) and self.details.set_photo(data)
        if not ok:
            self.details.set_photo(None)
            bad = messages.NOT_A_PICTURE
            self.details.feedback.setText(refused.text(self.lang()) if refused else pick(
                self.lang(), bad.zh, bad.en))
        return ok

    # -- flow events (GUI thread, via the bridge) -----------------------------------------------
    @Slot(object)
    def on_event(self, event: object) -> None:
        """Route one flow event to the screens (those of runs the window left are dropped)."""
        if isinstance(event, Finished):
            self._finished(event)
        else:
            self.runs.paint(event)

    @Slot(object, object)
    def on_guidance(self, g: Guidance, image: QImage | None) -> None:
        """One preview tick: the picture (mirrored on the worker), the oval, hints, voice level."""
        self.runs.guidance(g, image)

    def _finished(self, event: Finished) -> None:
        result = event.result
        self.session_ended.emit(result)
        if not result.recorded:  # no next session until the operator has seen it
            self._unseen = result
            self._hold_welcome()
        if self.runs.follows(event):
            self.last_result = result
            self.runs.show_result(result, details=self._details,
                                  show_score=self.settings.value("show_score") == "on",
                                  seconds=float(self.settings.value("result_seconds") or 20))
        elif self.runs.next is not None:  # the run left ended: the flow is free for the next
            self.start(self.runs.next)  # (or back to welcome while a result waits)

    # -- reset, operator, kiosk -----------------------------------------------------------------
    @Slot()
    def reset(self) -> None:
        """Back to welcome: the flow cancelled (it deletes the media), every screen emptied."""
        self.runs.leave()
        if self.self_test is not None:
            self.self_test.cancel()  # the desk was left: its camera check must not hold the camera
        if self._flow is not None and self._flow.running:
            self._flow.cancel()
        self._details = None
        self.last_result = None
        self.gate.clear()
        for s in self.screens.values():
            s.clear()  # type: ignore[attr-defined]
        self.idle_warning.show_left(-1)
        self.welcome.set_mode(self.mode().value)
        self.show_screen("welcome")
        if self.languages.lang != self.default_lang:
            self.languages.switch(self.default_lang)
        self._hold_welcome()
        self.welcome.start.setFocus()

    def ask_pin(self, then: Callable[[], None], back: Callable[[], None]) -> bool:
        """Ask staff for the PIN; ``then`` on the right one, ``back`` on cancel. False: none set."""
        if not self.settings.has_pin():
            return False
        self._pin_then, self._pin_back = then, back
        self.pin.open()
        self.show_screen("pin")
        return True

    @Slot()
    def open_operator(self) -> None:
        """PIN first; without a PIN set (never in kiosk mode) straight to the panel."""
        if not self.ask_pin(self._operator_unlocked, self.reset):
            self._operator_unlocked()
            self.operator.show_message(self.tr("No operator PIN is set: set one below."), False)

    @Slot()
    def show_staff_details(self) -> None:
        """The code, the measurement and the numbers of the result shown, behind the PIN."""
        def reveal() -> None:
            self.result.reveal()
            self.show_screen("result")

        self.result.timer.stop()  # staff are on their way: the result stays
        if not self.ask_pin(reveal, lambda: self.show_screen("result")):
            reveal()  # no PIN set (never in kiosk mode): nothing to unlock

    def _not_started(self, details: Details, exc: KioskError) -> None:
        """The run could not begin (the consent notice is broken): "could not check", for staff."""
        self._details = details
        result = verdict.from_error(details.mode, exc, float(
            self.settings.value("threshold") or 70))
        self.runs.show_result(result, details=details)

    @Slot()
    def _operator_unlocked(self) -> None:
        self.operator.load(current_values(self.settings), self.devices.cameras(), self.devices.mics())
        self.show_screen("operator")
        unseen, self._unseen = self._unseen, None
        if unseen is not None:  # the operator sees what was not recorded: sessions may go on
            self._hold_welcome()
            self.operator.show_message(unrecorded_note(unseen, self.lang()), False)

    def _hold_welcome(self) -> None:
        hold_welcome(self.welcome, self._unseen, self.lang())

    @Slot(dict)
    def save_settings(self, changes: dict[str, str]) -> None:
        """Store the panel's values; the next session uses them."""
        try:
            self.settings.save(changes)
        except KioskError as exc:
            self.operator.show_message(exc.text(self.lang()), False)
            return
        self._flow_stale = True
        self.welcome.set_mode(self.mode().value)
        self.apply_settings(changes)
        if self.probe is not None:
            self.probe.recheck()  # new credentials or endpoint: the welcome screen says at once
        self.operator.show_message(self.tr("Saved. The next verification uses these settings."), True)
        self.operator.committed(changes)

    def apply_settings(self, changes: dict[str, str]) -> None:
        """What the window itself reads from the settings takes effect now: idle timeout, language."""
        if "idle_timeout" in changes:
            self.idle.idle_ms = int(changes["idle_timeout"]) * 1000
        if "language" in changes:  # the person's screens start in it from the next welcome on
            self.default_lang = changes["language"] if changes["language"] in LANGS else DEFAULT_LANG

    @Slot()
    def _recording_started(self) -> None:
        """The short tone that says "read now" (setting record_tone, on by default)."""
        if self._tone is not None and (self.settings.value("record_tone") or "on") != "off":
            self._tone()

    @Slot()
    def show_sessions(self) -> None:
        """Today's sessions (masked) from the audit log; reached from the operator panel only."""
        if self._audit is None:
            return
        try:
            rows = self._audit.rows()
        except KioskError as exc:  # a locked or damaged log: say so on the panel
            self.operator.show_message(exc.text(self.lang()), False)
            return
        self.sessions_screen.load(rows)
        self.show_screen("sessions")

    @Slot()
    def export_audit(self) -> None:
        """The whole audit log as CSV, where the operator chooses (a Qt dialog, inside the kiosk)."""
        if self._audit is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the audit log"), str(Path.home() / "kiosk-audit.csv"),
            self.tr("CSV files (*.csv)"), options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the audit log to ``path`` and say how many rows, or why not."""
        assert self._audit is not None
        try:
            count = self._audit.export_csv(path)
        except KioskError as exc:
            self.sessions_screen.show_message(exc.text(self.lang()))
            return
        self.sessions_screen.show_message(self.tr("%1 rows written to %2").replace(
            "%1", str(count)).replace("%2", str(path)))

    @Slot()
    def reset_attempt_limits(self) -> None:
        """The operator lets everyone the attempt limit stopped try again (behind the PIN)."""
        if self._reset_attempts is None:
            return
        try:
            cleared = self._reset_attempts()
        except Exception as exc:  # a locked or damaged counts file: say so, keep the panel
            log.warning("attempt limits not reset: %s", type(exc).__name__)
            self.operator.show_message(self.tr("The attempt limits could not be reset."), False)
            return
        log.info("operator reset the attempt limits (%d failures forgotten)", cleared)
        self.operator.show_message(self.tr("Attempt limits reset."), True)

    @Slot()
    def quit_kiosk(self) -> None:
        """Leave the kiosk (only reachable behind the PIN)."""
        self._may_close = True
        self.close()
        QApplication.quit()

    def shutdown(self) -> None:
        """Stop the flow's worker (aboutToQuit): no thread outlives the application."""
        self.idle.arm(False)
        if self.probe is not None:
            self.probe.stop()
        if self.self_test is not None:
            self.self_test.stop(timeout=1.0)
        if self._flow is not None:
            self._flow.close()
            self._flow = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._may_close:
            event.ignore()  # Alt+F4 and the window manager cannot end a kiosk
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.kiosk and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            event.accept()  # nothing leaves fullscreen without the PIN
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.idle_warning.isVisible():
            self.idle_warning.setGeometry(self.rect())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Window title and the demo banner."""
        self.setWindowTitle(self.tr("Identity verification"))
        self.banner.setText(self.tr(
            "DEMO — no service credentials are set: results come from the local emulator"))
        if self._unseen is not None:  # its texts come in both languages
            self._hold_welcome()
