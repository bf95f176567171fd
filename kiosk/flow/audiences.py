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
from kiosk.flow import messages
from kiosk.flow.events import Mode, Result
from kiosk.texts import Message, Text

Verdict = Literal["verified", "not_verified", "unchecked", "cancelled", "declined", "limited"]

_BY_CAUSE = {"network": messages.NETWORK_DOWN, "config": messages.ASK_STAFF,
             "device": messages.DEVICE_WAIT, "audit": messages.ASK_STAFF,
             "internal": messages.WENT_WRONG, "input": messages.WENT_WRONG}


@dataclass(frozen=True)
class Told:
    """What each audience is told about one result."""

    verdict: Verdict
    customer_zh: str
    customer_en: str
    operator_zh: str
    operator_en: str
    retry: bool  # the customer may usefully try again now
    # For the clerk's line, shown without the PIN: the device that failed and how ("" otherwise).
    clerk_zh: str = ""
    clerk_en: str = ""

    def customer(self, lang: str) -> str:
        """The customer's words in ``lang``."""
        return self.customer_zh if lang == "zh" else self.customer_en

    def operator(self, lang: str) -> str:
        """The operator's detail in ``lang``."""
        return self.operator_zh if lang == "zh" else self.operator_en

    def clerk(self, lang: str) -> str:
        """The failed device for the clerk's line in ``lang`` ("" when none failed)."""
        return self.clerk_zh if lang == "zh" else self.clerk_en


def verdict_of(result: Result) -> Verdict:
    """Which of the three outcomes (or a cancel) ``result`` is.

    A verdict the audit could not record is "could not check" for the customer: no verdict
    without its record. Staff see what the service said in the detail behind the PIN.
    """
    if not result.recorded and result.outcome in ("passed", "failed", "refused", "blocked"):
        return "unchecked"
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
        customer = _both(messages.THEN_COUNTER(then=customer))
    if not result.recorded:  # whatever the service said: not saved, so staff take over
        customer = _both(messages.NOT_SAVED)
    for_staff = (result.code is not None and result.code in STAFF_ONLY) or result.cause in (
        "config", "device", "audit")
    retry = (result.recorded and verdict in ("not_verified", "unchecked") and not for_staff
             and not result.locked)
    clerk = (result.message_zh, result.message_en) if result.cause == "device" else ("", "")
    return Told(verdict, customer[0], customer[1], op_zh, op_en, retry, *clerk)


def _both(text: Text | Message) -> tuple[str, str]:
    """A message as the customer's words: (Chinese, English), as kiosk.api.codes gives them."""
    return text.zh, text.en


def _customer(result: Result, verdict: Verdict) -> tuple[str, str]:
    if verdict == "verified":  # in the liveness-only mode: a live person, no identity
        return _both(messages.VERIFIED_FOR_CUSTOMER if result.mode.compares
                     else messages.LIVE_FOR_CUSTOMER)
    if verdict == "cancelled":
        return _both(messages.CANCELLED_FOR_CUSTOMER)
    if verdict == "declined":
        return _both(messages.DECLINED_FOR_CUSTOMER)
    if verdict == "limited":
        return _both(messages.GO_TO_COUNTER)
    if verdict == "unchecked":
        if result.code is not None and result.code in STAFF_ONLY:
            return _both(messages.ASK_STAFF)
        if result.code is not None:
            return for_people(result.code)
        if result.cause == "service":  # it answered, but not with a verdict: busy, 5xx
            return for_people(None)
        return _both(_BY_CAUSE.get(result.cause, messages.NETWORK_DOWN))
    if result.outcome == "blocked" and blocking(list(result.findings)):
        return for_people(blocking(list(result.findings))[0].code)
    status = _failed_status(result)
    if status is not None:
        return for_people(status)
    if not result.mode.compares:  # nothing was compared: only liveness can have failed
        return _both(messages.NOT_LIVE)
    return _both(messages.NOT_SAME_CARD if result.mode is Mode.CARD else messages.NOT_SAME)


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
