"""The Qt application: high-DPI policy, style, language, the window, and a clean exit."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import Any, cast

from PySide6.QtCore import QProcess, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from kiosk.errors import ConfigError
from kiosk.ui import messages
from kiosk.ui.theme import BODY_PT, PALETTE, style_sheet


def configure_qt() -> None:
    """Settings Qt reads only before the application exists."""
    if QGuiApplication.instance() is None:
        # Kiosks run at 125 % or 150 %: pass the exact factor through instead of rounding it,
        # so text keeps its intended size and layouts do not jump between 1x and 2x.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


# How long a Python thread may keep the interpreter lock before another may take it. Each call
# from the GUI thread into Qt gives the lock up and must take it back; with the default 5 ms,
# and capture, encoding and upload threads busy in Python, a paint of ~15 calls could wait
# 15 x 5 ms. 1 ms keeps the GUI thread's waits short for a small cost in switching.
GUI_SWITCH_INTERVAL_S = 0.001


def tune_threads() -> float:
    """Let the GUI thread take the interpreter lock back quickly; returns the previous interval."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return previous


def settle_heap() -> None:
    """Collect once, then exempt everything alive after start-up from later collections.

    A full pass of Python's cyclic garbage collector walks every object and holds the
    interpreter lock throughout: with Qt, OpenCV, PyAV and SciPy loaded that was 100-300 ms on a
    busy 2-core machine, a frozen preview. The modules, widgets and settings made at start-up
    live as long as the window, so ``gc.freeze()`` moves them out of the collector's sight and
    later passes only walk what a session makes.
    """
    gc.collect()
    gc.freeze()


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication, styled, with the GUI's thread tuning."""
    configure_qt()
    tune_threads()
    existing = QApplication.instance()  # the start-up screen's (kiosk.ui.startup), or a test's
    app = (cast(QApplication, existing) if existing is not None
           else QApplication(list(argv if argv is not None else sys.argv[:1])))
    app.setApplicationName("kiosk")
    app.setApplicationDisplayName("Face verification kiosk")
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    """The kiosk's font and style sheet."""
    font = QFont()
    # CJK glyphs from Noto Sans CJK / Microsoft YaHei where installed; Qt falls back otherwise.
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Sans Serif"])
    font.setPointSize(BODY_PT)
    app.setFont(font)
    palette = app.palette()
    # Qt's default placeholder grey is below 4.5:1 on white; the muted text colour is not.
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(PALETTE.muted))
    app.setPalette(palette)
    app.setStyleSheet(style_sheet())


def check_display() -> None:
    """A clear error instead of Qt's abort when Linux has no display to open."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise ConfigError(messages.NO_DISPLAY())


def check_display_answers() -> None:
    """A clear error instead of Qt's abort when the display named does not answer (a stopped X
    server, a DISPLAY copied from another session)."""
    from kiosk.config import messages as config_messages
    from kiosk.display import display_answers, display_name

    if sys.platform.startswith("linux") and not display_answers():
        raise ConfigError(config_messages.DISPLAY_NOT_ANSWERING(display=display_name()))


# SetThreadExecutionState: keep the display on and the machine awake until told otherwise.
ES_CONTINUOUS, ES_SYSTEM_REQUIRED, ES_DISPLAY_REQUIRED = 0x80000000, 0x00000001, 0x00000002
_caffeinated = False


def keep_awake(platform: str = sys.platform, start: Callable[[str, list[str]], Any] | None = None,
               kernel32: Any = None) -> None:
    """Keep a kiosk's screen from blanking; called from the GUI thread every 50 s.

    Linux: reset the X screensaver (the systemd unit also holds an idle lock). Windows: tell the
    system the display is in use (the state lasts while the GUI thread lives). macOS: one
    ``caffeinate`` that ends by itself when this process does.
    """
    global _caffeinated
    start = start or QProcess.startDetached
    if platform.startswith("linux"):
        if os.environ.get("DISPLAY") and shutil.which("xset"):
            start("xset", ["s", "reset"])
    elif platform == "win32":
        if kernel32 is None:
            import ctypes  # windll exists on Windows only

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # typeshed: Windows only
        kernel32.SetThreadExecutionState(ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED)
    elif platform == "darwin" and not _caffeinated:
        start("caffeinate", ["-d", "-i", "-w", str(os.getpid())])
        _caffeinated = True


def report_failures(window: Any, report: Callable[[str, str], None]) -> None:
    """Tell ``report`` of each session that could not check: its cause and its English text."""
    def ended(result: Any) -> None:
        if result.outcome == "error":
            report(result.cause, result.message_en)
    window.session_ended.connect(ended)


def run_gui(*, kiosk: bool = False, demo: bool = False, camera: str | None = None,
            mic: str | None = None, lang: str | None = None,
            on_self_test: Callable[[list[Any]], None] | None = None,
            on_session_failed: Callable[[str, str], None] | None = None) -> int:
    """``kiosk gui``: build everything, show the window, run until quit; the exit status.

    ``on_self_test`` hears each finished self-test's checks, ``on_session_failed`` each "could not
    check" (its cause and English text): the fleet's heartbeat, when the kiosk has joined one.
    """
    from kiosk.config import AuditLog, Paths, Settings
    from kiosk.config.attempts import AttemptLimit
    from kiosk.config.consent import load_notice
    from kiosk.config.logs import enable_faulthandler
    from kiosk.flow.card_reader import load_reader
    from kiosk.media.tone import play_start_tone
    from kiosk.ui import autodrive, lifeline, startup
    from kiosk.ui.devices import MediaDevices, media_lister
    from kiosk.ui.i18n import DEFAULT_LANG, Languages
    from kiosk.ui.self_test import SelfTest, doctor_groups, report_to
    from kiosk.ui.service_probe import ServiceProbe
    from kiosk.ui.session import assemble
    from kiosk.ui.settings import StoredSettings
    from kiosk.ui.window import MainWindow

    check_display()
    paths = Paths.default()
    fault_file = enable_faulthandler(paths)  # a crash leaves its Python stack in the log
    settings = Settings(paths)
    if kiosk and not settings.get("operator_pin"):
        raise ConfigError(messages.KIOSK_NEEDS_PIN())
    load_notice(str(settings.get("consent_notice") or ""))  # a broken notice stops the start
    card_reader = load_reader(str(settings.get("card_reader") or ""))  # and so does a bad reader
    configured = str(settings.get("language") or "auto")
    lang = lang or (configured if configured in ("zh", "en") else DEFAULT_LANG)
    check_display_answers()  # last before Qt: the settings' own errors are said first
    app = make_app()
    languages = Languages(app)
    languages.switch(lang)
    devices = MediaDevices(media_lister())
    parts = assemble(settings, paths, devices, demo=demo, camera=camera, mic=mic)
    window = MainWindow(
        flow_factory=parts.flow_factory, settings=StoredSettings(settings), devices=devices,
        languages=languages, demo=parts.demo, kiosk=kiosk,
        idle_ms=int(settings.get("idle_timeout") or 60) * 1000, default_lang=lang,
        reset_attempts=lambda: AttemptLimit.of(paths).reset(),
        probe=ServiceProbe(parts.probe) if parts.probe is not None else None,
        tone=play_start_tone, audit=AuditLog(paths.audit_db), card_reader=card_reader,
        self_test=SelfTest(doctor_groups(  # in demo mode the emulator stands in for the service
            paths, camera=parts.camera, mic=parts.mic,
            connection=parts.service.connection if parts.service is not None else None)))
    if window.probe is not None:
        window.probe.start()
    if on_self_test is not None and window.self_test is not None:
        report_to(window.self_test, on_self_test)
    if on_session_failed is not None:
        report_failures(window, on_session_failed)
    app.aboutToQuit.connect(window.shutdown)
    app.aboutToQuit.connect(parts.close)
    awake = QTimer(window)
    awake.timeout.connect(keep_awake)
    if kiosk:
        startup.show_full_screen(window)
        keep_awake()
        awake.start(50_000)
    else:
        window.resize(1366, 768)
        window.show()
    startup.dismiss()  # after the window is up: no bare desktop between the two
    life = lifeline.attach(app, window, fault_file)  # heartbeat to the supervisor, SIGTERM
    autodrive.install(window)  # a test hook, inert unless KIOSK_TEST_HOLD_AT is set
    settle_heap()
    status = int(app.exec())
    life.timer.stop()
    return status
