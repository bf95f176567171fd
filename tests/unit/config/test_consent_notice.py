"""The consent notice: built-in words, an institution's own file, bad files named, the guardian age."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.config.consent import BUILT_IN, age_on, load_notice, needs_guardian
from kiosk.errors import ConfigError, InputError


def test_the_built_in_notice_says_what_why_who_how_long_and_that_one_may_decline() -> None:
    assert load_notice("") is BUILT_IN and load_notice(None) is BUILT_IN
    for part in ("视频", "核实", "腾讯云", "删除", "不同意", "柜台"):
        assert part in BUILT_IN.zh
    for part in ("video", "confirm", "Tencent Cloud", "deletes", "decline", "counter"):
        assert part in BUILT_IN.en
    assert BUILT_IN.text("en") == BUILT_IN.en and BUILT_IN.text("zh") == BUILT_IN.zh


def test_an_institutions_notice_replaces_the_words_and_the_version(tmp_path: Path) -> None:
    f = tmp_path / "notice.toml"
    f.write_text('version = "bank-7"\nzh = """本行告知……"""\nen = "Our bank\'s notice"\n',
                 encoding="utf-8")
    notice = load_notice(str(f))
    assert (notice.version, notice.zh, notice.en) == ("bank-7", "本行告知……", "Our bank's notice")


@pytest.mark.parametrize(("body", "says"), [
    ('version = "1"\nzh = "x"\n', "lacks: en"),
    ('zh = "x"\nen = ""\n', "lacks: version, en"),
    ("version = [", "not valid TOML"),
    ('version = "a\\u0007b"\nzh = "x"\nen = "y"\n', "not printable"),
    ('version = "' + "v" * 65 + '"\nzh = "x"\nen = "y"\n', "too long"),
])
def test_a_bad_notice_file_is_refused_naming_the_file_and_the_problem(
        tmp_path: Path, body: str, says: str) -> None:
    f = tmp_path / "notice.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_notice(f)
    assert says in info.value.en and str(f) in info.value.en and info.value.fix_zh
    assert info.value.msg_id.startswith("config.notice_")


def test_a_notice_path_that_is_not_a_file_is_refused_as_input(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_notice(tmp_path)
    with pytest.raises(InputError):
        load_notice("/dev/zero")


@pytest.mark.parametrize(("number", "today", "age"), [
    ("11010520121203001X", date(2026, 12, 3), 14),   # the 14th birthday is today
    ("11010520121204001X", date(2026, 12, 3), 13),   # tomorrow
    ("110105194912310021", date(2026, 12, 3), 76),
    ("1101051949123", date(2026, 12, 3), None),
    ("110105194902300021", date(2026, 12, 3), None),  # 30 February
])
def test_the_age_comes_from_the_ids_birth_date(number: str, today: date, age: int | None) -> None:
    assert age_on(number, today) == age
    assert needs_guardian(number, today) is (age is not None and age < 14)
