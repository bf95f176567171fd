"""``kiosk demo``'s console: each step of the flow and the result, as lines a person can follow."""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

from kiosk.cli import messages
from kiosk.cli.common import say, similarity_line
from kiosk.errors import NotRecorded
from kiosk.flow import (
    ChecksDone,
    CodeReceived,
    Countdown,
    Finished,
    Guidance,
    RecordingProgress,
    Result,
    Step,
    StepChanged,
    UploadProgress,
)
from kiosk.texts import Message, Text, pick

# The head of a result's line, by outcome.
HEADS = {"passed": messages.OUTCOME_PASSED, "failed": messages.OUTCOME_FAILED,
         "blocked": messages.OUTCOME_BLOCKED, "refused": messages.OUTCOME_REFUSED,
         "cancelled": messages.OUTCOME_CANCELLED, "error": messages.OUTCOME_ERROR}


# "No picture from the camera" is said only when the first picture is this late: before it, every
# start would print it, and then "face placed" a moment later.
NO_PICTURE_GRACE_S = 1.0

class Printer:
    """A flow listener that prints each step and the result as lines (called on the worker)."""

    def __init__(self, lang: str, out: TextIO) -> None:
        self.lang = lang
        self.out = out
        self._lock = threading.Lock()
        self._face: bool | None = None
        self._hints: tuple[str, ...] = ()
        self._second = -1
        self._quarter = -1
        self._step: Step | None = None

    def t(self, message: Message | Text) -> str:
        """A message in the chosen language."""
        return say(self.lang, message)

    def line(self, text: str) -> None:
        """One line, flushed at once (the run is watched live)."""
        with self._lock:
            print(text, file=self.out, flush=True)

    def __call__(self, event: Any) -> None:
        match event:
            case StepChanged(step=step):
                self._step = step
                self.line(f"» {step.label(self.lang)}")
            case CodeReceived(code=code):
                self.line(self.t(messages.READ_DIGITS_ALOUD(code=code)))
            case Guidance() if self._step is Step.GUIDE:  # later ticks only repaint a preview
                self.guidance(event)
            case Countdown(n=n):
                self.line(f"  {n}…")
            case RecordingProgress(elapsed=elapsed, total=total):
                second = int(elapsed)
                if second != self._second:
                    self._second = second
                    self.line(self.t(messages.RECORDED_SO_FAR(second=second, total=total)))
            case ChecksDone(findings=findings, blocked=blocked):
                for f in findings:
                    mark = "✗" if f.severity == "block" else "!"
                    self.line(f"  {mark} {f.code}: {pick(self.lang, f.message_zh, f.message_en)}")
                if not blocked:
                    self.line(self.t(messages.LOCAL_CHECKS_PASSED))
            case UploadProgress(sent=sent, total=total):
                quarter = 4 * sent // total if total else 4
                if quarter != self._quarter:
                    self._quarter = quarter
                    self.line(self.t(messages.SENT_SO_FAR(percent=sent * 100 // max(total, 1),
                                                          total=total)))
            case Finished(result=result):
                self.result(result)

    def guidance(self, g: Guidance) -> None:
        """Print when the face placement or the hints change, not on every frame."""
        if g.frame is None and g.waited < NO_PICTURE_GRACE_S:
            return  # the camera's first picture is on its way: not worth a line yet
        hints = tuple(h.key for h in g.hints)
        if g.face_ok == self._face and hints == self._hints:
            return
        self._face, self._hints = g.face_ok, hints
        if g.face_ok:
            self.line(self.t(messages.FACE_PLACED))
        else:
            said = ("; ".join(pick(self.lang, h.zh, h.en) for h in g.hints)
                    or self.t(messages.LOOKING_FOR_A_FACE))
            self.line(self.t(messages.HINT(hints=said)))

    def result(self, r: Result) -> None:
        """The verdict, the numbers behind it, what to do."""
        if r.outcome == "error":  # the CLI's one-line error format, on stderr
            print(f"error: {r.text(self.lang)}", file=sys.stderr, flush=True)
        else:
            colon = pick(self.lang, "：", ": ")
            self.line(f"{self.t(HEADS[r.outcome])}{colon}{r.text(self.lang)}")
        if r.similarity is not None:
            self.line(similarity_line(self.lang, r.similarity, r.threshold))
        if r.live_status is not None:
            self.line(self.t(messages.LIVENESS(status=r.live_status, message=r.live_msg)))
        if r.compare_status is not None:
            self.line(self.t(messages.COMPARISON(status=r.compare_status,
                                                 message=r.compare_msg)))
        if r.best_frame:
            self.line(self.t(messages.BEST_FRAME(size=len(r.best_frame))))
        if r.session_id:
            self.line(f"  session_id {r.session_id}")
        if not r.recorded:  # after the verdict, in the CLI's one-line error format
            print(f"error: {NotRecorded().text(self.lang)}", file=sys.stderr, flush=True)
