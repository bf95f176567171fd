"""The Authorization signature against values worked out by hand (docs/protocol.md's algorithm)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random

import pytest

from kiosk.api import signature

from .conftest import APPID, NOW, SECRET_ID, SECRET_KEY, answer

# Worked out with openssl, independently of Python:
#   P='a=1251000000&b=kiosk&k=AKIDhandworkedexample&e=1700000060&t=1700000000&r=123456789&f='
#   (printf %s "$P" | openssl dgst -sha1 -hmac handworked-secret-key -binary; printf %s "$P") | base64
HAND_PLAIN = "a=1251000000&b=kiosk&k=AKIDhandworkedexample&e=1700000060&t=1700000000&r=123456789&f="
HAND_DIGEST = bytes.fromhex("0b374507d674efd934d67f3b3704b0175e7b14f2")
HAND_HEADER = ("CzdFB9Z079k01n87NwSwF157FPJhPTEyNTEwMDAwMDAmYj1raW9zayZrPUFLSURoYW5kd29ya2VkZXhh"
               "bXBsZSZlPTE3MDAwMDAwNjAmdD0xNzAwMDAwMDAwJnI9MTIzNDU2Nzg5JmY9")
# The same with an empty bucket, a 30 s lifetime (the SDK's default) and r=0.
EMPTY_BUCKET_HEADER = ("hT1mgxt8Ig3N2NgFv4rEN/7Y4VthPTEyMzQ1NiZiPSZrPUFLSURkb2MmZT0xNzAwMDAwMDMwJnQ9"
                       "MTcwMDAwMDAwMCZyPTAmZj0=")


def test_sign_matches_the_hand_worked_header() -> None:
    header = signature.sign("1251000000", "AKIDhandworkedexample", "handworked-secret-key",
                            now=1_700_000_000, rand=123456789, bucket="kiosk", lifetime=60)
    assert header == HAND_HEADER
    raw = base64.b64decode(header)
    assert raw[:20] == HAND_DIGEST and raw[20:].decode() == HAND_PLAIN


def test_sign_with_empty_bucket_keeps_the_b_field() -> None:
    header = signature.sign("123456", "AKIDdoc", "k", now=1_700_000_000, rand=0, lifetime=30)
    assert header == EMPTY_BUCKET_HEADER
    assert base64.b64decode(header)[20:].startswith(b"a=123456&b=&k=AKIDdoc&e=1700000030&")


def test_plain_text_field_order_is_the_reference_sdks() -> None:
    assert signature.plain_text("1", "b", "k", 70, 10, 5) == "a=1&b=b&k=k&e=70&t=10&r=5&f="


def test_parse_gives_back_every_field_and_verifies() -> None:
    parsed = signature.parse(HAND_HEADER)
    assert parsed.fields == {"a": "1251000000", "b": "kiosk", "k": "AKIDhandworkedexample",
                             "e": "1700000060", "t": "1700000000", "r": "123456789", "f": ""}
    assert (parsed.appid, parsed.secret_id, parsed.now, parsed.expires, parsed.rand) == (
        "1251000000", "AKIDhandworkedexample", 1_700_000_000, 1_700_000_060, "123456789")
    assert parsed.digest == HAND_DIGEST
    assert parsed.verify("handworked-secret-key")
    assert not parsed.verify("handworked-secret-kez")


def test_parse_reads_other_sdks_field_orders() -> None:
    # The Node SDK: no b, an extra u, another order; a server must still read it.
    plain = b"a=1&k=AKID&e=200&t=100&r=55555&u=0&f="
    digest = hmac.new(b"key", plain, hashlib.sha1).digest()
    parsed = signature.parse(base64.b64encode(digest + plain).decode())
    assert parsed.fields["u"] == "0" and "b" not in parsed.fields and parsed.verify("key")


def test_tampered_plain_text_fails_verification() -> None:
    raw = bytearray(base64.b64decode(HAND_HEADER))
    raw[-5] = ord("9")  # r=123456789 becomes r=123456799 in the signed text
    parsed = signature.parse(base64.b64encode(bytes(raw)).decode())
    assert not parsed.verify("handworked-secret-key")


@pytest.mark.parametrize("header", [
    "", "not base64 at all!", base64.b64encode(b"x" * 20).decode(),
    base64.b64encode(b"\0" * 20 + b"a=1&k=2&e=3&t=4").decode(),  # no r
    base64.b64encode(b"\0" * 20 + b"a=1&k=2&e=x&t=4&r=1&f=").decode(),  # e not a number
    base64.b64encode(b"\0" * 20 + b"a=1&k=2&e=3&t=\xb2&r=1&f=").decode(),  # not UTF-8
    base64.b64encode(b"\0" * 20 + "a=1&k=2&e=²&t=4&r=1&f=".encode()).decode(),  # not ASCII digits
    base64.b64encode(b"\0" * 20 + b"a=1&garbage&k=2&e=3&t=4&r=1").decode(),
])
def test_malformed_headers_are_refused(header: str) -> None:
    with pytest.raises(signature.MalformedSignature):
        signature.parse(header)


def test_every_request_is_signed_afresh_from_the_injected_clock(client_for) -> None:
    ticks = iter([NOW, NOW, NOW + 7])
    client, script = client_for(answer(0, {"validate_data": "1234"}), clock=lambda: next(ticks),
                                rng=random.Random(5), lifetime=45)
    for _ in range(3):
        client.livegetfour()
    parsed = [signature.parse(req.headers["Authorization"]) for req, _ in script.seen]
    assert [p.now for p in parsed] == [NOW, NOW, NOW + 7]
    assert all(p.expires == p.now + 45 for p in parsed)
    assert len({p.rand for p in parsed}) == 3  # a new nonce every time
    assert all(0 <= int(p.rand) <= signature.RAND_MAX for p in parsed)
    assert all(p.appid == APPID and p.secret_id == SECRET_ID and p.verify(SECRET_KEY)
               for p in parsed)
    # With the same seed the nonces are reproducible: the rng is the only source of randomness.
    again, script2 = client_for(answer(0, {"validate_data": "1234"}), rng=random.Random(5))
    again.livegetfour()
    assert signature.parse(script2.seen[0][0].headers["Authorization"]).rand == parsed[0].rand


def test_default_lifetime_is_60_seconds(client_for) -> None:
    client, script = client_for(answer(0, {"validate_data": "1234"}))
    client.livegetfour()
    parsed = signature.parse(script.seen[0][0].headers["Authorization"])
    assert parsed.expires - parsed.now == 60


def test_secret_key_never_in_repr_or_header(client_for) -> None:
    client, script = client_for(answer(0, {"validate_data": "1234"}))
    client.livegetfour()
    assert SECRET_KEY not in repr(client)
    request, body = script.seen[0]
    assert SECRET_KEY.encode() not in base64.b64decode(request.headers["Authorization"])
    assert SECRET_KEY.encode() not in body
