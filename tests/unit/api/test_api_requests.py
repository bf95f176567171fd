"""Requests built and guarded before sending: exact sizes, every field, refusals that send nothing."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from requests_toolbelt.multipart.decoder import MultipartDecoder

from kiosk import inputs
from kiosk.api import (
    MAX_BODY_BYTES,
    AnimatedImageError,
    BodyTooLargeError,
    MissingFieldError,
    measure,
)
from kiosk.errors import InputError

from .conftest import APPID, answer

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(200)) + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
LIVE_OK = {"live_status": 0, "live_msg": "OK", "compare_status": 0, "compare_msg": "OK", "sim": 88}


def parts(request, body: bytes) -> dict[str, tuple[bytes, str]]:
    """The multipart body taken apart as a server would: name -> (content, Content-Disposition)."""
    decoded = MultipartDecoder(body, request.headers["Content-Type"])
    out = {}
    for part in decoded.parts:
        disposition = part.headers[b"Content-Disposition"].decode()
        name = disposition.split('name="', 1)[1].split('"', 1)[0]
        out[name] = (part.content, disposition)
    return out


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "王芳-2024.mp4"  # the person's name in the file name must not be sent
    path.write_bytes(random.Random(1).randbytes(50_000))
    return path


def test_livedetectfour_sends_every_field_and_both_files(client_for, video: Path) -> None:
    client, script = client_for(answer(0, LIVE_OK), bucket="kiosk")
    result = client.livedetectfour(video, "1357", card=JPEG, seq="desk-1")
    request, body = script.seen[0]
    got = parts(request, body)
    assert {k: v[0] for k, v in got.items() if k not in ("video", "card")} == {
        "appid": APPID.encode(), "bucket": b"kiosk", "validate_data": b"1357",
        "compare_flag": b"true", "seq": b"desk-1"}
    assert got["video"][0] == video.read_bytes() and got["card"][0] == JPEG
    assert 'filename="video.mp4"' in got["video"][1] and 'filename="card.jpg"' in got["card"][1]
    assert "王芳" not in body.decode("utf-8", errors="replace").split("\r\n\r\n")[0]
    assert request.url.endswith("/face/livedetectfour")
    assert int(request.headers["Content-Length"]) == len(body)
    assert result.passed() and result.sim == 88


def test_idcardlivedetectfour_fields(client_for, video: Path) -> None:
    client, script = client_for(answer(0, LIVE_OK))
    client.idcardlivedetectfour(video, "2468", "11010519491231002X", "王芳")
    got = parts(*script.seen[0])
    assert got["idcard_number"][0] == b"11010519491231002X"
    assert got["idcard_name"][0].decode() == "王芳" and got["validate_data"][0] == b"2468"
    assert "bucket" not in got and "seq" not in got  # empty optional fields are left out


def test_measure_is_the_exact_number_of_bytes_sent(client_for, video: Path) -> None:
    client, script = client_for(answer(0, LIVE_OK))
    request = client.build_request("livedetectfour", video=video, validate_data="1357", card=JPEG)
    client.send(request)
    assert measure(request) == request.body_length == len(script.seen[0][1])


def test_idcardcompare_with_a_url_is_json_and_the_url_wins(client_for) -> None:
    client, script = client_for(answer(0, {"similarity": 81.5, "session_id": "s9"}))
    result = client.idcardcompare("11010519491231002X", "王芳", image=JPEG,
                                  url="http://127.0.0.1/a.jpg", session_id="s9")
    request, body = script.seen[0]
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"appid": APPID, "idcard_number": "11010519491231002X",
                                "idcard_name": "王芳", "session_id": "s9",
                                "url": "http://127.0.0.1/a.jpg"}
    assert (result.similarity, result.session_id) == (81.5, "s9")


def test_body_over_the_limit_is_refused_before_sending(client_for, tmp_path: Path) -> None:
    client, script = client_for(answer(0, LIVE_OK))
    big = tmp_path / "big.mp4"
    with big.open("wb") as fh:
        fh.truncate(MAX_BODY_BYTES)  # the video alone fits; the framing and fields do not
    with pytest.raises(BodyTooLargeError) as info:
        client.livedetectfour(big, "1357", compare_flag=False)
    assert info.value.code == 23 and info.value.exit_code == 1 and script.seen == []
    assert "nothing was sent" in info.value.en and "23" in info.value.zh


def test_body_just_under_the_limit_is_sent(client_for, tmp_path: Path) -> None:
    client, script = client_for(answer(0, {"live_status": 0}))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0")
    request = client.build_request("livedetectfour", video=clip, validate_data="1357",
                                   compare_flag=False)
    framing = request.body_length - 1
    with clip.open("wb") as fh:
        fh.truncate(MAX_BODY_BYTES - framing)
    client.livedetectfour(clip, "1357", compare_flag=False)
    assert len(script.seen[0][1]) == MAX_BODY_BYTES


@pytest.mark.parametrize("call", ["idcardcompare", "livedetectfour"])
def test_gif_is_refused_by_its_bytes(call: str, client_for, video: Path) -> None:
    client, script = client_for(answer(0, LIVE_OK))
    with pytest.raises(AnimatedImageError) as info:
        if call == "idcardcompare":
            client.idcardcompare("11010519491231002X", "王芳", image=GIF)
        else:
            client.livedetectfour(video, "1357", card=GIF)
    assert script.seen == [] and "GIF" in info.value.en
    assert info.value.code == (-4016 if call == "idcardcompare" else -4018)


@pytest.mark.parametrize(("kwargs", "code"), [
    (dict(idcard_number="", idcard_name="王芳", image=JPEG), -5801),
    (dict(idcard_number="11010519491231002X", idcard_name="  ", image=JPEG), -5801),
    (dict(idcard_number="11010519491231002X", idcard_name="王芳"), -5805),
    (dict(idcard_number="11010519491231002X", idcard_name="王芳", image=b""), -4016),
])
def test_missing_fields_of_idcardcompare(kwargs: dict, code: int, client_for) -> None:
    client, script = client_for()
    number, name = kwargs.pop("idcard_number"), kwargs.pop("idcard_name")
    with pytest.raises(MissingFieldError) as info:
        client.idcardcompare(number, name, **kwargs)
    assert info.value.code == code and script.seen == []


def test_missing_fields_of_the_video_calls(client_for, video: Path) -> None:
    client, script = client_for()
    with pytest.raises(MissingFieldError) as info:
        client.livedetectfour(video, "", card=JPEG)
    assert info.value.code == 21
    with pytest.raises(MissingFieldError) as info:
        client.livedetectfour(video, "1357")  # compare_flag defaults to true: a card is needed
    assert info.value.code == 21 and "card" in info.value.en
    with pytest.raises(MissingFieldError):
        client.idcardlivedetectfour(video, "1357", "11010519491231002X", "")
    assert script.seen == []


@pytest.mark.parametrize("make", ["missing", "empty", "folder"])
def test_unreadable_video_is_an_input_error(make: str, client_for, tmp_path: Path) -> None:
    path = {"missing": tmp_path / "none.mp4", "folder": tmp_path}.get(make, tmp_path / "e.mp4")
    if make == "empty":
        path.write_bytes(b"")
    client, script = client_for()
    with pytest.raises(InputError) as info:
        client.livedetectfour(path, "1357", compare_flag=False)
    assert str(path) in info.value.en and info.value.exit_code == 2 and script.seen == []


def test_files_are_read_by_kiosk_inputs_rules(client_for, tmp_path: Path, video: Path) -> None:
    # A device is refused before it is opened, a FIFO never blocks, a huge photo is not loaded.
    client, script = client_for()
    fifo = tmp_path / "card.fifo"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as fh:
        fh.truncate(inputs.MEDIA_LIMIT + 1)
    for card, reason in ((Path("/dev/zero"), "device"), (fifo, "pipe"), (huge, "too_large")):
        with pytest.raises(inputs.FileRefused) as info:
            client.livedetectfour(video, "1357", card=card)
        assert info.value.reason == reason and "card photo" in info.value.en
    with pytest.raises(inputs.FileRefused) as info:
        client.livedetectfour(fifo, "1357", compare_flag=False)
    assert info.value.reason == "pipe" and "video" in info.value.en
    assert script.seen == []


def test_progress_reports_up_to_the_total(client_for, video: Path) -> None:
    client, _ = client_for(answer(0, LIVE_OK))
    seen: list[tuple[int, int]] = []
    client.livedetectfour(video, "1357", card=JPEG, progress=lambda s, t: seen.append((s, t)))
    totals = {t for _, t in seen}
    sent = [s for s, _ in seen]
    assert len(totals) == 1 and sent[0] == 0 and sent[-1] == totals.pop()
    assert sent == sorted(sent) and len(sent) > 2
