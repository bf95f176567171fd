"""Signature codes over real HTTP: 4 5 6 9 10 11 12 13 14, by hand and through the kiosk's client."""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.api import Client
from kiosk.emulator import EmulatorHandle
from kiosk.emulator.store import Store
from kiosk.errors import ServiceError
from tests.integration.test_emulator_wire import Wire, running

SECOND = ("2000002", "AKIDsecondRoom", "second-room-key-0123456789")


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorHandle, Wire]]:
    folder = tmp_path_factory.mktemp("emulator-signature")
    with running(folder) as (handle, wire):
        # A second account, as 'kiosk emulator account add' makes it, for the pairing codes.
        Store(folder).add_account(*SECOND)
        yield handle, wire


def livegetfour(wire: Wire, auth: str | None, *, appid: str | None = None) -> int:
    body = {} if appid is None else {"appid": appid}
    return int(wire.post("livegetfour", json_body=body, auth=auth)["code"])


def test_a_good_signature_passes(emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    assert livegetfour(wire, wire.auth()) == 0


def test_the_second_account_signs_for_its_own_appid(emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    appid, secret_id, key = SECOND
    assert livegetfour(wire, wire.auth(appid=appid, secret_id=secret_id, key=key),
                       appid=appid) == 0


@pytest.mark.parametrize("header", [None, ""])
def test_empty_signature_is_4(emulator: tuple[EmulatorHandle, Wire], header: str | None) -> None:
    _, wire = emulator
    assert livegetfour(wire, header) == 4


@pytest.mark.parametrize("header", [
    "not base64 at all!",
    base64.b64encode(b"short").decode(),  # no room for a 20-byte digest
    base64.b64encode(b"\0" * 20 + b"a=1&k=2&e=3").decode(),  # t and r missing
    base64.b64encode(b"\0" * 20 + b"a=1&k=2&e=soon&t=1&r=1&f=").decode(),  # e not a number
    base64.b64encode(b"\0" * 20 + b"\xff\xfe").decode(),  # plain text not UTF-8
])
def test_malformed_signature_is_5(emulator: tuple[EmulatorHandle, Wire], header: str) -> None:
    _, wire = emulator
    assert livegetfour(wire, header) == 5


def test_signature_appid_differing_from_the_body_is_6(emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    assert livegetfour(wire, wire.auth(), appid=SECOND[0]) == 6


def test_expired_signature_is_9(emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    assert livegetfour(wire, wire.auth(now=time.time() - 3600)) == 9


def test_unknown_appid_is_10(emulator: tuple[EmulatorHandle, Wire]) -> None:
    handle, wire = emulator
    assert livegetfour(wire, wire.auth(appid="9999999"), appid="9999999") == 10


def test_unknown_secret_id_is_11(emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    assert livegetfour(wire, wire.auth(secret_id="AKIDnobodyHasThis")) == 11


def test_secret_id_of_another_appid_is_12(emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    _, secret_id, key = SECOND
    assert livegetfour(wire, wire.auth(secret_id=secret_id, key=key)) == 12


def test_replayed_signature_is_13(emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    header = wire.auth(rand=987654321)
    assert livegetfour(wire, header) == 0
    assert livegetfour(wire, header) == 13
    assert livegetfour(wire, wire.auth()) == 0  # a fresh one still passes


def test_wrong_key_is_14_and_does_not_poison_the_replay_cache(
        emulator: tuple[EmulatorHandle, Wire]) -> None:
    _, wire = emulator
    forged = wire.auth(key="not-the-key", rand=55555)
    assert livegetfour(wire, forged) == 14
    assert livegetfour(wire, forged) == 14  # not 13: a forgery is never remembered
    assert livegetfour(wire, wire.auth(rand=55555)) == 0  # the real owner's (r, t) is free


# --- the same refusals as the kiosk's own client meets them ---------------------------------


def client_code(handle: EmulatorHandle, *, appid: str | None = None, secret_key: str | None = None,
                **options: Any) -> int:
    """The code the client's livegetfour meets (0: it passed)."""
    with Client(handle.base_url, appid or handle.appid, handle.secret_id,
                secret_key or handle.secret_key, retries=0, **options) as client:
        try:
            client.livegetfour()
        except ServiceError as err:
            assert err.code is not None
            return err.code
    return 0


def test_client_with_a_wrong_key_meets_14(emulator: tuple[EmulatorHandle, Wire]) -> None:
    handle, _ = emulator
    assert client_code(handle, secret_key="typo-in-the-key") == 14


def test_client_with_a_slow_clock_meets_9(emulator: tuple[EmulatorHandle, Wire]) -> None:
    handle, _ = emulator
    assert client_code(handle, clock=lambda: time.time() - 600) == 9


def test_client_with_a_wrong_appid_meets_10(emulator: tuple[EmulatorHandle, Wire]) -> None:
    handle, _ = emulator
    assert client_code(handle, appid="1234567") == 10


def test_two_clients_sending_the_same_signature_meet_13(
        emulator: tuple[EmulatorHandle, Wire]) -> None:
    """Same clock second and same nonce: what a cloned kiosk image with a fixed seed would do."""
    handle, _ = emulator
    frozen = float(int(time.time()))
    first = client_code(handle, clock=lambda: frozen, rng=random.Random(2024))
    second = client_code(handle, clock=lambda: frozen, rng=random.Random(2024))
    assert (first, second) == (0, 13)
