"""What ``kiosk verify`` prints and records: the verdict, blocking findings, the audit row."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from kiosk.cli import common
from kiosk.errors import KioskError, NotRecorded, RequestRefused, ServiceError

if TYPE_CHECKING:
    from kiosk.cli.verify import Job
    from kiosk.flow.events import Result

log = logging.getLogger("kiosk.cli.verify")


def blocks(findings: list[Any]) -> bool:
    """True when a finding stops the upload."""
    return any(f.severity == "block" for f in findings)


def verdict_of(job: Job, result: Any, threshold: float) -> Result:
    """The verdict as the GUI reads it (docs/protocol.md, "Reading the verdict")."""
    from kiosk.flow.events import Mode
    from kiosk.flow.verdict import from_reply

    return from_reply(Mode(job.mode), result, threshold, seq=job.seq, validate_data=job.code)


def print_findings(findings: list[Any], lang: str, *, as_json: bool) -> None:
    """The findings that stopped the upload (stdout), in the shape ``kiosk check`` prints."""
    if as_json:
        common.emit_json({"ok": False, "findings": [f.to_json() for f in findings]})
        return
    for f in findings:
        _finding_line(f, lang, sys.stdout)
    print(common.pick(lang, "未上传：服务会拒绝这次核验，请按上面的提示处理后重试。",
                      "NOT SENT: the service would refuse this; fix what is listed above and "
                      "try again (or --no-check to let the service judge)."))


def print_warnings(findings: list[Any], lang: str) -> None:
    """Findings that do not block, on stderr so stdout keeps only the verdict."""
    for f in findings:
        _finding_line(f, lang, sys.stderr)


def _finding_line(f: Any, lang: str, stream: Any) -> None:
    label = common.pick(lang, "阻止" if f.severity == "block" else "提醒", f.severity.upper())
    text = f.message_zh if lang == "zh" else f.message_en
    print(f"{label:5} {f.code:>6}  {text}", file=stream)


def print_verdict(r: Result, lang: str) -> None:
    """A readable summary in the person's language."""
    head = common.pick(lang, "【通过】" if r.passed else "【未通过】",
                       "PASSED: " if r.passed else "FAILED: ")
    print(f"{head}{r.text(lang)}")
    if r.live_status is not None:
        print(common.pick(lang, f"  活体检测：{r.live_status}（{r.live_msg or '—'}）",
                          f"  liveness: {r.live_status} ({r.live_msg or '-'})"))
    if r.compare_status is not None:
        print(common.pick(lang, f"  人脸比对：{r.compare_status}（{r.compare_msg or '—'}）",
                          f"  comparison: {r.compare_status} ({r.compare_msg or '-'})"))
    if r.similarity is not None:
        print(common.similarity_line(lang, r.similarity, r.threshold))
    if r.session_id:
        print(f"  session_id: {r.session_id}")
    if r.seq:
        print(f"  seq: {r.seq}")


class Audit:
    """Writes the one audit row of a ``kiosk verify`` (masked ID, no name, no media)."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.written = False
        self.missing: NotRecorded | None = None  # the row could be written nowhere

    def check(self) -> None:
        """After the verdict is printed: NotRecorded (exit 2) if its row could not be kept."""
        if self.missing is not None:
            raise self.missing

    def reraise(self, exc: BaseException, lang: str) -> None:
        """After a refusal or error: its own line, then NotRecorded when the row was not kept."""
        if self.missing is None or not isinstance(exc, KioskError):
            return
        print(f"error: {exc.text(lang)}", file=sys.stderr)
        raise self.missing from None

    def _write(self, outcome: str, **fields: Any) -> None:
        if self.written:
            return
        self.written = True
        from kiosk.config import AuditLog, AuditRecord, Paths, mask_id

        job = self.job
        try:
            AuditLog(Paths.default().audit_db).record(AuditRecord(
                mode=job.mode, outcome=outcome, seq=job.seq,
                id_masked=mask_id(job.id_number) if job.id_number else "",
                durations=dict(job.durations), **fields))
        except KioskError as exc:  # the verdict stands, printed with a "not recorded" line
            log.info("audit row not written: %s", exc.text("en"))
            self.missing = exc if isinstance(exc, NotRecorded) else NotRecorded(exc.en, exc.zh)
        log.info("verify %s %s: %s (code %s)", job.mode,
                 mask_id(job.id_number) if job.id_number else "-", outcome, fields.get("code"))

    def blocked(self, findings: list[Any]) -> None:
        """A local check stopped the upload: the code it predicts."""
        first = next((f for f in findings if f.severity == "block"), None)
        self._write("blocked", code=first.code if first else None, predicted=True)

    def finished(self, verdict: Result, result: Any) -> None:
        """The service answered with code 0: pass or fail by the verdict."""
        self._write("pass" if verdict.passed else "fail", code=0,
                    similarity=verdict.similarity, live_status=verdict.live_status,
                    compare_status=verdict.compare_status,
                    session_id=str(getattr(result, "session_id", "") or ""))

    def refused(self, exc: ServiceError) -> None:
        """The service answered with a non-zero code."""
        data = exc.reply.get("data") if isinstance(exc.reply, dict) else None
        data = data if isinstance(data, dict) else {}
        self._write("refused", code=exc.code, live_status=_int(data.get("live_status")),
                    compare_status=_int(data.get("compare_status")),
                    session_id=str(data.get("session_id") or ""))

    def cancelled(self) -> None:
        """Interrupted (Ctrl-C) before a verdict."""
        self._write("cancelled")

    def error(self, exc: KioskError | None) -> None:
        """Nothing usable came back: a guard refused, or a file, network or setting failed."""
        if isinstance(exc, RequestRefused):
            self._write("blocked", code=exc.code, predicted=True)
        else:
            self._write("error", code=exc.code if exc is not None else None)


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None
