"""Hostile requests in-process: client mistakes get the document's request codes, never -5802
(which clients treat as "try again"), and leave no traceback in the log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from typing import Any

import pytest

from kiosk.emulator.app import create_app
from kiosk.emulator.store import Store
from tests.support import asgi
from tests.unit.emulator.conftest import FakeClock

APPID, SECRET_ID, KEY = "1000001", "AKIDdemo", "demo-key-0123456789"


def signed(plain: str, key: str = KEY) -> str:
    """An Authorization value over any plain text (also ones the kiosk's client never makes)."""
    raw = plain.encode("utf-8")
    return base64.b64encode(hmac.new(key.encode(), raw, hashlib.sha1).digest() + raw).decode()


def good_auth(clock: FakeClock, rand: int = 1) -> str:
    now = int(clock.now)
    return signed(f"a={APPID}&b=&k={SECRET_ID}&e={now + 60}&t={now}&r={rand}&f=")


@pytest.fixture
def app(store: Store, clock: FakeClock) -> Any:
    return create_app(store, clock=clock)


def post(app: Any, call: str, auth: str, content_type: str, body: bytes) -> dict[str, Any]:
    headers = [(b"authorization", auth.encode()), (b"content-type", content_type.encode()),
               (b"content-length", str(len(body)).encode())]
    answer = asgi.run(app, "POST", f"/face/{call}", headers,
                      [body[i:i + 65536] for i in range(0, len(body), 65536)])
    assert answer.status == 200, answer
    doc: dict[str, Any] = json.loads(answer.body)
    return doc


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback and nothing above a warning in the emulator's log."""
    for record in caplog.records:
        assert record.exc_info is None, f"traceback logged: {record.getMessage()}"
        assert record.levelno < logging.ERROR, record.getMessage()


def json_body(**extra: Any) -> bytes:
    return json.dumps({"appid": APPID, **extra}).encode()


def test_a_5000_digit_expiry_is_a_malformed_signature(app: Any, clock: FakeClock,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    now = int(clock.now)
    auth = signed(f"a={APPID}&b=&k={SECRET_ID}&e={'9' * 5000}&t={now}&r=7&f=")
    assert post(app, "livegetfour", auth, "application/json", json_body())["code"] == 5
    assert_quiet(caplog)


def test_a_400_digit_expiry_is_malformed_too(app: Any, clock: FakeClock,
                                             caplog: pytest.LogCaptureFixture) -> None:
    # Below Python's 4300-digit limit, but past what a float holds (the replay cache's clock).
    caplog.set_level(logging.DEBUG)
    now = int(clock.now)
    auth = signed(f"a={APPID}&b=&k={SECRET_ID}&e={'9' * 400}&t={now}&r=8&f=")
    assert post(app, "livegetfour", auth, "application/json", json_body())["code"] == 5
    assert_quiet(caplog)


def test_a_5000_character_boundary_is_21(app: Any, clock: FakeClock,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    boundary = "b" * 5000
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"appid\"\r\n\r\n{APPID}\r\n"
            f"--{boundary}--\r\n").encode()
    reply = post(app, "livedetectfour", good_auth(clock),
                 f"multipart/form-data; boundary={boundary}", body)
    assert reply["code"] == 21, reply
    assert_quiet(caplog)


def test_json_nested_100000_deep_is_21(app: Any, clock: FakeClock,
                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = b'{"appid": "' + APPID.encode() + b'", "seq": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    reply = post(app, "livegetfour", good_auth(clock), "application/json", body)
    assert reply["code"] == 21, reply
    assert_quiet(caplog)


def test_a_5000_digit_json_number_is_21(app: Any, clock: FakeClock,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = b'{"appid": "' + APPID.encode() + b'", "seq": ' + b"7" * 5000 + b"}"
    reply = post(app, "livegetfour", good_auth(clock), "application/json", body)
    assert reply["code"] == 21, reply
    assert_quiet(caplog)


def test_the_good_request_still_gets_its_code(app: Any, clock: FakeClock) -> None:
    reply = post(app, "livegetfour", good_auth(clock), "application/json", json_body())
    assert reply["code"] == 0 and len(reply["data"]["validate_data"]) == 4


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999/x", "http://[zz]/"])
def test_an_unparsable_url_is_a_failed_download(app: Any, clock: FakeClock, store: Store,
                                                caplog: pytest.LogCaptureFixture,
                                                url: str) -> None:
    # Found by tests/benchmarks/fuzz_emulator.py: urlsplit raises ValueError on these.
    caplog.set_level(logging.DEBUG)
    from tests.support.emulator_fuzz import ID_NUMBER, NAME, tiny_jpeg

    store.enroll(ID_NUMBER, NAME, tiny_jpeg(320, 480))
    body = json_body(idcard_number=ID_NUMBER, idcard_name=NAME, url=url)
    reply = post(app, "idcardcompare", good_auth(clock, rand=hash(url) % 1000), "application/json",
                 body)
    assert reply["code"] == -5805, reply
    assert_quiet(caplog)
