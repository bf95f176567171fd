"""Four-digit codes: per appid, ten minutes, one use."""

from __future__ import annotations

import pytest

from kiosk.emulator import fourcodes
from kiosk.emulator.fourcodes import FourCodes, TooManyCodesError


def test_codes_are_four_digits_and_redeem_once(clock):
    codes = FourCodes(clock)
    code = codes.issue("A")
    assert len(code) == 4 and code.isdigit()
    assert codes.redeem("A", code) is None
    assert "used" in (codes.redeem("A", code) or "")


def test_a_code_belongs_to_its_appid(clock):
    codes = FourCodes(clock)
    code = codes.issue("A")
    assert codes.redeem("B", code) is not None
    assert codes.redeem("A", code) is None


def test_a_code_expires_after_ten_minutes(clock):
    codes = FourCodes(clock)
    fresh, stale = codes.issue("A"), codes.issue("A")
    clock.advance(599)
    assert codes.redeem("A", fresh) is None
    clock.advance(2)
    assert "expired" in (codes.redeem("A", stale) or "")


def test_an_unknown_code_is_refused(clock):
    codes = FourCodes(clock)
    issued = codes.issue("A")
    other = f"{(int(issued) + 1) % 10000:04d}"
    assert codes.redeem("A", other) is not None


def test_live_codes_of_one_appid_are_distinct_and_bounded(clock, monkeypatch):
    monkeypatch.setattr(fourcodes, "MAX_LIVE_CODES", 50)
    codes = FourCodes(clock)
    issued = {codes.issue("A") for _ in range(50)}
    assert len(issued) == 50
    with pytest.raises(TooManyCodesError):
        codes.issue("A")
    clock.advance(601)  # expired codes make room again
    assert codes.issue("A")
