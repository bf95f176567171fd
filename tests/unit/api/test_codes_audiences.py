"""Two audiences for every service code: plain words for the customer, the code for the operator."""

from __future__ import annotations

import re

import pytest

from kiosk.api.codes import CATALOG, STAFF_ONLY, Category, for_operator, for_people

JARGON = re.compile(r"\d|LUFS|\bdB\b|(?i:\bcode\b)|错误码|\bpx\b|\bfps\b|[A-Z]{3,}")
PERSON_FIXABLE = [c for c, e in CATALOG.items()
                  if e.category in (Category.RETRY, Category.INPUT, Category.CARD)]


@pytest.mark.parametrize("code", [*CATALOG, None, 99999, -9999])
def test_a_customer_text_has_no_code_number_or_unit(code: int | None) -> None:
    zh, en = for_people(code)
    assert not JARGON.search(zh) and not JARGON.search(en), (zh, en)
    assert re.search(r"[\u4e00-\u9fff]", zh) and en.endswith(".")


@pytest.mark.parametrize("code", PERSON_FIXABLE)
def test_every_code_a_person_can_fix_gets_its_own_words(code: int) -> None:
    if code in STAFF_ONLY:
        return
    assert for_people(code) != for_people(None), f"{code} falls back to the generic text"
    assert for_people(code) != for_people(4)


def test_codes_only_staff_can_fix_send_the_customer_to_staff() -> None:
    for code in (-5015, -5014, 4, 5, 9, 14):
        zh, en = for_people(code)
        assert "工作人员" in zh and "staff" in en, code
    assert "staff" not in for_people(-5013)[1]


def test_could_not_check_codes_say_no_verdict_was_made() -> None:
    for code in (15, 107, 213, -5802, None):
        zh, en = for_people(code)
        assert "未能完成核验" in zh and "no check was made" in en


def test_the_operator_text_names_the_code_meaning_and_action() -> None:
    zh, en = for_operator(-5015)
    assert en.startswith("code -5015: video resolution too low") and "camera resolution" in en
    assert zh.startswith("错误码 -5015：") and "320X480" in zh
    assert for_operator(424242)[1].startswith("code 424242: unknown code")
