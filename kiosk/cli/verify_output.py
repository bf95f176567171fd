"""What ``kiosk verify`` shows: warnings and an upload bar while the flow runs, then how it ended."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.checks.findings import blocking
from kiosk.cli import common, messages
from kiosk.cli.check import finding_head
from kiosk.cli.code import reply_json
from kiosk.cli.common import say
from kiosk.errors import NotRecorded
from kiosk.flow import ChecksDone, UploadProgress
from kiosk.texts import pick

if TYPE_CHECKING:
    from kiosk.checks.findings import Finding
    from kiosk.cli.verify import Service
    from kiosk.flow import Result


class Console:
    """The flow's listener for ``kiosk verify`` (called on the flow's worker), and the report of
    its Result: stdout holds only the verdict (or the service's reply as JSON) or the findings
    that stopped the upload; warnings, the bar and errors go to stderr."""

    def __init__(self, lang: str, *, as_json: bool, bar: bool) -> None:
        self.lang = lang
        self.as_json = as_json
        self.progress, self.close = upload_progress(bar)

    def __call__(self, event: Any) -> None:
        match event:
            case ChecksDone(findings=findings, blocked=False) if not self.as_json:
                for f in findings:
                    print(finding_head(f, self.lang), file=sys.stderr)
            case UploadProgress(sent=sent, total=total):
                self.progress(sent, total)

    def report(self, r: Result, service: Service) -> int:
        """Print how the run ended; its exit status (2 when its audit row was not recorded)."""
        if r.outcome in ("passed", "failed"):
            if self.as_json:
                common.emit_json(reply_json(service.reply or {}))
            else:
                print_verdict(r, self.lang)
        elif r.outcome == "blocked" and blocking(list(r.findings)):
            print_findings(sorted(r.findings, key=lambda f: f.severity != "block"), self.lang,
                           as_json=self.as_json)
        else:  # refused, a guard's refusal, an error, a cancel: one line, as every command says it
            said = r.text(self.lang)
            if r.outcome == "refused" and service.refusal is not None:
                said = service.refusal.text(self.lang)  # with what the server said
                if self.as_json and service.reply is not None:
                    common.emit_json(reply_json(service.reply))
            print(f"error: {said}", file=sys.stderr)
        if not r.recorded:  # after the verdict, in the same one-line form
            print(f"error: {NotRecorded().text(self.lang)}", file=sys.stderr)
        return r.exit_code


def print_findings(findings: list[Finding], lang: str, *, as_json: bool) -> None:
    """The findings that stopped the upload (stdout), in the shape ``kiosk check`` prints."""
    if as_json:
        common.emit_json({"ok": False, "findings": [f.to_json() for f in findings]})
        return
    for f in findings:
        print(finding_head(f, lang))
    print(say(lang, messages.NOT_SENT))


def print_verdict(r: Result, lang: str) -> None:
    """A readable summary in the person's language."""
    head = messages.VERDICT_PASSED if r.passed else messages.VERDICT_FAILED
    print(f"{say(lang, head)}{r.text(lang)}")
    dash = pick(lang, "—", "-")  # for a status the reply gave no message with
    if r.live_status is not None:
        print(say(lang, messages.LIVENESS_STATUS(status=r.live_status,
                                                 message=r.live_msg or dash)))
    if r.compare_status is not None:
        print(say(lang, messages.COMPARISON_STATUS(status=r.compare_status,
                                                   message=r.compare_msg or dash)))
    if r.similarity is not None:
        print(common.similarity_line(lang, r.similarity, r.threshold))
    if r.session_id:
        print(f"  session_id: {r.session_id}")
    if r.seq and r.mode.uses_video:  # the seq sent with the clip (a photo call has none)
        print(f"  seq: {r.seq}")


def upload_progress(enabled: bool) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress callback drawing a bar on stderr once an upload has taken a second; its closer."""
    bars: list[Any] = []
    if not enabled:
        return (lambda sent, total: None), (lambda: None)
    from tqdm import tqdm

    def progress(sent: int, total: int) -> None:
        if not bars or bars[-1].total != total or sent < bars[-1].n:  # a retry starts over
            if bars:
                bars[-1].close()
            bars.append(tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                             file=sys.stderr, delay=1.0, leave=False, desc="upload"))
        bars[-1].update(sent - bars[-1].n)

    def close() -> None:
        for bar in bars:
            bar.close()

    return progress, close
