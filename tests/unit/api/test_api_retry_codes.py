"""The error catalog against the document, and the retry rules over a scripted transport."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.api import CATALOG, Backoff, Category, lookup, may_retry
from kiosk.api._exceptions import (
    ConnectionLostError,
    DeadlineError,
    HTTPStatusError,
    NotJSONError,
    ReadTimeoutError,
    RefusedError,
    TruncatedError,
)
from kiosk.errors import ServiceError, TLSError

from .conftest import answer

# Every return code in the document's table (section 3), in its order.
DOCUMENT_CODES = [3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 21, 23, 107, 108, 213, -4006, -4007,
                  -4009, -4010, -4015, -4016, -4017, -4018, -5001, -5002, -5005, -5007, -5008,
                  -5009, -5010, -5011, -5012, -5013, -5014, -5015, -5801, -5802, -5803, -5804,
                  -5805]
# docs/protocol.md, "Return codes by what can be done".
NOTES_CATEGORIES = {
    Category.RETRY: [-5007, -5009, -5010, -5011, -5012, -5013, -5015, -5002, -5008, -4006,
                     -4007, -4015, -4016, -5001, -5005],
    Category.INPUT: [-5801, -5803, -5804, 21],
    Category.CARD: [-4009, -4017, -4018, -4010],
    Category.CONFIG: [3, 4, 5, 6, 10, 11, 12, 14, 9],
    Category.TRANSIENT: [15, 107, 108, 213, -5802],
}


def test_every_documented_code_has_both_languages_and_an_action() -> None:
    assert set(DOCUMENT_CODES) <= set(CATALOG)
    for code in DOCUMENT_CODES:
        entry = CATALOG[code]
        assert entry.code == code and entry.zh and entry.en and entry.action_zh and entry.action_en
        assert entry.zh != entry.en


@pytest.mark.parametrize("category", list(NOTES_CATEGORIES))
def test_categories_follow_the_notes(category: Category) -> None:
    assert {c: CATALOG[c].category for c in NOTES_CATEGORIES[category]} == dict.fromkeys(
        NOTES_CATEGORIES[category], category)


def test_unknown_codes_get_an_entry_not_a_crash() -> None:
    entry = lookup(-9999)
    assert entry.code == -9999 and "-9999" in entry.en and entry.action_en


def error(kind: type, *args: object) -> object:
    if kind is HTTPStatusError:
        return HTTPStatusError(int(args[0]), "e", "e", fix_en="f", fix_zh="f")  # type: ignore[arg-type]
    if kind is ServiceError:
        code = int(args[0])  # type: ignore[arg-type]
        return ServiceError(code, "m", lookup(code))
    return kind("e")


@pytest.mark.parametrize(("made", "idempotent", "upload"), [
    ((RefusedError,), True, True),  # never reached the server: anything may go again
    ((ServiceError, 15), True, True),
    ((ServiceError, 107), True, True),
    ((ServiceError, 108), True, True),
    ((ServiceError, 213), True, False),  # processed or not? a video is not resent
    ((ServiceError, -5802), True, False),
    ((ServiceError, 13), True, False),
    ((ServiceError, 14), False, False),
    ((ServiceError, -5011), False, False),
    ((HTTPStatusError, 503), True, False),
    ((HTTPStatusError, 404), False, False),
    ((ReadTimeoutError,), True, False),
    ((DeadlineError,), True, False),
    ((ConnectionLostError,), True, False),
    ((TruncatedError,), True, False),
    ((NotJSONError,), False, False),
    ((TLSError,), False, False),
])
def test_retry_rules(made: tuple, idempotent: bool, upload: bool) -> None:
    exc = error(*made)
    assert may_retry(exc, idempotent=True) is idempotent  # type: ignore[arg-type]
    assert may_retry(exc, idempotent=False) is upload  # type: ignore[arg-type]


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    backoff, rng = Backoff(base=0.5, cap=4.0), random.Random(3)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)]:
        delays = [backoff.delay(attempt, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter: kiosks that failed together spread out


def test_client_retries_livegetfour_then_succeeds(client_for, sleeps: list[float]) -> None:
    client, script = client_for(answer(213), answer(-5802), answer(0, {"validate_data": "4321"}))
    assert client.livegetfour() == "4321"
    assert len(script.seen) == 3 and len(sleeps) == 2
    auths = [r.headers["Authorization"] for r, _ in script.seen]
    assert len(set(auths)) == 3  # signed afresh after each backoff


def test_client_never_resends_a_finished_upload(client_for, sleeps: list[float],
                                                tmp_path: Path) -> None:
    clip = tmp_path / "c.mp4"
    clip.write_bytes(b"v" * 1000)
    client, script = client_for(answer(213))
    with pytest.raises(ServiceError) as info:
        client.livedetectfour(clip, "1357", compare_flag=False)
    assert info.value.code == 213 and len(script.seen) == 1 and sleeps == []


def test_client_gives_up_after_its_retries(client_for, sleeps: list[float]) -> None:
    client, script = client_for(answer(15), retries=2)
    with pytest.raises(ServiceError) as info:
        client.livegetfour()
    assert len(script.seen) == 3 and len(sleeps) == 2
    assert info.value.attempts == 3
