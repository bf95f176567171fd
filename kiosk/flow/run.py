"""One run of the flow, step by step, on the worker thread: details to upload, media kept private."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2

from kiosk import inputs
from kiosk.checks.findings import Finding, blocking
from kiosk.errors import InputError, KioskError, MediaError, ServiceError
from kiosk.flow import verdict
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
from kiosk.flow.guide import guidance
from kiosk.flow.ports import CapturePort, ChecksPort, ClientPort, Sleeper, WorkspacePort
from kiosk.flow.settings import FlowSettings

log = logging.getLogger("kiosk.flow")

# Multipart framing and the text fields around the files; check_clip adds it to the clip's size.
FORM_OVERHEAD_BYTES = 2048
# No new camera picture for this long during preview or recording: the camera is gone.
FRAME_TIMEOUT_S = 5.0
# The service's answer to digits that expired or were used (the catalog calls it "invalid
# parameter"; the details were checked locally before anything was sent).
STALE_CODE = 21
# A recording must finish within its length plus this, or the recorder is stuck.
RECORD_GRACE_S = 20.0
# Progress events while recording, per second: enough for a smooth bar, few enough to be cheap.
PROGRESS_HZ = 10.0


class Aborted(BaseException):
    """Raised on the worker to unwind a run after cancel() (BaseException: no handler swallows it)."""


class Flags:
    """The commands' effect, shared by the caller's threads and the worker."""

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self.ready = threading.Event()
        self.wake = threading.Event()  # set by every command, so waits end at once


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
        flags: Flags,
        clock: Callable[[], float],
        sleeper: Sleeper,
        on_step: Callable[[Step], None],
    ) -> None:
        self.details = details
        self.client = client
        self.capture_factory = capture_factory
        self.workspace_factory = workspace_factory
        self.checks = checks
        self.settings = settings
        self.emit = emit
        self.flags = flags
        self.clock = clock
        self.sleeper = sleeper
        self.on_step = on_step
        self.seq = uuid.uuid4().hex
        self.code = ""
        self.step: Step | None = None
        self.durations: dict[Step, float] = {}
        self._step_started = clock()
        self.capture: CapturePort | None = None
        self.workspace: WorkspacePort | None = None
        self.recording: Any = None
        self._last_frame_key: Any = None
        self._last_frame_at = 0.0
        self._last_emit_at = float("-inf")
        self._next_emit_at = float("-inf")
        self._feedback: Any = None
        self._analysed_at = float("-inf")
        self._face_ok = False

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
        if self.flags.cancel.is_set():
            raise Aborted

    def pause(self, seconds: float) -> None:
        """Wait up to ``seconds`` unless a command arrives; then unwind if it was cancel()."""
        self.flags.wake.clear()
        self.check_cancel()
        self.sleeper(self.flags.wake, seconds)
        self.check_cancel()

    def extra(self) -> dict[str, Any]:
        """The fields every Result of this run carries."""
        return {"seq": self.seq, "validate_data": self.code}

    def cleanup(self) -> None:
        """Stop the recording and the capture, delete the workspace. Never raises."""
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
        return self.video_mode(findings)

    def details_findings(self) -> list[Finding]:
        """ID number and name (photo, idcard), card image (card): what the service would refuse."""
        d = self.details
        findings: list[Finding] = []
        if d.mode.needs_identity:
            findings += self.checks.identity(d.id_number, d.name)
        if d.mode.needs_card:
            if d.card is None:
                raise InputError("the card mode needs a card photo", "证件照比对模式需要证件照",
                                 fix_en="choose the card photo file or take it with the camera",
                                 fix_zh="请选择证件照文件或用摄像头拍摄")
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
        d = self.details
        self.enter(Step.CODE)
        self.open_capture()
        self.code = str(self.client.livegetfour(seq=self.seq))
        self.check_cancel()
        self.emit(CodeReceived(self.code))
        self.guide_and_count(ready=ready)
        self.enter(Step.RECORD)
        clip = self.record_clip()
        self.capture_off()
        self.enter(Step.CHECKS)
        card = _read(d.card, "card") if d.card is not None else None
        extra_body = FORM_OVERHEAD_BYTES + (len(card) if card else 0)
        findings = findings + self.checks.clip(clip, extra_body)
        self.check_cancel()
        if blocking(findings):
            return self.blocked(findings)
        self.emit(ChecksDone(tuple(findings), False))
        self.enter(Step.UPLOAD)
        progress = self.progress_reporter()
        if d.mode is Mode.CARD:
            reply = self.client.livedetectfour(clip, self.code, card=card, compare_flag=True,
                                               seq=self.seq, progress=progress)
        else:
            reply = self.client.idcardlivedetectfour(clip, self.code, d.id_number, d.name,
                                                     seq=self.seq, progress=progress)
        self.check_cancel()
        return verdict.from_reply(d.mode, reply, self.settings.threshold,
                                  findings=tuple(findings), **self.extra())

    def photo_mode(self, findings: list[Finding]) -> Result:
        """A still from the camera unless given, its checks, then idcardcompare."""
        d = self.details
        if d.photo is None:
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
        self.emit(UploadProgress(0, len(photo)))
        reply = self.client.idcardcompare(d.id_number, d.name, image=photo)
        self.check_cancel()
        self.emit(UploadProgress(len(photo), len(photo)))
        return verdict.from_reply(d.mode, reply, self.settings.threshold,
                                  findings=tuple(findings), **self.extra())

    # ---- capture ------------------------------------------------------------------------

    def open_capture(self) -> None:
        """Open camera and microphone (and the workspace the recording goes to)."""
        self.workspace = self.workspace_factory()
        self.capture = self.capture_factory()
        self.capture.start()
        self._last_frame_at = self.clock()
        self.check_cancel()

    def capture_off(self) -> None:
        """Release camera and microphone as soon as they are no longer needed."""
        cap, self.capture = self.capture, None
        if cap is not None:
            cap.stop()

    def tick(self, *, waited: float = 0.0, auto_in: float | None = None) -> bool:
        """Look at the camera once; a new picture goes out as Guidance. True when the face fits.

        Called several times per camera frame (see ``poll_interval``) so that every new picture is
        passed on soon after it arrives, none twice. The face check runs on at most
        ``analysis_fps`` of them; the pictures between reuse its last feedback.
        """
        assert self.capture is not None
        error = getattr(self.capture, "error", None)
        if isinstance(error, KioskError):  # a reader thread lost the camera or the microphone
            raise error
        frame = self.capture.latest_frame()
        now = self.clock()
        key = None if frame is None else (id(frame), getattr(frame, "ts", None))
        if frame is None or key == self._last_frame_key:
            if now - self._last_frame_at > FRAME_TIMEOUT_S:
                raise MediaError(
                    f"the camera sent no picture for {FRAME_TIMEOUT_S:.0f} s",
                    f"摄像头 {FRAME_TIMEOUT_S:.0f} 秒内没有画面",
                    fix_en="check the camera's cable and that no other program uses it, then "
                           "try again",
                    fix_zh="请检查摄像头连接，并确认没有其他程序占用后重试")
            if frame is None and now - self._last_emit_at >= self.preview_interval():
                self._last_emit_at = now  # "no picture yet", at the preview's pace
                self.emit(guidance(None, None, self.capture.level_dbfs(),
                                   self.settings.voice_floor_dbfs, waited=waited, auto_in=auto_in))
            return self._face_ok
        self._last_frame_key, self._last_frame_at = key, now
        # Pictures go out on a grid of preview_interval; a camera faster than the preview is
        # thinned to it, one at the preview's rate keeps every picture despite late wake-ups.
        interval = self.preview_interval()
        slack = 0.3 * interval
        if now < self._next_emit_at - slack:
            return self._face_ok
        self._next_emit_at = max(self._next_emit_at + interval, now - slack)
        image = frame.image
        if self._feedback is None or now - self._analysed_at >= 1.0 / max(
                0.1, self.settings.analysis_fps):
            self._feedback = self.checks.frame(image)
            self._analysed_at = now
        g = guidance(self._feedback, image, self.capture.level_dbfs(),
                     self.settings.voice_floor_dbfs, waited=waited, auto_in=auto_in)
        self._last_emit_at = now
        self._face_ok = g.face_ok
        self.emit(g)
        return g.face_ok

    def preview_interval(self) -> float:
        """Seconds between two preview pictures at most ``preview_fps``."""
        return 1.0 / max(1.0, self.settings.preview_fps)

    def poll_interval(self) -> float:
        """How often the camera is looked at: four times per preview picture.

        A look costs microseconds; looking often means a late wake-up on a busy machine still
        comes before the camera's next picture replaces the one not yet passed on.
        """
        return self.preview_interval() / 4

    def guide_and_count(self, *, ready: bool = False) -> None:
        """GUIDE until ready() (or the policy says go), then the COUNTDOWN, preview running.

        ``ready``: the person said so already (a second round for new digits): straight on to the
        countdown, which shows the new digits.
        """
        if ready:
            self.flags.ready.set()
        else:
            self.flags.ready.clear()  # a ready() sent before guidance began does not skip it
        self.enter(Step.GUIDE)
        policy = self.settings.guidance
        interval = self.poll_interval()
        start = self.clock()
        placed_since: float | None = None
        while True:
            self.check_cancel()
            waited = self.clock() - start
            if self.flags.ready.is_set():
                break
            auto_in = max(0.0, policy.max_wait - waited) if policy.auto_continue else None
            face_ok = self.tick(waited=waited, auto_in=auto_in)
            now = self.clock()
            placed_since = (placed_since if placed_since is not None else now) if face_ok else None
            if policy.auto_continue and placed_since is not None and now - placed_since >= policy.settle:
                break
            if policy.max_wait > 0 and waited >= policy.max_wait:
                if policy.auto_continue:
                    log.info("guidance: face not confirmed in %.1f s, continuing", waited)
                    break
                raise GuidanceTimeoutError(waited)
            self.pause(interval)
        self.flags.ready.clear()
        self.enter(Step.COUNTDOWN)
        for n in range(self.settings.countdown_seconds, 0, -1):
            self.emit(Countdown(n))
            self.preview_for(1.0, interval)

    def preview_for(self, seconds: float, interval: float) -> None:
        """Keep the preview going for ``seconds``."""
        until = self.clock() + seconds
        while True:
            self.tick()
            left = until - self.clock()
            if left <= 0:
                return
            self.pause(min(interval, left))

    def record_clip(self) -> Path:
        """Record the clip into the workspace, preview and progress running; its path."""
        assert self.capture is not None and self.workspace is not None
        total = self.settings.clip_seconds
        fmt = self.settings.clip_format
        out = self.workspace.path / f"clip.{fmt}"
        interval = self.poll_interval()
        start = self.clock()
        told = float("-inf")
        self.recording = self.capture.record(out, seconds=total, fmt=fmt)
        while not self.recording.done():
            self.tick()
            now = self.clock()
            if now - told >= 1.0 / PROGRESS_HZ:
                told = now
                self.emit(RecordingProgress(min(float(self.recording.elapsed), total), total))
            if now - start > total + RECORD_GRACE_S:
                raise MediaError(
                    "the recording did not finish", "录制未能结束",
                    fix_en="try again; if it repeats, check the camera and run 'kiosk doctor'",
                    fix_zh="请重试；如反复出现，请检查摄像头并运行 'kiosk doctor'")
            self.pause(interval)
        path = Path(self.recording.wait(timeout=RECORD_GRACE_S))
        self.recording = None
        self.emit(RecordingProgress(total, total))
        return path

    def take_still(self) -> bytes:
        """The latest camera picture as JPEG (photo mode without a given photo)."""
        assert self.capture is not None
        frame = self.capture.latest_frame()
        if frame is None:
            raise MediaError("no picture from the camera", "摄像头没有画面",
                             fix_en="check the camera and try again", fix_zh="请检查摄像头后重试")
        ok, buf = cv2.imencode(".jpg", frame.image, [cv2.IMWRITE_JPEG_QUALITY, 92])
        if not ok:
            raise MediaError("could not encode the photo", "无法编码照片",
                             fix_en="try again", fix_zh="请重试")
        return bytes(buf)

    def progress_reporter(self) -> Callable[[int, int], None]:
        """Upload progress as events, at most PROGRESS_HZ a second and the end; cancel() aborts."""
        told_at = [float("-inf")]
        told_sent = [-1]

        def report(sent: int, total: int) -> None:
            if self.flags.cancel.is_set():
                raise Aborted
            now = self.clock()
            finished = sent >= total
            if sent == told_sent[0] or not (finished or now - told_at[0] >= 1.0 / PROGRESS_HZ):
                return
            told_at[0], told_sent[0] = now, sent
            self.emit(UploadProgress(sent, total))

        return report


class GuidanceTimeoutError(Exception):
    """Nobody pressed start within the guidance cap (counter policy)."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"no start after {waited:.0f} s")
        self.waited = waited


def _read(value: bytes | Path, role: str) -> bytes:
    """Image bytes from bytes or a file; InputError naming the file when it cannot be read."""
    if isinstance(value, bytes):
        return value
    what = ("card photo", "证件照") if role == "card" else ("photo", "照片")
    return inputs.read_input(value, limit=inputs.MEDIA_LIMIT, what=what)


__all__ = ["Aborted", "Flags", "GuidanceTimeoutError", "Run"]
