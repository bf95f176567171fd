"""ID number (GB 11643-1999) and name rules: -5801, -5804, -5803 warnings."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.checks import check_identity, normalize_id_number, normalize_name
from kiosk.checks.idcard import check_digit

TODAY = date(2026, 11, 25)
VALID = "11010519491231002X"  # the standard's own example


def codes(findings: list) -> list[tuple[int, str]]:
    return [(f.code, f.severity) for f in findings]


def with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def test_the_standards_example_and_the_sample_people_pass() -> None:
    assert check_identity(VALID, "王芳", today=TODAY) == []
    assert check_identity("440304198510156428", "李娜", today=TODAY) == []


def test_check_digit_matches_the_standard() -> None:
    assert check_digit("11010519491231002") == "X"
    # docs/protocol.md: the document's sample number needs 4, not 9, as its last character.
    assert check_digit("11011019990909090") == "4"


@pytest.mark.parametrize("number", ["110110199909090909", "110105194912310021"])
def test_wrong_check_digit_blocks(number: str) -> None:
    [f] = check_identity(number, "王芳", today=TODAY)
    assert (f.code, f.severity, f.limit) == (-5804, "block", check_digit(number[:17]))


@pytest.mark.parametrize("number", ["1101051949123100", "11010519491231002XX", "110105491231002"])
def test_wrong_length_blocks(number: str) -> None:
    [f] = check_identity(number, "王芳", today=TODAY)
    assert (f.code, f.value, f.limit) == (-5804, len(number), 18)


def test_old_15_digit_number_is_named() -> None:
    [f] = check_identity("110105491231002", "王芳", today=TODAY)
    assert "15" in f.message_en and "15" in f.message_zh


@pytest.mark.parametrize(("number", "pos", "ch"), [("1101051949123100AX", 17, "A"),
                                                    ("X10105194912310021", 1, "X"),
                                                    ("11010519491231002Y", 18, "Y")])
def test_non_digits_block_and_name_the_first_wrong_character(number: str, pos: int, ch: str) -> None:
    findings = check_identity(number, "王芳", today=TODAY)
    assert codes(findings) == [(-5804, "block")]
    assert findings[0].value == f"{ch!r} at {pos}"
    assert f"character {pos} is {ch!r}" in findings[0].message_en
    assert f"第 {pos} 位是“{ch}”" in findings[0].message_zh


@pytest.mark.parametrize("region", ["00", "10", "16", "20", "39", "47", "55", "66", "70", "84", "99"])
def test_unknown_region_blocks(region: str) -> None:
    number = with_check(region + "010519491231002")
    [f] = check_identity(number, "王芳", today=TODAY)
    assert (f.code, f.value) == (-5804, region)


@pytest.mark.parametrize("region", ["11", "15", "23", "37", "46", "54", "65", "71", "81", "82", "83"])
def test_known_regions_pass(region: str) -> None:
    assert check_identity(with_check(region + "010519491231002"), "王芳", today=TODAY) == []


@pytest.mark.parametrize("birth", ["19490230", "20230229", "19491301", "19490001", "19491200"])
def test_birth_date_that_does_not_exist_blocks(birth: str) -> None:
    [f] = check_identity(with_check("110105" + birth + "002"), "王芳", today=TODAY)
    assert (f.code, f.value) == (-5804, birth)


def test_leap_day_exists() -> None:
    assert check_identity(with_check("11010520000229002"), "王芳", today=TODAY) == []


def test_birth_date_in_the_future_blocks_and_today_passes() -> None:
    [f] = check_identity(with_check("11010520261126002"), "王芳", today=TODAY)
    assert (f.code, f.value, f.limit) == (-5804, "20261126", "20261125")
    assert check_identity(with_check("11010520261125002"), "王芳", today=TODAY) == []


def test_birth_year_before_1890_blocks() -> None:
    [f] = check_identity(with_check("11010518891231002"), "王芳", today=TODAY)
    assert f.code == -5804


def test_lower_case_x_and_spaces_are_accepted_and_normalised() -> None:
    assert check_identity(" 11010519491231002x ", " 王芳 ", today=TODAY) == []
    assert normalize_id_number(" 110105 19491231002x") == VALID
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == VALID  # full-width input


@pytest.mark.parametrize(("number", "name", "missing"), [
    ("", "王芳", ["id_number"]),
    (VALID, "", ["name"]),
    ("  ", "   ", ["id_number", "name"]),
])
def test_missing_fields_block_with_5801(number: str, name: str, missing: list[str]) -> None:
    found = check_identity(number, name, today=TODAY)
    assert codes(found) == [(-5801, "block")]
    assert found[0].value == missing


def test_missing_name_still_checks_the_number() -> None:
    assert codes(check_identity("110105194912310021", "", today=TODAY)) == [
        (-5801, "block"), (-5804, "block")]


@pytest.mark.parametrize("name", ["买买提·吐尔逊", "阿沛・阿旺晋美", "迪丽热巴•迪力木拉提", "欧阳娜娜", "李〇"])
def test_chinese_names_with_middle_dots_pass(name: str) -> None:
    assert check_identity(VALID, name, today=TODAY) == []


def test_dot_look_alikes_become_the_middle_dot() -> None:
    assert normalize_name(" 阿沛・阿旺晋美 ") == "阿沛·阿旺晋美"
    assert normalize_name("买买提 • 吐尔逊") == "买买提·吐尔逊"


@pytest.mark.parametrize("name", ["Wang Fang", "王芳2", "王", "·王芳", "王··芳", "王芳·", "王" * 31])
def test_implausible_names_warn_not_block(name: str) -> None:
    found = check_identity(VALID, name, today=TODAY)
    assert codes(found) == [(-5803, "warn")]


def test_findings_never_carry_the_whole_number() -> None:
    for number in ("110105194912310021", "99010519491231002X", "11010519490230002X"):
        for f in check_identity(number, "王芳", today=TODAY):
            assert number not in repr(f)
