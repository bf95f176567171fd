"""The operator PIN hash."""

from __future__ import annotations

from kiosk.config import hash_pin, verify_pin
from kiosk.config.pin import is_hashed


def test_hash_is_salted_and_verifies() -> None:
    a, b = hash_pin("1234"), hash_pin("1234")
    assert a != b and is_hashed(a) and "1234" not in a.split("$", 4)[-1]
    assert verify_pin("1234", a) and verify_pin("1234", b)
    assert not verify_pin("1235", a) and not verify_pin("", a)


def test_same_salt_same_hash() -> None:
    assert hash_pin("987654", salt=b"s" * 16) == hash_pin("987654", salt=b"s" * 16)


def test_plain_pin_from_the_environment_and_broken_hashes() -> None:
    assert verify_pin("4321", "4321") and not verify_pin("4320", "4321")
    assert not verify_pin("4321", "") and not verify_pin("4321", "scrypt$x$y$z$!!$??")
