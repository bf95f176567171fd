"""One run of the flow, step by step, on the worker thread: details to upload, media kept private.

The worker waits on one :class:`~kiosk.flow.inbox.Inbox` and nothing else: the capture's news of a
new picture, the person's ready and cancel, the service call's progress and end. Timeouts of that
wait are the run's real deadlines only (a countdown second, a progress tick, the guidance cap);
nothing polls.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import cv2

from kiosk import inputs
from kiosk.api import messages as api_messages
from kiosk.checks.findings import Finding, blocking
from kiosk.errors import InputError, MediaError, ServiceError
from kiosk.flow import messages, verdict
from kiosk.flow.events import (
    ChecksDone,
    CodeReceived,
    Countdown,
    Details,
    Mode,
    RecordingProgress,
    Result,
    Step,
    StepChanged,
    UploadProgress,
    mask_id,
)
from kiosk.flow.inbox import Done, Inbox, Message, Sent
from kiosk.flow.ports import CapturePort, ChecksPort, ClientPort, WorkspacePort
from kiosk.flow.preview import Preview
from kiosk.flow.settings import FlowSettings

log = logging.getLogger("kiosk.flow")

# Multipart framing and the text fields around the files; check_clip adds it to the clip's size.
FORM_OVERHEAD_BYTES = 2048
# The service's answer to digits that expired or were used (the catalog calls it "invalid
# parameter"; the details were checked locally before anything was sent).
STALE_CODE = 21
# A recording must finish within its length plus this, or the recorder is stuck.
RECORD_GRACE_S = 20.0
# Progress events while recording, per second: enough for a smooth bar, few enough to be cheap.
PROGRESS_HZ = 10.0
# After a cancel, how long the cleanup waits for the call in flight before deleting the media it
# may still hold open: abort() ends it at once; one that ignores abort is left to run out alone.
CALL_GRACE_S = 0.5

T = TypeVar("T")


class Aborted(BaseException):
    """Raised on the worker to unwind a run after cancel() (BaseException: no handler swallows it)."""


class Run:
    """Executes the steps of one verification; the caller turns its outcome into a Result."""

    def __init__(
        self,
        details: Details,
        *,
        client: ClientPort,
        capture_factory: Callable[[], CapturePort],
        workspace_factory: Callable[[], WorkspacePort],
        checks: ChecksPort,
        settings: FlowSettings,
        emit: Callable[[Any], None],
        inbox: Inbox,
        clock: Callable[[], float],
        on_step: Callable[[Step], None],
        seq: str,
    ) -> None:
        self.details = details
        self.client = client
        self.capture_factory = capture_factory
        self.workspace_factory = workspace_factory
        self.checks = checks
        self.settings = settings
        self.emit = emit
        self.inbox = inbox
        self.clock = clock
        self.on_step = on_step
        self.seq = seq
        self.code = details.code  # the digits of a supplied clip; fetched when recording
        self.step: Step | None = None
        self.durations: dict[Step, float] = {}
        self._step_started = clock()
        self.capture: CapturePort | None = None
        self.workspace: WorkspacePort | None = None
        self.recording: Any = None
        self._call: threading.Thread | None = None  # the service call in flight
        self.preview = Preview(settings, checks, emit, clock)

    # ---- bookkeeping --------------------------------------------------------------------

    def enter(self, step: Step) -> None:
        """Close the timing of the current step and announce the next."""
        now = self.clock()
        if self.step is not None:
            self.durations[self.step] = self.durations.get(self.step, 0.0) + now - self._step_started
        previous, self.step, self._step_started = self.step, step, now
        self.on_step(step)
        self.emit(StepChanged(step, previous))

    def finish_timing(self) -> None:
        """Account the time of the last step before the result."""
        if self.step is not None:
            self.durations[self.step] = (self.durations.get(self.step, 0.0)
                                         + self.clock() - self._step_started)
            self._step_started = self.clock()

    def check_cancel(self) -> None:
        """Unwind now if cancel() was called."""
        if self.inbox.cancelled:
            raise Aborted

    def next_message(self, until: float | None) -> Message | None:
        """The next message, None at ``until`` (a time on the clock; None: no deadline).

        The one place the worker waits; a cancel unwinds the run from here.
        """
        self.check_cancel()
        message = self.inbox.get(None if until is None else until - self.clock())
        self.check_cancel()
        return message

    def call(self, what: Callable[[], T]) -> T:
        """A service call, run on a thread of its own while the worker waits on the inbox.

        A cancel ends the wait at once whatever the call does: Flow.cancel() aborts the client,
        which normally ends the call too, but a connection the abort missed no longer holds the
        run (and the next person) for the 60 s read timeout.
        """
        self.check_cancel()
        inbox = self.inbox

        def work() -> None:
            try:
                inbox.put(Done(value=what()))
            except BaseException as exc:  # raised again on the worker
                inbox.put(Done(error=exc))

        self._call = threading.Thread(target=work, name="kiosk-call", daemon=True)
        self._call.start()
        while True:
            message = self.next_message(None)
            if isinstance(message, Sent):
                self.emit(UploadProgress(message.sent, message.total))
            elif isinstance(message, Done):
                self._call = None
                if message.error is not None:
                    raise message.error
                return cast("T", message.value)

    def extra(self) -> dict[str, Any]:
        """The fields every Result of this run carries."""
        return {"seq": self.seq, "validate_data": self.code}

    def cleanup(self) -> None:
        """Stop the recording and the capture, delete the workspace. Never raises."""
        call, self._call = self._call, None
        if call is not None:  # cancelled: the upload may still hold the clip open
            call.join(CALL_GRACE_S)
        rec, self.recording = self.recording, None
        if rec is not None:
            try:
                if not rec.done():
                    rec.cancel()
            except Exception:  # cleanup must go on to the workspace whatever the recorder does
                log.warning("could not cancel the recording", exc_info=True)
        cap, self.capture = self.capture, None
        if cap is not None:
            try:
                cap.stop()
            except Exception:
                log.warning("could not stop the capture", exc_info=True)
        ws, self.workspace = self.workspace, None
        if ws is not None:
            try:
                ws.close()
            except Exception:
                log.error("could not delete the session workspace", exc_info=True)

    # ---- the steps ----------------------------------------------------------------------

    def execute(self) -> Result:
        """All steps of the details' mode; a Result for a verdict or a blocking finding."""
        d = self.details
        log.info("verification %s started: mode %s, id %s", self.seq[:8], d.mode.value,
                 mask_id(d.id_number) if d.id_number else "-")
        self.enter(Step.DETAILS)
        findings = self.details_findings()
        if blocking(findings):
            return self.blocked(findings)
        self.check_cancel()
        if d.mode is Mode.PHOTO:
            return self.photo_mode(findings)
        if d.mode.needs_card and d.card is None:  # card_camera: the card is filmed first
            from kiosk.flow.card import card_by_camera

            card, card_findings = card_by_camera(self)
            self.details = dataclasses.replace(d, card=card)
            findings += card_findings
        if d.clip is not None:  # recorded before, its digits given: checked and sent as it is
            return self.check_and_upload(d.clip, findings)
        return self.video_mode(findings)

    def details_findings(self) -> list[Finding]:
        """ID number and name (photo, idcard), card image (card): what the service would refuse.

        A supplied clip must be a file that can be read (PyAV and the upload open it by name).
        """
        d = self.details
        findings: list[Finding] = []
        if d.clip is not None:
            inputs.check_input(d.clip, limit=inputs.MEDIA_LIMIT, empty_ok=False,
                               what=(api_messages.VIDEO.en, api_messages.VIDEO.zh))
        if d.mode.needs_identity:
            findings += self.checks.identity(d.id_number, d.name)
        if d.mode.needs_card:
            if d.card is None and (d.clip is not None or not d.card_camera):
                raise InputError(messages.CARD_MODE_NEEDS_CARD())
            if d.card is not None:
                findings += self.checks.image(_read(d.card, "card"), "card")
        if d.mode is Mode.PHOTO and d.photo is not None:
            findings += self.checks.image(_read(d.photo, "photo"), "photo")
        return findings

    def blocked(self, findings: list[Finding]) -> Result:
        """Announce blocking findings and end the run without uploading."""
        self.emit(ChecksDone(tuple(findings), True))
        return verdict.from_findings(self.details.mode, findings, self.settings.threshold,
                                     **self.extra())

    def video_mode(self, findings: list[Finding]) -> Result:
        """Code, guidance, countdown, recording, clip checks, upload; once more on a stale code.

        Code 21 after an upload means the four digits were no longer valid: they expire (a person
        who stayed minutes on the preview) or were used already. The fix is new digits, which the
        kiosk can fetch itself, not the person's details: so the recording starts over once with
        a new code (straight to the countdown, which shows it: the person said ready already),
        and a second 21 is reported as it is.
        """
        try:
            return self.record_and_upload(findings)
        except ServiceError as exc:
            if exc.code != STALE_CODE:
                raise
        log.info("verification %s: the four digits were no longer valid (code %d): new digits, "
                 "recorded once more", self.seq[:8], STALE_CODE)
        self.end_recording_round()
        return self.record_and_upload(findings, ready=True)

    def end_recording_round(self) -> None:
        """Release the capture and delete the first clip before a second round."""
        self.capture_off()
        ws, self.workspace = self.workspace, None
        if ws is not None:
            ws.close()

    def record_and_upload(self, findings: list[Finding], *, ready: bool = False) -> Result:
        """One round: a code, the guidance, the recording, its checks and the upload."""
        self.enter(Step.CODE)
        if self.capture is None:  # the card step may have opened it already
            self.open_capture()
        self.code = str(self.call(lambda: self.client.livegetfour(seq=self.seq)))
        self.emit(CodeReceived(self.code))
        self.guide_and_count(ready=ready)
        self.enter(Step.RECORD)
        clip = self.record_clip()
        self.capture_off()
        return self.check_and_upload(clip, findings)

    def check_and_upload(self, clip: Path, findings: list[Finding]) -> Result:
        """The clip's checks and its upload with ``self.code``: recorded now, or supplied."""
        d = self.details
        self.enter(Step.CHECKS)
        # Only the card mode sends a card (the liveness-only mode compares with nothing).
        card = _read(d.card, "card") if d.card is not None and d.mode.needs_card else None
        extra_body = FORM_OVERHEAD_BYTES + (len(card) if card else 0)
        findings = findings + self.checks.clip(clip, extra_body)
        self.check_cancel()
        if blocking(findings):
            return self.blocked(findings)
        self.emit(ChecksDone(tuple(findings), False))
        self.enter(Step.UPLOAD)
        progress = self.progress_reporter()
        if d.mode in (Mode.CARD, Mode.LIVE):  # liveness alone: compare_flag false, no card
            reply = self.call(lambda: self.client.livedetectfour(
                clip, self.code, card=card, compare_flag=d.mode.compares, seq=self.seq,
                progress=progress))
        else:
            reply = self.call(lambda: self.client.idcardlivedetectfour(
                clip, self.code, d.id_number, d.name, seq=self.seq, progress=progress))
        return verdict.from_reply(d.mode, reply, self.settings.threshold,
                                  findings=tuple(findings), **self.extra())

    def photo_mode(self, findings: list[Finding]) -> Result:
        """A still from the camera unless given, its checks, then idcardcompare.

        With a ``url`` the service fetches the photo: there is nothing to read or check here.
        """
        d = self.details
        photo: bytes | None = None
        if d.url:
            self.enter(Step.CHECKS)
        elif d.photo is None:
            self.open_capture()
            self.guide_and_count()
            self.enter(Step.RECORD)
            photo = self.take_still()
            self.capture_off()
            self.enter(Step.CHECKS)
            findings = findings + self.checks.image(photo, "photo")
        else:
            photo = _read(d.photo, "photo")
            self.enter(Step.CHECKS)
        self.check_cancel()
        if blocking(findings):
            return self.blocked(findings)
        self.emit(ChecksDone(tuple(findings), False))
        self.enter(Step.UPLOAD)
        size = len(photo or b"")
        self.emit(UploadProgress(0, size))
        # The run's id as the service's session_id: its records and the audit row name one run.
        reply = self.call(lambda: self.client.idcardcompare(d.id_number, d.name, image=photo,
                                                            url=d.url or None, session_id=self.seq))
        self.emit(UploadProgress(size, size))
        return verdict.from_reply(d.mode, reply, self.settings.threshold,
                                  findings=tuple(findings), **self.extra())

    # ---- capture ------------------------------------------------------------------------

    def open_capture(self) -> None:
        """Open camera and microphone (and the workspace the recording goes to)."""
        self.workspace = self.workspace_factory()
        self.capture = self.capture_factory()
        self.capture.notify = self.inbox.frame  # before start(): no news is missed
        self.preview.attach(self.capture)
        self.capture.start()
        self.check_cancel()

    def capture_off(self) -> None:
        """Release camera and microphone as soon as they are no longer needed."""
        cap, self.capture = self.capture, None
        self.preview.attach(None)
        if cap is not None:
            cap.stop()

    def preview_step(self, until: float | None) -> Message | None:
        """Wait for one message until ``until``, the preview going on; the message or None.

        The capture's failure (camera or microphone lost, after the media layer's stall timeout)
        is raised here.
        """
        message = self.next_message(_earliest(until, self.preview.due()))
        self.preview.update()
        return message

    def guide_and_count(self, *, ready: bool = False) -> None:
        """GUIDE until ready() (or the policy says go), then the COUNTDOWN, preview running.

        ``ready``: the person said so already (a second round for new digits): straight on to the
        countdown, which shows the new digits.
        """
        self.inbox.clear()  # a ready() sent before the guidance began does not skip it
        self.enter(Step.GUIDE)
        if not ready:
            self.preview.guide_start = self.clock()
            if self.details.mode.uses_video:  # the person reads the digits aloud: hear them first
                self.preview.voice.begin(self.preview.guide_start)
            try:
                self.guide()
            finally:
                self.preview.guide_start = None
        self.enter(Step.COUNTDOWN)
        for n in range(self.settings.countdown_seconds, 0, -1):
            self.emit(Countdown(n))
            self.preview_for(1.0)

    def guide(self) -> None:
        """Preview with guidance until ready(), the face settled (auto-continue) or the cap."""
        start = self.preview.guide_start
        assert start is not None
        policy = self.settings.guidance
        cap = start + policy.max_wait if policy.max_wait > 0 else None
        placed_since: float | None = None
        while True:
            now = self.clock()
            settled = None
            if policy.auto_continue and placed_since is not None:
                settled = placed_since + policy.settle
                if now >= settled:
                    return
            if cap is not None and now >= cap:
                if self.preview.mic_fault is not None:  # what held the person: the microphone
                    raise self.preview.mic_fault
                waited = now - start
                if policy.auto_continue:
                    log.info("guidance: face not confirmed in %.1f s, continuing", waited)
                    return
                raise GuidanceTimeoutError(waited)
            if self.preview_step(_earliest(cap, settled)) == "ready":
                return
            if not self.preview.face_ok:
                placed_since = None
            elif placed_since is None:
                placed_since = self.clock()

    def preview_for(self, seconds: float) -> None:
        """Keep the preview going for ``seconds``."""
        until = self.clock() + seconds
        while self.clock() < until:
            self.preview_step(until)

    def record_clip(self) -> Path:
        """Record the clip into the workspace, preview and progress running; its path."""
        assert self.capture is not None and self.workspace is not None
        total = self.settings.clip_seconds
        fmt = self.settings.clip_format
        out = self.workspace.path / f"clip.{fmt}"
        give_up = self.clock() + total + RECORD_GRACE_S
        tell_at = float("-inf")
        self.recording = self.capture.record(out, seconds=total, fmt=fmt)
        while not self.recording.done():
            now = self.clock()
            if now >= tell_at:
                tell_at = now + 1.0 / PROGRESS_HZ
                self.emit(RecordingProgress(min(float(self.recording.elapsed), total), total))
            if now >= give_up:
                raise MediaError(messages.RECORDING_DID_NOT_FINISH())
            self.preview_step(min(tell_at, give_up))
        path = Path(self.recording.wait(timeout=RECORD_GRACE_S))
        self.recording = None
        self.emit(RecordingProgress(total, total))
        return path

    def take_still(self) -> bytes:
        """The latest camera picture as JPEG (photo mode without a given photo)."""
        assert self.capture is not None
        frame = self.capture.latest_frame()
        if frame is None:
            raise MediaError(messages.NO_STILL())
        ok, buf = cv2.imencode(".jpg", frame.image, [cv2.IMWRITE_JPEG_QUALITY, 92])
        if not ok:
            raise MediaError(messages.CANNOT_ENCODE_PHOTO())
        return bytes(buf)

    def progress_reporter(self) -> Callable[[int, int], None]:
        """Upload progress for the worker, at most PROGRESS_HZ a second and the end.

        Called on the call's thread: it only posts to the inbox (events come from the worker),
        and a cancel stops the sending of the body at the next chunk.
        """
        told_at = [float("-inf")]
        told_sent = [-1]

        def report(sent: int, total: int) -> None:
            if self.inbox.cancelled:
                raise Aborted
            now = self.clock()
            finished = sent >= total
            if sent == told_sent[0] or not (finished or now - told_at[0] >= 1.0 / PROGRESS_HZ):
                return
            told_at[0], told_sent[0] = now, sent
            self.inbox.put(Sent(sent, total))

        return report


class GuidanceTimeoutError(Exception):
    """Nobody pressed start within the guidance cap (counter policy)."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"no start after {waited:.0f} s")
        self.waited = waited


def _earliest(*times: float | None) -> float | None:
    """The first of the deadlines given (None: none)."""
    given = [t for t in times if t is not None]
    return min(given) if given else None


def _read(value: bytes | Path, role: str) -> bytes:
    """Image bytes from bytes or a file; InputError naming the file when it cannot be read."""
    if isinstance(value, bytes):
        return value
    label = messages.CARD_PHOTO if role == "card" else messages.PHOTO
    what = (label.en, label.zh)
    return inputs.read_input(value, limit=inputs.MEDIA_LIMIT, what=what, empty_ok=False)


__all__ = ["Aborted", "GuidanceTimeoutError", "Run"]
