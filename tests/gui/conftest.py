"""GUI test fixtures: a scripted flow on a worker thread, in-memory settings, fixed devices."""

from __future__ import annotations

import dataclasses
import gc
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.checks.findings import Finding
from kiosk.checks.live import MESSAGES
from kiosk.config import Paths, Settings
from kiosk.flow.events import (
    ChecksDone,
    CodeReceived,
    Countdown,
    Details,
    Finished,
    Guidance,
    Hint,
    Mode,
    RecordingProgress,
    Result,
    Step,
    StepChanged,
    UploadProgress,
)
from kiosk.ui.app import settle_heap, tune_threads
from kiosk.ui.demo_service import DemoService
from kiosk.ui.session import assemble, sample_spec
from kiosk.ui.settings import StoredSettings
from kiosk.ui.window import MainWindow

BLOCK = Finding(-5013, "block", -45.0, -35.0, "声音太小，请大声朗读", "the voice is too quiet: read louder")


class ScriptedFlow:
    """A Controller that plays one verification on its own thread, like kiosk.flow.Flow does.

    ``outcome`` picks the ending: passed, failed, blocked, refused, error (no code: unreachable). Frames come as fast as the
    worker can make them until ready() (bounded by ``frames``), so tests never wait on a clock. Every event carries its
    run's id (``seq``), as start() returns it. ``voice``: "passed" (the voice test passes with the face placed) or
    another state the test stays in, each frame counting 0.1 s of listening.
    """

    def __init__(self, listener: Callable[[Any], None], outcome: str = "passed", frames: int = 500,
                 voice: str = "passed") -> None:
        self.listener = listener
        self.seq = ""
        self.outcome = outcome
        self.frames = frames
        self.voice = voice
        self.details: Details | None = None
        self.started: list[Details] = []
        self.closed = False
        self._ready = threading.Event()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._step: Step | None = None

    @property
    def step(self) -> Step | None:
        return self._step

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, details: Details) -> str:
        assert not self.running, "start while running"
        self.details = details
        self.started.append(details)
        self._ready.clear()
        self._cancel.clear()
        self.seq = uuid.uuid4().hex
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self.seq

    def ready(self) -> None:
        self._ready.set()

    snap = ready

    def cancel(self) -> None:
        self._cancel.set()

    def retry(self) -> str:
        assert self.details is not None
        return self.start(self.details)

    def close(self) -> None:
        self.cancel()
        if self._thread is not None:
            self._thread.join(5)
        self.closed = True

    def _emit_step(self, step: Step) -> None:
        prev, self._step = self._step, step
        self._tell(StepChanged(step, prev))

    def _tell(self, event: Any) -> None:
        self.listener(dataclasses.replace(event, seq=self.seq))

    def _run(self) -> None:
        assert self.details is not None
        mode = self.details.mode
        frame = np.zeros((480, 640, 3), np.uint8)
        try:
            if mode.uses_video:
                self._emit_step(Step.CODE)
                self._tell(CodeReceived("1357"))
            if self.outcome == "error":  # the service cannot be reached: no verdict at all
                return self._end(Result("error", mode, "无法连接 127.0.0.1：连接被拒绝",
                                        "cannot connect to 127.0.0.1: connection refused",
                                        "请检查网络后重试", "check the network, then try again",
                                        exit_code=2, cause="network"))
            self._emit_step(Step.GUIDE)
            for i in range(self.frames):
                if self._cancel.is_set():
                    return self._end(Result("cancelled", mode, "已取消", "cancelled"))
                if self._ready.is_set():
                    break
                frame[:, :, 1] = i % 255
                hints = () if i > 3 else (Hint("too_far", *MESSAGES["too_far"]),)
                voice, waited = ("passed", 0.4) if self.voice == "passed" and i > 3 else ("silent", i * 0.1)
                if self.voice != "passed":
                    voice = self.voice
                self._tell(Guidance(frame.copy(), i > 3, (200, 100, 240, 300), hints, -22.0, True,
                                    voice_test=voice if mode.uses_video else "", voice_waited=waited))
                self._ready.wait(0.005)
            self._emit_step(Step.COUNTDOWN)
            for n in (3, 2, 1):
                self._tell(Countdown(n))
            self._emit_step(Step.RECORD)
            for k in range(11):
                if self._cancel.is_set():
                    return self._end(Result("cancelled", mode, "已取消", "cancelled"))
                self._tell(Guidance(frame.copy(), True, None, (), -20.0, True))
                self._tell(RecordingProgress(k * 0.5, 5.0))
            self._emit_step(Step.CHECKS)
            if self.outcome == "blocked":
                self._tell(ChecksDone((BLOCK,), True))
                return self._end(Result("blocked", mode, BLOCK.message_zh, BLOCK.message_en,
                                        "请重新录制", "record again", code=-5013, findings=(BLOCK,)))
            self._tell(ChecksDone((), False))
            self._emit_step(Step.UPLOAD)
            for sent in range(0, 100_001, 25_000):
                self._tell(UploadProgress(sent, 100_000))
            if self.outcome == "refused":
                return self._end(Result("refused", mode, "服务返回错误码 -5011", "service refused with code -5011",
                                        "请重试", "try again", code=-5011))
            passed = self.outcome == "passed"
            self._end(Result("passed" if passed else "failed", mode,
                             "核验通过" if passed else "相似度不足", "verified" if passed else "similarity too low",
                             similarity=92.0 if passed else 41.0, live_status=0, compare_status=0,
                             best_frame=_jpeg(), exit_code=0 if passed else 1))
        finally:
            self._step = Step.RESULT

    def _end(self, result: Result) -> None:
        self._emit_step(Step.RESULT)
        self._tell(Finished(result))


def _jpeg() -> bytes:
    import cv2

    ok, buf = cv2.imencode(".jpg", np.full((120, 100, 3), 180, np.uint8))
    assert ok
    return buf.tobytes()


class MemorySettings:
    """SettingsPort in memory."""

    def __init__(self, **values: Any) -> None:
        self.data: dict[str, Any] = {"mode": "idcard", "camera": "USB Camera", "mic": "default",
                                     "endpoint": "http://127.0.0.1:1", "appid": "", "secret_id": "",
                                     "idle_timeout": 60, "language": "zh"}
        self.data.update(values)
        self.pin = values.get("pin", "")

    def values(self) -> dict[str, Any]:
        return dict(self.data, has_secret_key=False)

    def value(self, key: str) -> Any:
        return self.data.get(key)

    def save(self, changes: dict[str, str]) -> None:
        from kiosk.errors import ConfigError

        if "endpoint" in changes and not changes["endpoint"].startswith("http"):
            raise ConfigError("endpoint refused", "服务地址无效", fix_en="give a URL")
        if "operator_pin" in changes:
            self.pin = changes.pop("operator_pin")
        self.data.update(changes)

    def has_pin(self) -> bool:
        return bool(self.pin)

    def check_pin(self, pin: str) -> bool:
        return bool(self.pin) and pin == self.pin


class FixedDevices:
    """Two cameras and one microphone."""

    def __init__(self, cameras: list[str] | None = None) -> None:
        self._cameras = cameras if cameras is not None else ["USB Camera", "Integrated Camera"]

    def cameras(self) -> list[str]:
        return list(self._cameras)

    def mics(self) -> list[str]:
        return ["default", "USB Microphone"]


@pytest.fixture(autouse=True)
def _no_cross_thread_warnings(qtlog: Any) -> Iterator[None]:
    """Fail a test on Qt's warnings about objects used from the wrong thread."""
    yield
    bad = [r.message for r in qtlog.records
           if "thread" in r.message.lower() or "QObject::" in r.message]
    assert not bad, bad


@pytest.fixture(autouse=True)
def _each_test_starts_in_english(qapp: Any) -> None:
    """The application is shared by a worker's tests, in any order: none inherits a language."""
    from kiosk.ui.i18n import Languages

    Languages(qapp).switch("en")


@pytest.fixture
def languages(qapp: Any) -> Iterator[Any]:
    from kiosk.ui.i18n import Languages

    langs = Languages(qapp)
    langs.switch("zh")
    yield langs
    langs.switch("en")


@pytest.fixture
def make_window(qtbot: Any, languages: Any) -> Iterator[Callable[..., Any]]:
    """Build a MainWindow on a ScriptedFlow; returns (window, flows list)."""
    from kiosk.ui.app import apply_style
    from kiosk.ui.window import MainWindow

    made: list[Any] = []

    def make(outcome: str = "passed", settings: MemorySettings | None = None, voice: str = "passed",
             **kw: Any) -> Any:
        flows: list[ScriptedFlow] = []

        def factory(listener: Callable[[Any], None]) -> ScriptedFlow:
            f = ScriptedFlow(listener, outcome, voice=voice)
            flows.append(f)
            return f

        apply_style(qtbot_app())
        w = MainWindow(flow_factory=factory, settings=settings or MemorySettings(),
                       devices=kw.pop("devices", FixedDevices()), languages=languages, **kw)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        w.flows = flows
        made.append(w)
        return w

    yield make
    for w in made:
        w.shutdown()


def wait_ready(qtbot: Any, w: MainWindow, timeout: int = 5000) -> None:
    """Until "I am ready" can be pressed: the face placed and the voice test passed."""
    qtbot.waitUntil(lambda: w.current() == "capture" and w.capture.go.isEnabled(), timeout=timeout)


def qtbot_app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


VALID_ID = "11010519491231002X"
VALID_NAME = "王芳"
MODES = [Mode.IDCARD, Mode.CARD, Mode.PHOTO]


# ---- the real window: real flow, media, checks and client, the emulator in a child process ----

MEDIA_SUFFIXES = {".mp4", ".flv", ".wav", ".jpg", ".jpeg", ".png", ".h264", ".aac"}
# Shorter than the kiosk's defaults (5 s clip, 3-2-1) so the suite stays quick.
FAST = {"clip_seconds": 3.0, "countdown_seconds": 1}
SESSION_MS = 90_000


def media_files(root: Path) -> list[Path]:
    """Clips, sound and pictures anywhere below ``root``."""
    return [p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES]


def assert_workspace_gone(w: MainWindow) -> None:
    """No session folder remains (the flow deletes it), so no media either."""
    sessions = w.paths.sessions_dir
    left = sorted(p.name for p in sessions.iterdir()) if sessions.exists() else []
    assert left == [], f"session folders left: {left}"


@pytest.fixture(scope="module")
def demo_service() -> Iterator[DemoService]:
    """One emulator process for the module (it starts in seconds and loads dlib once)."""
    service = DemoService()
    service.connection()  # listening before any person starts, as after a typed ID
    yield service
    service.stop()


@pytest.fixture
def real_window(qtbot: Any, languages: Any, tmp_path: Path,
                demo_service: DemoService) -> Iterator[Any]:
    """make(mode, camera, mic, **window kw) -> a MainWindow on the real flow in demo mode."""
    previous = tune_threads()  # as kiosk.ui.app.make_app does for the real application
    parts_made: list[Any] = []
    windows: list[MainWindow] = []

    def make(mode: Mode, camera: str | None = None, mic: str | None = None, **kw: Any) -> MainWindow:
        paths = Paths.under(tmp_path / "kiosk")
        settings = Settings(paths, env={})
        settings.assign("mode", mode.value)
        devices = FixedDevices([])
        parts = assemble(settings, paths, devices, camera=camera or sample_spec(),
                         mic=mic, flow_overrides=FAST, service=demo_service)
        parts_made.append(parts)
        assert parts.demo and parts.service is demo_service, "no credentials: demo mode"
        w = MainWindow(flow_factory=parts.flow_factory, settings=StoredSettings(settings),
                       devices=devices, languages=languages, demo=parts.demo, **kw)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        w.paths = paths
        windows.append(w)
        settle_heap()  # as kiosk.ui.app.run_gui does once its window is up
        return w

    yield make
    for w in windows:
        w.shutdown()
    for parts in parts_made:
        parts.close()
    sys.setswitchinterval(previous)
    gc.unfreeze()
    assert media_files(tmp_path) == [], "no clip, sound or picture may stay on disk"
