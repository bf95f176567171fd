"""One result, two audiences: the verdict and plain words for the customer, the detail for staff.

Three outcomes (docs/outcomes.md): verified; not verified (the service, or a local check standing
in for it, said no for a reason the person can change); could not check (no verdict was made:
network, service, configuration, an unwritable audit). A "could not check" is never worded as a
failed check: it would tell a genuine customer they failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kiosk.api.codes import STAFF_ONLY, Category, for_operator, for_people, lookup
from kiosk.checks.findings import blocking
from kiosk.flow.events import Mode, Result

Verdict = Literal["verified", "not_verified", "unchecked", "cancelled", "declined", "limited"]

_NOT_SAME = ("未能确认是您本人。如果信息无误，请正对镜头再试一次。",
             "We could not confirm it is you. If your details are right, please face the camera "
             "and try again.")
_NOT_SAME_CARD = ("未能确认您与证件照是同一人。请正对镜头再试一次，或请工作人员帮助。",
                  "We could not confirm you match the card photo. Please try again, or ask staff.")
_NETWORK = ("网络暂时不通，未能完成核验。这不是核验失败，请再试一次。",
            "The network is not reachable just now, so no check was made. This is not a failed "
            "check; please try again.")
_STAFF = ("本机暂时无法核验，这不是核验失败。请联系工作人员。",
          "This kiosk cannot verify right now; this is not a failed check. Please ask a member of "
          "staff.")
_NOT_RECORDED = ("结果未能保存。请联系工作人员。",
                 "The result could not be saved. Please ask a member of staff.")
_CANCELLED = ("已取消，未保留任何资料。", "Cancelled. Nothing was kept.")
_PASSED = ("核验通过，谢谢。", "You are verified. Thank you.")
_COUNTER = ("请到柜台，由工作人员为您核验身份。", "Please go to the counter: staff will verify your identity.")
_DECLINED = ("未采集任何资料。" + _COUNTER[0], "Nothing was recorded. " + _COUNTER[1])
_INTERNAL = ("出了点问题，未能完成核验。请再试一次或联系工作人员。",
             "Something went wrong, so no check was made. Please try again or ask staff.")
_BY_CAUSE = {"network": _NETWORK, "config": _STAFF, "device": _STAFF, "audit": _STAFF,
             "internal": _INTERNAL, "input": _INTERNAL}


@dataclass(frozen=True)
class Told:
    """What each audience is told about one result."""

    verdict: Verdict
    customer_zh: str
    customer_en: str
    operator_zh: str
    operator_en: str
    retry: bool  # the customer may usefully try again now

    def customer(self, lang: str) -> str:
        """The customer's words in ``lang``."""
        return self.customer_zh if lang == "zh" else self.customer_en

    def operator(self, lang: str) -> str:
        """The operator's detail in ``lang``."""
        return self.operator_zh if lang == "zh" else self.operator_en


def verdict_of(result: Result) -> Verdict:
    """Which of the three outcomes (or a cancel) ``result`` is."""
    if result.outcome == "passed":
        return "verified"
    if result.outcome in ("cancelled", "declined", "limited"):
        return result.outcome
    if result.outcome in ("failed", "blocked"):
        return "not_verified"
    if result.outcome == "refused" and result.code is not None and _person_can_fix(result.code):
        return "not_verified"
    return "unchecked"


def _person_can_fix(code: int) -> bool:
    return code not in STAFF_ONLY and lookup(code).category in (
        Category.RETRY, Category.INPUT, Category.CARD)


def tell(result: Result) -> Told:
    """The customer's words and the operator's detail for ``result``."""
    verdict = verdict_of(result)
    op_zh, op_en = _operator(result)
    customer = _customer(result, verdict)
    if result.locked:  # the try that reached the limit: no "try again", the counter instead
        customer = (customer[0] + _COUNTER[0], customer[1] + " " + _COUNTER[1])
    if not result.recorded:
        customer = (_NOT_RECORDED[0] + customer[0], _NOT_RECORDED[1] + " " + customer[1])
    for_staff = (result.code is not None and result.code in STAFF_ONLY) or result.cause in (
        "config", "device", "audit")
    retry = (result.recorded and verdict in ("not_verified", "unchecked") and not for_staff
             and not result.locked)
    return Told(verdict, customer[0], customer[1], op_zh, op_en, retry)


def _customer(result: Result, verdict: Verdict) -> tuple[str, str]:
    if verdict == "verified":
        return _PASSED
    if verdict == "cancelled":
        return _CANCELLED
    if verdict == "declined":
        return _DECLINED
    if verdict == "limited":
        return _COUNTER
    if verdict == "unchecked":
        if result.code is not None and result.code in STAFF_ONLY:
            return _STAFF
        if result.code is not None:
            return for_people(result.code)
        return _BY_CAUSE.get(result.cause, _NETWORK)
    if result.outcome == "blocked" and blocking(list(result.findings)):
        return for_people(blocking(list(result.findings))[0].code)
    status = _failed_status(result)
    if status is not None:
        return for_people(status)
    return _NOT_SAME_CARD if result.mode is Mode.CARD else _NOT_SAME


def _failed_status(result: Result) -> int | None:
    """The live or compare status that made the verdict a no, when it is a code the catalog has."""
    for status in (result.live_status, result.compare_status, result.code):
        if status not in (None, 0):
            return status
    return None


def _operator(result: Result) -> tuple[str, str]:
    """The code, the measurement and the cause: the result's own words, the code's entry."""
    zh, en = result.message_zh, result.message_en
    if result.code not in (None, 0) and result.outcome in ("refused", "error"):
        code_zh, code_en = for_operator(result.code)
        if str(result.code) not in en:
            zh, en = f"{zh}（{code_zh}）", f"{en} ({code_en})"
    if result.fix_en:
        zh, en = f"{zh} — {result.fix_zh}", f"{en} — {result.fix_en}"
    return zh, en


def reference(result: Result) -> str:
    """The short reference a clerk quotes: the start of the run's seq, which the audit row holds."""
    return result.seq[:8]


__all__ = ["Told", "Verdict", "reference", "tell", "verdict_of"]
