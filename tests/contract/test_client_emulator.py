"""The client against the emulator over HTTP: the four calls, typed results, signature refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client, CompareResult, LiveResult
from kiosk.errors import ServiceError

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PEOPLE = json.loads((ASSETS / "people.json").read_text(encoding="utf-8"))
SAMPLE = next(p for p in PEOPLE["people"] if p["key"] == "sample")
CARD, OTHER = ASSETS / SAMPLE["photo"], ASSETS / "other_person.jpg"
CLIP = ASSETS / PEOPLE["clip"]["file"]


def test_idcardcompare_with_bytes_and_with_a_path(client: Client) -> None:
    same = client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"], image=CARD)
    other = client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"], image=OTHER.read_bytes(),
                                 session_id="contract-1")
    assert isinstance(same, CompareResult) and same.passed() and same.session_id
    assert isinstance(same.similarity, float) and same.raw["data"]["similarity"] == same.similarity
    assert not other.passed() and other.similarity is not None and other.similarity < 70


def test_livedetectfour_returns_the_best_frame_as_jpeg(client: Client) -> None:
    result = client.livedetectfour(CLIP, client.livegetfour(), card=CARD, seq="contract-2")
    assert isinstance(result, LiveResult) and result.passed(), result.problems()
    assert (result.live_status, result.compare_status) == (0, 0) and isinstance(result.sim, int)
    assert result.best_frame is not None and result.best_frame[:3] == b"\xff\xd8\xff"
    assert result.photo == result.raw["data"]["photo"]


def test_idcardlivedetectfour_reads_video_photo(client: Client) -> None:
    seen: list[int] = []
    result = client.idcardlivedetectfour(CLIP, client.livegetfour(), SAMPLE["id_number"],
                                         SAMPLE["name"], progress=lambda s, t: seen.append(s))
    assert result.passed() and result.best_frame is not None
    assert result.photo == result.raw["data"]["video_photo"]
    assert seen[0] == 0 and seen == sorted(seen) and seen[-1] > CLIP.stat().st_size


def test_liveness_only_when_compare_flag_is_false(client: Client) -> None:
    result = client.livedetectfour(CLIP, client.livegetfour(), compare_flag=False)
    assert result.passed() and result.compare_status is None and result.sim is None


def test_a_code_is_good_for_one_detection_only(client: Client) -> None:
    code = client.livegetfour()
    client.livedetectfour(CLIP, code, compare_flag=False)
    with pytest.raises(ServiceError) as info:
        client.livedetectfour(CLIP, code, compare_flag=False)
    assert info.value.code == 21


@pytest.mark.parametrize(("change", "code"), [
    ({"secret_key": "not-the-key"}, 14), ({"secret_id": "AKIDunknown"}, 11),
    ({"appid": "999"}, 10), ({"clock": lambda: 1_000_000_000.0}, 9)])
def test_signature_refusals(change: dict[str, Any], code: int, emulator: Any) -> None:
    options: dict[str, Any] = dict(endpoint=emulator.base_url, appid=emulator.appid,
                                   secret_id=emulator.secret_id, secret_key=emulator.secret_key)
    options.update(change)
    extra = {"clock": options.pop("clock")} if "clock" in options else {}
    with Client(**options, retries=0, **extra) as bad, pytest.raises(ServiceError) as info:
        bad.livegetfour()
    assert info.value.code == code and info.value.entry.category == "config"
    assert emulator.secret_key not in info.value.text("en") + info.value.text("zh")
