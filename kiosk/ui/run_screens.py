"""The followed run's flow events on the screens, and what a Result shows (GUI thread).

The window follows one run at a time, known by the id ``Flow.start()`` returned; every event
carries its run's id (``seq``), so the late events of a run the window has left (the person
cancelled, the idle reset) are dropped here, whatever order they arrive in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtGui import QImage

from kiosk.api.codes import lookup
from kiosk.checks.findings import blocking
from kiosk.config.masking import mask_name
from kiosk.flow.audiences import reference, tell
from kiosk.flow.events import (
    CardTaken,
    ChecksDone,
    CodeReceived,
    Controller,
    Countdown,
    Details,
    Event,
    Guidance,
    Mode,
    RecordingProgress,
    Result,
    Step,
    StepChanged,
    UploadProgress,
    mask_id,
)
from kiosk.texts import pick
from kiosk.ui import messages
from kiosk.ui.screens.capture import CaptureScreen
from kiosk.ui.screens.result import ResultScreen, ResultView, Status
from kiosk.ui.screens.review import BusyScreen, ChecksScreen
from kiosk.ui.screens.welcome import WelcomeScreen

_BUSY_STEPS = {Step.CHECKS: "check", Step.UPLOAD: "upload", Step.CODE: "code"}


class RunScreens:
    """Paints the followed run's events on the capture, busy, checks and result screens."""

    def __init__(
        self,
        *,
        capture: CaptureScreen,
        busy: BusyScreen,
        checks: ChecksScreen,
        result: ResultScreen,
        show: Callable[[str], None],
        current: Callable[[], str],
        lang: Callable[[], str],
    ) -> None:
        self.capture, self.busy, self.checks, self.result = capture, busy, checks, result
        self._show, self._current, self._lang = show, current, lang
        self.run: str | None = None  # the id of the run followed
        self.next: Details | None = None  # to start once the run left has wound down
        self._photo = False
        self._code = ""

    def start(self, flow: Controller, details: Details) -> None:
        """Start a run of ``details`` and follow it; the busy screen at once (no dead Submit).

        While the run left still winds down, it is cancelled and this one waits in ``next``
        for its Finished; the capture screen, if showing, keeps its picture until then.
        """
        if not (flow.running and self._current() == "capture"):
            self.busy.show_step("code" if details.mode.uses_video else "photo")
            self._show("busy")
        if flow.running:
            self.leave()
            self.next = details
            flow.cancel()
            return
        self.follow(flow.start(details), details)

    def follow(self, run: str | None, details: Details) -> None:
        """Follow the run ``run`` (None: none) of ``details`` from now on."""
        self.run, self.next = run, None
        self._photo, self._code = details.mode is Mode.PHOTO, ""

    def leave(self) -> None:
        """Follow no run: the events still to come of the one left are dropped."""
        self.run, self.next, self._code = None, None, ""

    def follows(self, event: object) -> bool:
        """Whether ``event`` belongs to the run followed."""
        return self.run is not None and isinstance(event, Event) and event.seq == self.run

    def paint(self, event: object) -> None:
        """Route one event of the followed run (any other is dropped) to its screen."""
        if not self.follows(event):
            return
        match event:
            case StepChanged(step=step):
                self._step(step)
            case CodeReceived(code=code):
                self._code = code
            case CardTaken(jpeg=jpeg, findings=findings, blocked=blocked):
                lang = self._lang()
                shown = [f for f in findings if f.severity == "block"] if blocked else list(findings)
                self.capture.show_still(still_image(jpeg), [
                    pick(lang, f.message_zh, f.message_en) for f in shown], blocked)
            case Countdown(n=n):
                self.capture.show_countdown(n)
            case RecordingProgress(elapsed=elapsed, total=total):
                self.capture.show_recording(elapsed, total)
            case ChecksDone(findings=findings, blocked=blocked) if blocked:
                self.checks.show_findings(findings)
            case UploadProgress(sent=sent, total=total):
                self.busy.show_upload(sent, total)

    def _step(self, step: Step) -> None:
        if step is Step.CARD:  # the ID card held up to the camera, in the card frame
            self.capture.clear()
            self.capture.show_photo("card")
            self._show("capture")
        elif step is Step.GUIDE:
            if self._current() != "capture":
                self.capture.clear()
            self.capture.show_photo("face") if self._photo else self.capture.show_guide()
            self._show("capture")
        elif step is Step.COUNTDOWN:
            self.capture.show_digits("" if self._photo else self._code)
        elif step in _BUSY_STEPS:
            self.busy.show_step(_BUSY_STEPS[step])
            self._show("busy")

    def guidance(self, g: Guidance, image: QImage | None) -> None:
        """One preview tick of the followed run: the picture, the oval, hints, voice level and test."""
        if not self.follows(g) or self._current() != "capture" or self.capture.reviewing():
            return  # (the card's still stays on screen while the person decides)
        if image is not None:
            self.capture.set_frame(image)
        lang = self._lang()
        self.capture.set_voice(g.voice_test, g.voice_waited,  # first: the title may ask for it
                               pick(lang, g.mic_fault_zh, g.mic_fault_en))
        self.capture.set_feedback(g.face_ok, " ".join(pick(lang, h.zh, h.en) for h in g.hints))
        self.capture.set_level(g.level_dbfs)

    def show_result(self, result: Result, *, details: Details | None = None,
                    show_score: bool = False, seconds: float | None = None) -> None:
        """The followed run's end: the findings that blocked it, or the result screen.

        ``details``: whose run it was (the clerk's line masks them); ``seconds``: how long the
        result stays before the screen clears itself.
        """
        if result.outcome == "blocked" and result.recorded and blocking(list(result.findings)):
            self.checks.show_findings(result.findings)
            self._show("checks")
            return
        if result.outcome == "declined" and result.recorded:
            return  # the consent screen already says where to go
        self.result.show_result(result_view(result, details, show_score=show_score),
                                seconds=seconds)
        self._show("result")


def still_image(jpeg: bytes) -> QImage | None:
    """The card's still as a QImage, as it will be sent (not mirrored: its text reads right)."""
    image = QImage.fromData(jpeg)
    return None if image.isNull() else image


def result_view(r: Result, details: Details | None = None, *,
                show_score: bool = False) -> ResultView:
    """What the result screen shows for a flow result (kiosk.flow.audiences says the words)."""
    def status(code: int | None) -> Status | None:
        if code is None:
            return None
        entry = lookup(code)
        return Status(code, entry.zh, entry.en)

    told = tell(r)
    return ResultView(
        verdict=told.verdict, customer_zh=told.customer_zh, customer_en=told.customer_en,
        operator_zh=told.operator_zh, operator_en=told.operator_en,
        similarity=r.similarity, threshold=r.threshold, live=status(r.live_status),
        compare=status(r.compare_status), best_frame=r.best_frame, recorded=r.recorded,
        retry=told.retry, show_score=show_score,
        id_masked=mask_id(details.id_number) if details and details.id_number else "",
        name_masked=mask_name(details.name) if details and details.name else "",
        time=datetime.now().strftime("%H:%M"), reference=reference(r), compares=r.mode.compares,
        device_zh=told.clerk_zh, device_en=told.clerk_en)


def hold_welcome(welcome: WelcomeScreen, unseen: Result | None, lang: str) -> None:
    """Start disabled, with a message for the person, while an unrecorded result waits for the
    operator; enabled again once seen."""
    if unseen is None:
        welcome.set_hold("")
        return
    held, short = messages.HELD, messages.HELD_SHORT
    welcome.set_hold(pick(lang, held.zh, held.en), pick(lang, short.zh, short.en))


def unrecorded_note(r: Result, lang: str) -> str:
    """The operator's note on a result the audit log could not record."""
    outcome = messages.OUTCOMES.get(r.outcome)
    note = messages.UNRECORDED_NOTE(
        mode=r.mode.value, seq=r.seq[:8] or "-",
        outcome=outcome() if outcome else messages.OUTCOME_OTHER(outcome=r.outcome))
    return pick(lang, note.zh, note.en)


__all__ = ["RunScreens", "hold_welcome", "result_view", "unrecorded_note"]
