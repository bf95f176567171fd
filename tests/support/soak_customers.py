"""The soak's customers: what each does at the window, step by step, and the outcome it must get.

A customer is a generator of steps (``Until`` a condition, or ``Sleep``); tests/benchmarks/soak.py
runs it from Qt timers, so the window's event loop runs between steps as it does for a person.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.soak_service import Emulator, Network
from tests.support.soak_watch import Session

PASSING = ("11010519491231002X", "王芳")  # the sample clip's person (assets/people.json)
OTHER = ("440304198510156428", "李娜")  # enrolled, but not the person in the clip
SESSION_TIMEOUT_S = 90.0


class Stuck(Exception):
    """A customer's step did not happen in time."""


@dataclass
class Until:
    pred: Callable[[], bool]
    timeout: float


@dataclass
class Sleep:
    seconds: float


Steps = Generator[Any, Any, None]


@dataclass
class Customer:
    """Who comes to the counter: what they do (a generator of steps) and the audit outcome."""

    name: str
    run: Callable[[Harness], Steps]
    expected: tuple[str, ...]


class Harness:
    """The window, its service, and the invariants."""

    def __init__(self, window: Any, paths: Any, emulator: Emulator, network: Network,
                 media: dict[str, str], root: Path, preview_s: float) -> None:
        self.w, self.paths, self.emulator, self.network = window, paths, emulator, network
        self.media, self.root, self.preview_s = media, root, preview_s
        self.endpoint = ""
        self.camera = ""
        self.quiet = False
        self.current: Session | None = None
        self.stale: list[str] = []
        self._last_beat = time.perf_counter()
        self._stall = (0.0, "")
        self.default_idle = (window.idle.idle_ms, window.idle.warn_ms)
        window.screen_changed.connect(self._screen_changed)

    # -- what the person does
    def click(self, button: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        if not (button.isVisible() and button.isEnabled()):
            raise Stuck(f"button {button.objectName()} not clickable on {self.w.current()}")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def until(self, pred: Callable[[], bool], timeout: float, what: str) -> Steps:
        ok = yield Until(pred, timeout)
        if not ok:
            step = self.flow_step()
            raise Stuck(f"{what} not reached in {timeout:g} s (screen {self.w.current()}, step {step})")

    def flow_step(self) -> str:
        flow = self.w._flow
        return flow.step.value if flow is not None and flow.step is not None else "-"

    def flow_running(self) -> bool:
        return self.w._flow is not None and bool(self.w._flow.running)

    def use(self, endpoint: str, camera: str) -> None:
        """The operator's panel: the service address and camera for the next sessions."""
        changes = {}
        if endpoint != self.endpoint:
            changes["endpoint"] = endpoint
        if camera != self.camera:
            changes["camera"] = camera
        if changes:
            self.w.save_settings(changes)
            self.endpoint, self.camera = endpoint, camera

    def enter(self, who: tuple[str, str]) -> Steps:
        from PySide6.QtTest import QTest

        self.click(self.w.welcome.start)
        yield from self.until(lambda: self.w.current() == "details", 5, "details screen")
        QTest.keyClicks(self.w.details.id_number, who[0])
        self.w.details.name.setText(who[1])  # QtTest types ASCII only; Chinese comes from an IME
        self.click(self.w.details.go)
        yield from self.until(lambda: self.w.current() == "consent", 5, "consent screen")
        self.click(self.w.consent.agree)

    def to_preview(self, who: tuple[str, str] = PASSING) -> Steps:
        yield from self.enter(who)
        yield from self.until(lambda: self.w.current() == "capture"
                              and self.w.capture.video.has_frame(), 30, "live preview")

    def press_ready(self) -> Steps:
        """Press "I am ready" once it can be (face placed, voice heard), unless the session ended."""
        go = self.w.capture.go
        yield from self.until(lambda: self.w.current() != "capture" or go.isEnabled(), 20,
                              f"ready enabled (it says: {go.text()})")
        if self.w.current() == "capture":  # a failed camera may have ended the session already
            self.click(go)

    def staff_skips_voice_test(self) -> Steps:
        """No voice comes: after the kiosk's wait, a member of staff skips the voice test."""
        yield from self.until(self.w.capture.skip_voice.isVisible, 20, "the staff's voice skip")
        self.click(self.w.capture.skip_voice)

    def ready_and_wait(self, *screens: str) -> Steps:
        yield from self.press_ready()
        yield from self.until(lambda: self.w.current() in screens and not self.flow_running(),
                              SESSION_TIMEOUT_S, "/".join(screens))

    def to_upload(self) -> Steps:
        """Through the slow link, from the welcome screen to the clip being uploaded."""
        self.use(self.network.urls["slow"], self.media["sample"])
        yield from self.to_preview()
        yield from self.press_ready()
        yield from self.until(self.in_upload, 40, "upload")

    def ends_without_code(self, endpoint: str, why: str) -> Steps:
        """The details entered; the code request fails, so the result comes without a preview."""
        self.use(endpoint, self.media["sample"])
        yield from self.enter(PASSING)
        yield from self.until(lambda: self.w.current() in ("result", "checks")
                              and not self.flow_running(), SESSION_TIMEOUT_S, f"result ({why})")

    def in_upload(self) -> bool:
        return self.w.current() == "busy" and self.flow_step() == "upload"

    # -- watching
    def start_watching(self) -> None:
        """Count stalls from the event loop's first turn. The set-up before it (the heap settled
        by a full collection) is no stall of the window's, yet it was counted as one: session 1
        "stalled 100-120 ms on the details screen" (CI and fresh clones), 26-52 ms without it."""
        self._last_beat = time.perf_counter()

    def beat(self) -> None:
        now = time.perf_counter()
        gap, self._last_beat = now - self._last_beat, now
        if gap > self._stall[0]:
            self._stall = (gap, f"screen {self.w.current()}, step {self.flow_step()}")

    def _screen_changed(self, name: str) -> None:
        if self.quiet:
            self.stale.append(f"screen changed to {name!r} with no session running")

    def back_to_welcome(self) -> Steps:
        w = self.w
        screen = w.current()
        if screen == "result":
            self.click(w.result.finish)
        elif screen == "checks":
            self.click(w.checks.cancel)
        elif screen != "welcome":
            w.reset()  # a stuck session: what the idle timeout would do
        yield from self.until(lambda: w.current() == "welcome" and not self.flow_running(),
                              SESSION_TIMEOUT_S, "welcome with the flow ended")

    def audit_rows(self) -> list[tuple[int, str]]:
        db = self.paths.audit_db
        if not db.exists():
            return []
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return [(int(r[0]), str(r[1]))
                    for r in con.execute("SELECT id, outcome FROM verifications ORDER BY id")]
        finally:
            con.close()


def customers(preview_s: float) -> list[Customer]:
    """The counter's day, in order; each ends on its final screen with its flow ended."""

    def passes(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["sample"])
        yield from h.to_preview()
        yield Sleep(1.0)
        yield from h.ready_and_wait("result")

    def wrong_person(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["sample"])
        yield from h.to_preview(OTHER)
        yield Sleep(1.0)
        yield from h.ready_and_wait("result")

    def silence(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["silent"])
        yield from h.to_preview()
        yield from h.staff_skips_voice_test()  # the voice test cannot pass a muted microphone
        yield from h.ready_and_wait("checks", "result")

    def out_of_oval(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["offside"])
        yield from h.to_preview()
        yield Sleep(2.0)  # they do not move into the oval: Ready stays off and says why
        if h.w.capture.go.isEnabled():
            raise Stuck("ready enabled with the face far outside the oval")
        h.click(h.w.capture.cancel)  # and they give up
        yield from h.until(lambda: h.w.current() == "welcome" and not h.flow_running(), 20,
                           "welcome after cancel")

    def walks_away(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["sample"])
        yield from h.to_preview()
        h.w.idle.idle_ms, h.w.idle.warn_ms = 2000, 2000
        h.w.idle.extend()  # count from now with the short spell
        yield from h.until(h.w.idle_warning.isVisible, 10, "idle warning")
        yield from h.until(lambda: h.w.current() == "welcome" and not h.flow_running(), 20,
                           "idle reset to welcome")

    def cancels_recording(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["sample"])
        yield from h.to_preview()
        yield from h.press_ready()
        yield from h.until(lambda: h.w.capture.progress.value() > 0, 20, "recording")
        yield Sleep(0.5)
        h.click(h.w.capture.cancel)

    def cancels_upload(h: Harness) -> Steps:
        yield from h.to_upload()
        yield Sleep(0.8)
        h.click(h.w.busy.cancel)

    def long_preview(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["sample"])
        yield from h.to_preview()
        # Nobody touches the screen: the operator set a long idle timeout for this counter.
        h.w.idle.idle_ms = int((preview_s + 60) * 1000)
        h.w.idle.extend()
        yield Sleep(preview_s)
        if h.w.current() != "capture" or not h.w.capture.video.has_frame():
            raise Stuck(f"left the preview after {preview_s:g} s: on {h.w.current()}")
        yield from h.ready_and_wait("result")

    def network_down(h: Harness) -> Steps:
        yield from h.ends_without_code(h.network.urls["down"], "the service is unreachable")

    def slow_network(h: Harness) -> Steps:
        h.use(h.network.urls["slow"], h.media["sample"])
        yield from h.to_preview()
        yield Sleep(1.0)
        yield from h.ready_and_wait("result")

    def garbage(h: Harness) -> Steps:
        yield from h.ends_without_code(h.network.urls["garbage"], "the code request got garbage")

    def emulator_restarts(h: Harness) -> Steps:
        yield from h.to_upload()
        yield Sleep(0.5)
        h.emulator.restart()
        yield from h.until(lambda: h.w.current() == "result" and not h.flow_running(),
                           SESSION_TIMEOUT_S, "result after the service went away")
        yield from h.until(h.emulator.ready.is_set, 60, "the emulator back")

    def camera_ends_early(h: Harness) -> Steps:
        h.use(h.emulator.url, h.media["cut"])
        yield from h.to_preview()
        yield Sleep(1.0)
        yield from h.ready_and_wait("checks", "result")

    return [
        Customer("passes", passes, ("pass",)),
        Customer("wrong person", wrong_person, ("fail",)),
        Customer("silence", silence, ("blocked",)),
        Customer("face out of the oval", out_of_oval, ("cancelled",)),
        Customer("walks away (idle reset)", walks_away, ("cancelled",)),
        Customer("cancels while recording", cancels_recording, ("cancelled",)),
        Customer("cancels during upload", cancels_upload, ("cancelled",)),
        Customer("network down", network_down, ("error",)),
        Customer("slow network", slow_network, ("pass",)),
        Customer("service answers garbage", garbage, ("error",)),
        Customer("emulator restarted mid-upload", emulator_restarts, ("error",)),
        # A file: source plays to its last whole frame and starts over, like a short file.
        Customer("camera file ends early (cut mid-stream)", camera_ends_early, ("pass",)),
        Customer(f"leaves the screen on the preview ({preview_s:g} s)", long_preview, ("pass",)),
    ]
