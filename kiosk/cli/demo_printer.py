"""``kiosk demo``'s console: each step of the flow and the result, as lines a person can follow."""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

from kiosk.cli.common import similarity_line
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

    def t(self, zh: str, en: str) -> str:
        """Text in the chosen language."""
        return zh if self.lang == "zh" else en

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
                self.line(self.t(f"  请读出数字：{code}", f"  read these digits aloud: {code}"))
            case Guidance() if self._step is Step.GUIDE:  # later ticks only repaint a preview
                self.guidance(event)
            case Countdown(n=n):
                self.line(f"  {n}…")
            case RecordingProgress(elapsed=elapsed, total=total):
                second = int(elapsed)
                if second != self._second:
                    self._second = second
                    self.line(self.t(f"  已录制 {second}/{total:g} 秒", f"  recorded {second}/{total:g} s"))
            case ChecksDone(findings=findings, blocked=blocked):
                for f in findings:
                    mark = "✗" if f.severity == "block" else "!"
                    self.line(f"  {mark} {f.code}: {self.t(f.message_zh, f.message_en)}")
                if not blocked:
                    self.line(self.t("  本地检查通过", "  local checks passed"))
            case UploadProgress(sent=sent, total=total):
                quarter = 4 * sent // total if total else 4
                if quarter != self._quarter:
                    self._quarter = quarter
                    self.line(self.t(f"  已上传 {sent * 100 // max(total, 1)}%（共 {total} 字节）",
                                     f"  sent {sent * 100 // max(total, 1)}% of {total} bytes"))
            case Finished(result=result):
                self.result(result)

    def guidance(self, g: Guidance) -> None:
        """Print when the face placement or the hints change, not on every frame."""
        hints = tuple(h.key for h in g.hints)
        if g.face_ok == self._face and hints == self._hints:
            return
        self._face, self._hints = g.face_ok, hints
        if g.face_ok:
            self.line(self.t("  面部位置合适", "  face placed right"))
        else:
            said = "; ".join(self.t(h.zh, h.en) for h in g.hints) or self.t("寻找面部…", "looking for a face…")
            self.line(self.t(f"  提示：{said}", f"  hint: {said}"))

    def result(self, r: Result) -> None:
        """The verdict, the numbers behind it, what to do."""
        head = {"passed": self.t("通过", "PASS"), "failed": self.t("未通过", "FAIL"),
                "blocked": self.t("未上传", "BLOCKED"), "refused": self.t("被拒绝", "REFUSED"),
                "cancelled": self.t("已取消", "CANCELLED"), "error": self.t("错误", "ERROR")}
        if r.outcome == "error":  # the CLI's one-line error format, on stderr
            print(f"error: {r.text(self.lang)}", file=sys.stderr, flush=True)
        else:
            self.line(f"{head[r.outcome]}{self.t('：', ': ')}{r.text(self.lang)}")
        if r.similarity is not None:
            self.line(similarity_line(self.lang, r.similarity, r.threshold))
        if r.live_status is not None:
            self.line(self.t(f"  活体检测：{r.live_status} {r.live_msg}",
                             f"  liveness: {r.live_status} {r.live_msg}"))
        if r.compare_status is not None:
            self.line(self.t(f"  人脸比对：{r.compare_status} {r.compare_msg}",
                             f"  comparison: {r.compare_status} {r.compare_msg}"))
        if r.best_frame:
            self.line(self.t(f"  服务返回最佳帧 {len(r.best_frame)} 字节",
                             f"  best frame from the service: {len(r.best_frame)} bytes JPEG"))
        if r.session_id:
            self.line(f"  session_id {r.session_id}")
        if not r.recorded:  # after the verdict, in the CLI's one-line error format
            print(f"error: {NotRecorded().text(self.lang)}", file=sys.stderr, flush=True)
