"""The start-up screen (kiosk.ui.startup): shown first by the window's process, with Qt alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk import display
from kiosk.ui import startup

REPO = Path(__file__).resolve().parents[2]
# What the window's process imports after the start-up screen is up, never before it.
HEAVY = ("kiosk.ui.window", "kiosk.flow", "kiosk.checks", "kiosk.media", "kiosk.emulator",
         "numpy", "cv2", "av", "sounddevice", "requests")


@pytest.mark.parametrize(("no_supervisor", "child", "can_supervise", "shown"), [
    (False, True, True, True),  # the supervisor's child
    (False, False, True, False),  # the supervisor itself shows no window
    (True, False, True, True),  # --no-supervisor
    (False, False, False, True),  # no supervisor on this platform: the window is here
])
def test_only_the_process_that_shows_the_window_shows_the_start_up_screen(
        no_supervisor: bool, child: bool, can_supervise: bool, shown: bool) -> None:
    assert startup.window_process(no_supervisor=no_supervisor, child=child,
                                  can_supervise=can_supervise) is shown


def test_the_screen_is_painted_before_the_event_loop_and_closes_with_dismiss(qapp: object) -> None:
    assert startup.show(fullscreen=False)
    screens = [w for w in QApplication.topLevelWidgets()
               if w.objectName() == startup.OBJECT_NAME and w.isVisible()]
    assert len(screens) == 1
    screen = screens[0]
    assert screen.accessibleName() == startup.ACCESSIBLE_NAME
    assert "正在启动" in screen.text() and "Starting" in screen.text()
    assert not screen.isFullScreen()
    startup.dismiss()
    assert not screen.isVisible()
    startup.dismiss()  # nothing shown: nothing to do


def test_in_kiosk_mode_the_screen_covers_everything_at_once(qapp: object) -> None:
    assert startup.show(fullscreen=True)
    screen = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == startup.OBJECT_NAME and w.isVisible())
    try:
        assert screen.isFullScreen()
        flags = screen.windowFlags()
        assert flags & Qt.WindowType.FramelessWindowHint
        assert flags & Qt.WindowType.WindowStaysOnTopHint
    finally:
        startup.dismiss()


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_screen_needs_qt_alone() -> None:
    # Its speed is what it does not import: the GUI's modules come after it is up.
    code = ("import sys\nfrom kiosk.ui import startup\n"
            "assert startup.show(fullscreen=False)\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = _python(code, {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_a_display_no_screen_and_no_qt_abort() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    code = ("from kiosk.ui import startup\nfrom PySide6.QtWidgets import QApplication\n"
            "print(startup.show(fullscreen=True), QApplication.instance() is None)")
    done = _python(code, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_a_display_that_does_not_answer_is_told_apart_from_one_that_does() -> None:
    import random
    import shutil
    import socket
    import tempfile

    assert display.display_answers({"QT_QPA_PLATFORM": "offscreen"})  # nothing to connect to
    assert not display.display_answers({})
    assert not display.display_answers({"DISPLAY": "not-a-display"})
    number = random.randrange(40_000, 60_000)
    assert not display.display_answers({"DISPLAY": f":{number}"})
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as x_server:
        x_server.bind(f"\0/tmp/.X11-unix/X{number}")  # where Xorg listens, abstract namespace
        x_server.listen()
        assert display.display_answers({"DISPLAY": f":{number}.0"})
        assert display.display_answers({"QT_QPA_PLATFORM": "xcb", "DISPLAY": f"unix:{number}"})
        assert not display.display_answers({"QT_QPA_PLATFORM": "wayland",
                                            "DISPLAY": f":{number}"})
    # A short folder: pytest's tmp_path can pass the 107 bytes a unix socket's path may have.
    runtime = Path(tempfile.mkdtemp(prefix="kw-", dir="/tmp"))
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as compositor:
            compositor.bind(str(runtime / "wayland-7"))
            compositor.listen()
            wayland = {"WAYLAND_DISPLAY": "wayland-7", "XDG_RUNTIME_DIR": str(runtime)}
            assert display.display_answers(wayland)
            assert display.display_answers({"WAYLAND_DISPLAY": str(runtime / "wayland-7")})
            assert not display.display_answers({**wayland,
                                                "XDG_RUNTIME_DIR": str(runtime / "x")})
    finally:
        shutil.rmtree(runtime)


@pytest.mark.parametrize(("argv", "shown"), [
    (["gui", "--no-supervisor"], True),
    (["gui", "--no-supervisor", "--bogus"], False),  # the usage error, with no screen flashing
    (["gui", "--no-supervisor", "--help"], False),
])
def test_the_command_line_is_checked_before_the_screen_shows(
        argv: list[str], shown: bool, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import kiosk.cli
    from kiosk.ui import app

    calls: list[bool] = []
    monkeypatch.setattr(startup, "show", lambda *, fullscreen: calls.append(fullscreen) or False)
    monkeypatch.delenv("KIOSK_SUPERVISED", raising=False)
    # The window itself is not the subject: the run stops where it would be built.
    monkeypatch.setattr(app, "run_gui", lambda **_: 0)
    try:
        status = kiosk.cli.main([*argv, "--kiosk"])
    except SystemExit as exc:
        status = int(exc.code or 0)
    capsys.readouterr()
    assert calls == ([True] if shown else [])
    assert status == (0 if shown else 2 if "--bogus" in argv else 0)


def test_commands_without_a_window_show_no_screen() -> None:
    import kiosk.cli

    parser = kiosk.cli.build_parser()
    assert not kiosk.cli.startup_wanted(parser.parse_args(["demo"]))
    assert not kiosk.cli.startup_wanted(parser.parse_args(["check", "x.mp4"]))


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian: xvfb)")
def test_kiosk_mode_windows_cover_a_bare_x_server_too() -> None:
    # A kiosk's X server may run no window manager, which is what acts on "full screen"; the
    # start-up screen and the main window (both through show_full_screen) must cover it anyway.
    code = ("import time\nfrom PySide6.QtWidgets import QApplication, QWidget\n"
            "from kiosk.ui import startup\n"
            "assert startup.show(fullscreen=True)\n"
            "main = QWidget()\nmain.resize(900, 500)\nstartup.show_full_screen(main)\n"
            "app = QApplication.instance()\nend = time.monotonic() + 1.0\n"
            "while time.monotonic() < end:\n    app.processEvents()\n"
            "shown = [w for w in app.topLevelWidgets() if w.isVisible()]\n"
            "print(sorted((w.objectName() or 'main', w.width(), w.height()) for w in shown))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    env.pop("DISPLAY", None)
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable,
                           "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('main', 1366, 768), ('startup', 1366, 768)]", done.stderr
