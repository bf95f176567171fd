"""Turning what ended a run (a reply, findings, an error, a cancel) into a Result people can act on."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from kiosk.api import CompareResult, LiveResult
from kiosk.api.codes import CodeEntry, lookup
from kiosk.checks.findings import Finding, blocking
from kiosk.errors import (
    ApiError,
    ConfigError,
    InputError,
    KioskError,
    MediaError,
    NotRecorded,
    ProtocolError,
    RequestRefused,
    ServiceError,
    UsageError,
)
from kiosk.flow import messages
from kiosk.flow.events import Mode, Outcome, Result
from kiosk.texts import Message, Text


def from_reply(mode: Mode, reply: LiveResult | CompareResult, threshold: float,
               **extra: Any) -> Result:
    """The verdict on a reply with code 0: live, compare and similarity against the threshold.

    The liveness-only mode asked for no comparison: its verdict is the live status alone, and a
    similarity the reply might carry anyway is not reported (nothing was compared on purpose).
    """
    similarity = None if reply.similarity is None or not mode.compares else float(reply.similarity)
    common: dict[str, Any] = dict(mode=mode, code=0, similarity=similarity, threshold=threshold,
                                  best_frame=reply.best_frame, **extra)
    if isinstance(reply, CompareResult):  # the photo comparison: a similarity and nothing else
        common["session_id"] = reply.session_id
    else:
        common.update(live_status=reply.live_status, live_msg=reply.live_msg,
                      compare_status=reply.compare_status, compare_msg=reply.compare_msg)
        failed = _live_failed(reply, common) or _compare_failed(reply, common)
        if failed is not None:
            return failed
        if not mode.compares:
            return _result("passed", messages.LIVE_PERSON(), exit_code=0, **common)
    return _by_similarity(similarity, threshold, common)


def _live_failed(reply: LiveResult, common: dict[str, Any]) -> Result | None:
    """docs/protocol.md, "Reading the verdict": a missing live status is not a pass."""
    status = reply.live_status
    if status == 0:
        return None
    entry = lookup(status) if status is not None else None
    said = _said(reply.live_msg, entry, messages.NO_LIVENESS_STATUS)
    return _result("failed", messages.LIVENESS_FAILED(
        said=said, fix=_action(entry, messages.RECORD_AGAIN)), **common)


def _compare_failed(reply: LiveResult, common: dict[str, Any]) -> Result | None:
    """A comparison that failed, or that was asked for (``compared``) and is missing."""
    status = reply.compare_status
    if status == 0 or (status is None and not reply.compared):
        return None
    entry = lookup(status) if status is not None else None
    said = _said(reply.compare_msg, entry, messages.NO_COMPARISON)
    return _result("failed", messages.COMPARISON_FAILED(
        said=said, fix=_action(entry, messages.TRY_AGAIN_IN_LIGHT)), **common)


def _by_similarity(similarity: float | None, threshold: float, common: dict[str, Any]) -> Result:
    """Passed when the similarity reaches the threshold; a missing one is not a pass."""
    if similarity is None or similarity < threshold:
        shown = "none" if similarity is None else f"{similarity:g}"
        return _result("failed", messages.BELOW_THRESHOLD(shown=shown, threshold=threshold),
                       **common)
    return _result("passed", messages.VERIFIED(similarity=similarity, threshold=threshold),
                   exit_code=0, **common)


def from_findings(mode: Mode, findings: list[Finding], threshold: float, **extra: Any) -> Result:
    """A local check blocked the run: nothing was uploaded; say what to change."""
    first = blocking(findings)[0]
    entry = lookup(first.code)
    return _result(
        "blocked", messages.NOT_SENT(finding=first, fix=_action(entry, messages.CORRECT_AND_RETRY)),
        mode=mode, code=first.code, threshold=threshold, findings=tuple(findings), **extra)


def from_error(mode: Mode, exc: KioskError, threshold: float, **extra: Any) -> Result:
    """A refusal by the service, a guard's refusal of the client (blocked: nothing was sent), or
    an environment error (network, configuration, camera, disk)."""
    if isinstance(exc, ServiceError):
        # A "no" the person can change is a refusal (not verified); any other code means no
        # verdict was made: the service's trouble or a staff matter ("could not check").
        if exc.exit_code == 1:
            return _result("refused", messages.SERVICE_REFUSED(error=exc), mode=mode,
                           code=exc.code, threshold=threshold, exit_code=1, **extra)
        cause = "service" if exc.entry.category == "transient" else "config"
        return _result("error", messages.SERVICE_REFUSED(error=exc), mode=mode, code=exc.code,
                       threshold=threshold, exit_code=2, cause=cause, **extra)
    outcome: Outcome = "error" if exc.exit_code != 1 else (
        "blocked" if isinstance(exc, RequestRefused)  # a guard of the client's: nothing was sent
        else "refused")
    return Result(
        outcome, mode=mode, code=exc.code, threshold=threshold,
        message_en=exc.en, message_zh=exc.zh, fix_en=exc.fix_en, fix_zh=exc.fix_zh,
        exit_code=exc.exit_code, cause=cause_of(exc), **extra)


def cause_of(exc: KioskError) -> str:
    """Who can act on an error: the network, the configuration, a device, an input, the audit."""
    for kind, cause in ((ProtocolError, "service"), (ApiError, "network"), (ConfigError, "config"),
                        (UsageError, "config"),
                        (MediaError, "device"), (InputError, "input"), (NotRecorded, "audit")):
        if isinstance(exc, kind):
            return cause
    return "internal"


def internal_error(mode: Mode, threshold: float, **extra: Any) -> Result:
    """A bug: a plain message for the person, the details in the log."""
    return _result("error", messages.INTERNAL_ERROR(), mode=mode, threshold=threshold,
                   exit_code=2, cause="internal", **extra)


def cancelled(mode: Mode, threshold: float, **extra: Any) -> Result:
    """The person or operator cancelled; the media is deleted."""
    return _result("cancelled", messages.CANCELLED(), mode=mode, threshold=threshold,
                   exit_code=1, **extra)


def timed_out(mode: Mode, threshold: float, waited: float, **extra: Any) -> Result:
    """Nobody pressed start during guidance: the session is given up."""
    return _result("cancelled", messages.NO_START(waited=waited), mode=mode, threshold=threshold,
                   exit_code=1, **extra)


def _result(outcome: Outcome, message: Message, **fields: Any) -> Result:
    """A Result whose four texts (``message_*``, ``fix_*``) are a catalog message."""
    return Result(outcome, message_zh=message.zh, message_en=message.en, fix_zh=message.fix_zh,
                  fix_en=message.fix_en, **fields)


def _said(server: str | None, entry: CodeEntry | None,
          otherwise: Text) -> SimpleNamespace | CodeEntry | Text:
    """What a status means (``{said}``): the server's own words, else the code's, else ``otherwise``."""
    if server:
        return SimpleNamespace(en=server, zh=server)
    return entry if entry is not None else otherwise


def _action(entry: CodeEntry | None, otherwise: Text) -> SimpleNamespace:
    """What to do (``{fix}``): the code's action, in each language it has one, else ``otherwise``."""
    return SimpleNamespace(en=(entry.action_en if entry else "") or otherwise.en,
                           zh=(entry.action_zh if entry else "") or otherwise.zh)


def declined(mode: Mode, threshold: float, **extra: Any) -> Result:
    """The person did not consent: nothing was captured; staff verify them another way."""
    return _result("declined", messages.CONSENT_DECLINED(), mode=mode, threshold=threshold,
                   exit_code=1, **extra)


def limited(mode: Mode, threshold: float, failures: int, seconds_left: float,
            **extra: Any) -> Result:
    """The attempt limit: too many not-verified results for this person; nothing was captured."""
    minutes = max(1, round(seconds_left / 60))
    return _result("limited", messages.ATTEMPT_LIMIT(failures=failures, minutes=minutes),
                   mode=mode, threshold=threshold, exit_code=1, **extra)


__all__ = [
    "cancelled", "declined", "from_error", "from_findings", "from_reply", "internal_error",
    "limited", "timed_out",
]
