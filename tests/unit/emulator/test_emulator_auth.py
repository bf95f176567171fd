"""Signature checks: every refusal code of docs/protocol.md, fields by name, replay window."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from kiosk.api.signature import sign
from kiosk.emulator.auth import Authenticator, ReplayCache

APPID, SID, KEY = "1000001", "AKIDdemo", "demo-key-0123456789"


def raw_sign(plain: str, key: str = KEY) -> str:
    digest = hmac.new(key.encode(), plain.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest + plain.encode()).decode()


@pytest.fixture
def auth(store, clock):
    return Authenticator(store, clock)


def check(auth, header, body_appid=APPID):
    first, parsed = auth.check_header(header)
    if parsed is None:
        return first.code
    return auth.verify(parsed, body_appid).code


def test_a_good_signature_passes_once_then_is_a_replay(auth, clock):
    header = sign(APPID, SID, KEY, now=int(clock()), rand=42)
    assert check(auth, header) == 0
    assert check(auth, header) == 13


def test_the_same_r_with_another_t_is_not_a_replay(auth, clock):
    assert check(auth, sign(APPID, SID, KEY, now=int(clock()), rand=42)) == 0
    assert check(auth, sign(APPID, SID, KEY, now=int(clock()) + 1, rand=42)) == 0


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, 4),
        ("", 4),
        ("   ", 4),
        ("not base64 at all!", 5),
        (base64.b64encode(b"short").decode(), 5),
        (base64.b64encode(b"x" * 20 + b"a=1&k=2").decode(), 5),  # e, t, r missing
        (base64.b64encode(b"x" * 20 + b"a=1&k=2&e=x&t=1&r=1&f=").decode(), 5),
        (base64.b64encode(b"x" * 20 + b"a=1&k=2&e=9&t=1&r=abc&f=").decode(), 5),
        (base64.b64encode(b"x" * 20 + b"\xff\xfe&e=1").decode(), 5),
    ],
)
def test_empty_and_malformed_headers(auth, header, code):
    assert check(auth, header) == code


def test_appid_differs_from_body_6(auth, clock):
    header = sign(APPID, SID, KEY, now=int(clock()), rand=1)
    assert check(auth, header, body_appid="9999999") == 6
    assert check(auth, header, body_appid=None) == 6


def test_expired_9(auth, clock):
    header = sign(APPID, SID, KEY, now=int(clock()), rand=1, lifetime=30)
    clock.advance(31)
    assert check(auth, header) == 9


def test_unknown_appid_10(auth, clock):
    header = sign("5555555", SID, KEY, now=int(clock()), rand=1)
    assert check(auth, header, body_appid="5555555") == 10


def test_unknown_secret_id_11(auth, clock):
    header = sign(APPID, "AKIDnobody", KEY, now=int(clock()), rand=1)
    assert check(auth, header) == 11


def test_secret_id_of_another_appid_12(auth, clock):
    header = sign(APPID, "AKIDother", "other-key-0123456789", now=int(clock()), rand=1)
    assert check(auth, header) == 12


def test_wrong_key_14_and_not_remembered_as_seen(auth, clock):
    now = int(clock())
    assert check(auth, sign(APPID, SID, "wrong-key", now=now, rand=7)) == 14
    # A forged signature must not block the genuine one with the same r and t.
    assert check(auth, sign(APPID, SID, KEY, now=now, rand=7)) == 0


def test_fields_in_any_order_without_b_and_with_unknown_fields(auth, clock):
    now = int(clock())
    node_style = f"a={APPID}&k={SID}&e={now + 100}&t={now}&r=12345&u=0&f="
    java_style = f"a={APPID}&b=&k={SID}&t={now}&e={now + 100}&r=2147483647&f="
    assert check(auth, raw_sign(node_style)) == 0
    assert check(auth, raw_sign(java_style)) == 0


def test_replay_cache_forgets_expired_entries(clock):
    cache = ReplayCache(clock, max_entries=10)
    for i in range(10):
        assert not cache.seen_before(("a", "k", str(i), "1"), clock() + 5)
    clock.advance(10)
    assert not cache.seen_before(("a", "k", "new", "1"), clock() + 5)
    assert len(cache) == 1


def test_replay_cache_stays_bounded_when_full_of_valid_entries(clock):
    cache = ReplayCache(clock, max_entries=10)
    for i in range(25):
        cache.seen_before(("a", "k", str(i), "1"), clock() + 1000)
    assert len(cache) <= 10
