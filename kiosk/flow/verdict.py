"""Turning what ended a run (a reply, findings, an error, a cancel) into a Result people can act on."""

from __future__ import annotations

from typing import Any

from kiosk.api import CompareResult, LiveResult
from kiosk.api.codes import lookup
from kiosk.checks.findings import Finding, blocking
from kiosk.errors import (
    ApiError,
    ConfigError,
    InputError,
    KioskError,
    MediaError,
    NotRecorded,
    RequestRefused,
    ServiceError,
    UsageError,
)
from kiosk.flow.events import Mode, Outcome, Result


def from_reply(mode: Mode, reply: LiveResult | CompareResult, threshold: float,
               **extra: Any) -> Result:
    """The verdict on a reply with code 0: live, compare and similarity against the threshold."""
    similarity = None if reply.similarity is None else float(reply.similarity)
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
    return _by_similarity(similarity, threshold, common)


def _live_failed(reply: LiveResult, common: dict[str, Any]) -> Result | None:
    """docs/protocol.md, "Reading the verdict": a missing live status is not a pass."""
    status = reply.live_status
    if status == 0:
        return None
    entry = lookup(status) if status is not None else None
    said = reply.live_msg or (entry.en if entry else "no liveness status in the reply")
    said_zh = reply.live_msg or (entry.zh if entry else "回复中没有活体检测结果")
    return Result(
        "failed",
        message_en=f"the liveness check did not pass: {said}",
        message_zh=f"活体检测未通过：{said_zh}",
        fix_en=(entry.action_en if entry else "") or "record again, reading the digits clearly",
        fix_zh=(entry.action_zh if entry else "") or "请清晰读出数字后重新录制", **common)


def _compare_failed(reply: LiveResult, common: dict[str, Any]) -> Result | None:
    """A comparison that failed, or that was asked for (``compared``) and is missing."""
    status = reply.compare_status
    if status == 0 or (status is None and not reply.compared):
        return None
    entry = lookup(status) if status is not None else None
    said = reply.compare_msg or (entry.en if entry else "no comparison in the reply")
    said_zh = reply.compare_msg or (entry.zh if entry else "回复中没有比对结果")
    return Result(
        "failed",
        message_en=f"the face comparison did not pass: {said}",
        message_zh=f"人脸比对未通过：{said_zh}",
        fix_en=(entry.action_en if entry else "") or "try again facing the camera in good light",
        fix_zh=(entry.action_zh if entry else "") or "请正对镜头、在光线充足处重试", **common)


def _by_similarity(similarity: float | None, threshold: float, common: dict[str, Any]) -> Result:
    """Passed when the similarity reaches the threshold; a missing one is not a pass."""
    if similarity is None or similarity < threshold:
        shown = "none" if similarity is None else f"{similarity:g}"
        return Result(
            "failed",
            message_en=f"not the same person: similarity {shown} is below the threshold {threshold:g}",
            message_zh=f"核验未通过：相似度 {shown} 低于阈值 {threshold:g}",
            fix_en="if the details are right, try again facing the camera in good light; "
                   "otherwise check the ID number and name",
            fix_zh="如信息无误，请正对镜头、在光线充足处重试；否则请核对身份证号和姓名", **common)
    return Result(
        "passed",
        message_en=f"verified: similarity {similarity:g} (threshold {threshold:g})",
        message_zh=f"核验通过：相似度 {similarity:g}（阈值 {threshold:g}）",
        exit_code=0, **common)


def from_findings(mode: Mode, findings: list[Finding], threshold: float, **extra: Any) -> Result:
    """A local check blocked the run: nothing was uploaded; say what to change."""
    first = blocking(findings)[0]
    entry = lookup(first.code)
    return Result(
        "blocked", mode=mode, code=first.code, threshold=threshold, findings=tuple(findings),
        message_en=f"not sent: {first.message_en}",
        message_zh=f"未上传：{first.message_zh}",
        fix_en=entry.action_en or "correct it and try again",
        fix_zh=entry.action_zh or "请修正后重试", **extra)


def from_error(mode: Mode, exc: KioskError, threshold: float, **extra: Any) -> Result:
    """A refusal by the service, a guard's refusal of the client (blocked: nothing was sent), or
    an environment error (network, configuration, camera, disk)."""
    if isinstance(exc, ServiceError):
        return Result(
            "refused", mode=mode, code=exc.code, threshold=threshold,
            message_en=f"the service refused (code {exc.code}): {exc.entry.en}",
            message_zh=f"服务拒绝（错误码 {exc.code}）：{exc.entry.zh}",
            fix_en=exc.fix_en, fix_zh=exc.fix_zh, exit_code=1, **extra)
    outcome: Outcome = "error" if exc.exit_code != 1 else (
        "blocked" if isinstance(exc, RequestRefused)  # a guard of the client's: nothing was sent
        else "refused")
    return Result(
        outcome, mode=mode, code=exc.code, threshold=threshold,
        message_en=exc.en, message_zh=exc.zh, fix_en=exc.fix_en, fix_zh=exc.fix_zh,
        exit_code=exc.exit_code, cause=cause_of(exc), **extra)


def cause_of(exc: KioskError) -> str:
    """Who can act on an error: the network, the configuration, a device, an input, the audit."""
    for kind, cause in ((ApiError, "network"), (ConfigError, "config"), (UsageError, "config"),
                        (MediaError, "device"), (InputError, "input"), (NotRecorded, "audit")):
        if isinstance(exc, kind):
            return cause
    return "internal"


def internal_error(mode: Mode, threshold: float, **extra: Any) -> Result:
    """A bug: a plain message for the person, the details in the log."""
    return Result(
        "error", mode=mode, threshold=threshold, exit_code=2, cause="internal",
        message_en="internal error", message_zh="内部错误",
        fix_en="try again; if it repeats, the details are in the log file for support",
        fix_zh="请重试；如反复出现，请将日志文件提供给技术支持", **extra)


def cancelled(mode: Mode, threshold: float, **extra: Any) -> Result:
    """The person or operator cancelled; the media is deleted."""
    return Result(
        "cancelled", mode=mode, threshold=threshold, exit_code=1,
        message_en="cancelled; nothing was kept", message_zh="已取消，未保留任何资料",
        fix_en="start again when ready", fix_zh="准备好后可重新开始", **extra)


def timed_out(mode: Mode, threshold: float, waited: float, **extra: Any) -> Result:
    """Nobody pressed start during guidance: the session is given up."""
    return Result(
        "cancelled", mode=mode, threshold=threshold, exit_code=1,
        message_en=f"no start after {waited:.0f} s; the session was ended",
        message_zh=f"{waited:.0f} 秒内未开始，本次核验已结束",
        fix_en="start again when ready", fix_zh="准备好后可重新开始", **extra)


__all__ = ["cancelled", "from_error", "from_findings", "from_reply", "internal_error", "timed_out"]
