"""Request checks over real HTTP: 23 for big bodies (chunked too), 21 and -5801 for missing or
malformed fields, -5804 -5803 for the identity, -5805 for no image or a failed URL, and the
four-digit codes (unknown, expired, reused, another appid's: 21)."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.emulator import EmulatorHandle
from kiosk.emulator.store import Store
from tests.integration.test_emulator_wire import (
    CARD_PHOTO,
    OTHER,
    SAMPLE,
    SAMPLE_CLIP,
    Wire,
    running,
    strict_json,
)

SEVEN_MB = 7_000_000
NOT_ENROLLED = "110101199003070513"  # valid check digit and date, nobody enrolled under it
BAD_CHECK_DIGIT = "110110199909090909"  # the API document's own sample number (docs/protocol.md)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorHandle, Wire]]:
    with running(tmp_path_factory.mktemp("emulator-requests")) as pair:
        yield pair


@pytest.fixture(scope="module")
def wire(emulator: tuple[EmulatorHandle, Wire]) -> Wire:
    return emulator[1]


# --- 23: the body limit -------------------------------------------------------------------------


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """``total`` bytes as a generator, so requests sends them chunked, without Content-Length."""
    block = b"\0" * size
    while total > 0:
        yield block[: min(size, total)]
        total -= size


def multipart_head(boundary: str, appid: str) -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"appid\"\r\n\r\n{appid}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; "
            "filename=\"v.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").encode()


def test_a_7mb_body_with_content_length_is_23(wire: Wire) -> None:
    head = multipart_head("B0uNd", wire.handle.appid)
    reply = wire.post("livedetectfour", data=head + bytes(SEVEN_MB),
                      headers={"Content-Type": "multipart/form-data; boundary=B0uNd"})
    assert reply["code"] == 23, reply


def test_a_7mb_chunked_body_is_23(wire: Wire) -> None:
    head = multipart_head("B0uNd", wire.handle.appid)
    reply = wire.post("livedetectfour", data=iter([head, *chunks(SEVEN_MB)]),
                      headers={"Content-Type": "multipart/form-data; boundary=B0uNd"})
    assert reply["code"] == 23, reply


def test_a_chunked_json_body_over_the_limit_is_23(wire: Wire) -> None:
    reply = wire.post("livegetfour", data=chunks(SEVEN_MB),
                      headers={"Content-Type": "application/json"})
    assert reply["code"] == 23, reply


def test_just_under_the_limit_is_read_and_judged(wire: Wire) -> None:
    """5.9 MB of padding after a valid JSON object: read whole, then judged on its fields."""
    body = b'{"appid": "%s"}' % wire.handle.appid.encode() + b" " * 5_900_000
    reply = wire.post("livegetfour", data=body, headers={"Content-Type": "application/json"})
    assert reply["code"] == 0, reply


@pytest.mark.slow
def test_a_big_chunked_body_is_never_held_in_memory(wire: Wire) -> None:
    """30 MB streamed in: the server's Python heap grows by far less than one 6 MB body."""
    head = multipart_head("B0uNd", wire.handle.appid)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        reply = wire.post("livedetectfour", data=iter([head, *chunks(30_000_000)]),
                          headers={"Content-Type": "multipart/form-data; boundary=B0uNd"})
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert reply["code"] == 23
    # Measured ~1.7 MB (buffers, parser, reply); a held 6 MB body could not stay under 4 MB.
    assert peak < 4_000_000, f"peak heap growth {peak:,} bytes"


class Counted:
    """``total`` zero bytes streamed in blocks, counting how many the client was made to send.

    requests sends it with a Content-Length (it has a length); ``iter()`` of it goes chunked.
    """

    def __init__(self, total: int) -> None:
        self.total, self.produced = total, 0

    def __iter__(self) -> Iterator[bytes]:
        for block in chunks(self.total):
            self.produced += len(block)
            yield block

    def __len__(self) -> int:
        return self.total


@pytest.mark.slow
@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_the_server_stops_reading_a_huge_body(wire: Wire, declared: bool) -> None:
    """300 MB offered: the server hangs up long before the end.

    Whether the client still reads the 23 depends on when the reset reaches it (a reset can
    discard a reply already sent), so either a 23 or a broken connection is right here.
    """
    body = Counted(300_000_000)
    try:
        reply = wire.session.post(f"{wire.handle.base_url}/face/livegetfour",
                                  data=body if declared else iter(body), timeout=(5, 60),
                                  headers={"Content-Type": "application/json",
                                           "Authorization": wire.auth()})
        assert strict_json(reply.content)["code"] == 23
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        pass  # the hang-up reached the client before the reply did
    # At most the limit, the discarded drain (64 MB) and the sockets' buffers, never 300 MB.
    assert body.produced < 120_000_000, f"the client sent {body.produced:,} bytes"


# --- 21: the body's form ----------------------------------------------------------------------


@pytest.mark.parametrize(("call", "data", "content_type"), [
    ("livegetfour", b'{"appid": "1000001",', "application/json"),  # cut short
    ("livegetfour", b'["1000001"]', "application/json"),  # not an object
    ("livegetfour", b'{"appid": "1000001", "seq": {"a": 1}}', "application/json"),  # nested
    ("livegetfour", b"appid=1000001", "application/x-www-form-urlencoded"),
    ("livedetectfour", b"--B\r\nContent-Disposition: form-data; name=\"appid\"\r\n\r\n1000001\r\n",
     "multipart/form-data; boundary=B"),  # no closing boundary
    ("livedetectfour", b"--B--\r\n", "multipart/form-data"),  # no boundary parameter
])
def test_a_malformed_body_is_21(wire: Wire, call: str, data: bytes, content_type: str) -> None:
    reply = wire.post(call, data=data.replace(b"1000001", wire.handle.appid.encode()),
                      headers={"Content-Type": content_type})
    assert reply["code"] == 21, reply


def test_a_video_call_sent_as_json_is_21(wire: Wire) -> None:
    reply = wire.post("livedetectfour", json_body={"validate_data": wire.code(),
                                                   "compare_flag": "false"})
    assert reply["code"] == 21, reply


def test_livegetfour_sent_as_multipart_is_21(wire: Wire) -> None:
    assert wire.post("livegetfour", fields={})["code"] == 21


def test_missing_appid_is_6(wire: Wire) -> None:
    """The body must name the appid the signature names."""
    assert wire.post("livegetfour", json_body={}, with_appid=False)["code"] == 6


@pytest.mark.parametrize("flag", ["yes", "1", ""])
def test_compare_flag_other_than_true_or_false_is_21(wire: Wire, flag: str) -> None:
    reply = wire.live(SAMPLE_CLIP, card=CARD_PHOTO, compare=flag)
    assert reply["code"] == 21, reply


def test_missing_validate_data_is_21(wire: Wire) -> None:
    reply = wire.post("livedetectfour", fields={"compare_flag": "false"},
                      files={"video": ("v.mp4", SAMPLE_CLIP.read_bytes(), "video/mp4")})
    assert reply["code"] == 21, reply


def test_missing_or_empty_video_is_21(wire: Wire) -> None:
    missing = wire.post("livedetectfour", fields={"validate_data": wire.code(),
                                                  "compare_flag": "false"})
    empty = wire.live(b"", compare=False)
    assert (missing["code"], empty["code"]) == (21, 21)


def test_compare_true_without_a_card_is_21(wire: Wire) -> None:
    assert wire.live(SAMPLE_CLIP, compare=True)["code"] == 21


# --- identity: -5801 -5804 -5803 ----------------------------------------------------------------


@pytest.mark.parametrize(("number", "name", "code"), [
    ("", SAMPLE["name"], -5801),
    (SAMPLE["id_number"], "", -5801),
    ("   ", "  ", -5801),
    (BAD_CHECK_DIGIT, "张三", -5804),
    ("11010520990101001X", "张三", -5804),  # born in the future
    ("1101051949123100", SAMPLE["name"], -5804),  # 16 characters
    (SAMPLE["id_number"], OTHER["name"], -5803),  # enrolled under another name
    (NOT_ENROLLED, "张三", -5803),  # valid, but not in the registry
])
def test_identity_refusals_in_idcardcompare(wire: Wire, number: str, name: str, code: int) -> None:
    reply = wire.compare(CARD_PHOTO, number=number, name=name)
    assert reply["code"] == code, reply


def test_missing_identity_fields_altogether_is_5801(wire: Wire) -> None:
    reply = wire.post("idcardcompare", json_body={"url": "registry:" + SAMPLE["id_number"]})
    assert reply["code"] == -5801, reply


def test_lower_case_x_and_spaces_in_the_number_are_accepted(wire: Wire) -> None:
    reply = wire.compare(CARD_PHOTO, number=" " + SAMPLE["id_number"].lower() + " ")
    assert reply["code"] == 0, reply


@pytest.mark.parametrize(("number", "name", "code"), [
    (SAMPLE["id_number"], "", -5801),
    (BAD_CHECK_DIGIT, "张三", -5804),
    (SAMPLE["id_number"], OTHER["name"], -5803),
])
def test_identity_refusals_in_idcardlivedetectfour(wire: Wire, number: str, name: str,
                                                   code: int) -> None:
    reply = wire.post("idcardlivedetectfour",
                      fields={"validate_data": wire.code(), "idcard_number": number,
                              "idcard_name": name},
                      files={"video": ("v.mp4", SAMPLE_CLIP.read_bytes(), "video/mp4")})
    assert reply["code"] == code, reply


# --- -5805: no image, or a URL that fails ------------------------------------------------------


@pytest.fixture(scope="module")
def photo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A loopback HTTP server holding card.jpg; yields its base URL."""
    folder = tmp_path_factory.mktemp("photo-server")
    (folder / "card.jpg").write_bytes(CARD_PHOTO.read_bytes())
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port bound but not listening: connecting is refused, without a race."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


def test_neither_image_nor_url_is_5805(wire: Wire) -> None:
    assert wire.compare(None)["code"] == -5805
    assert wire.compare(b"")["code"] == -5805  # an empty image part is no image


def test_url_is_fetched_from_loopback(wire: Wire, photo_server: str) -> None:
    reply = wire.compare(None, url=f"{photo_server}/card.jpg")
    assert reply["code"] == 0 and reply["data"]["similarity"] >= 90, reply


def test_url_wins_over_image_when_both_are_given(wire: Wire, photo_server: str) -> None:
    """The document: if both are given, only the url is used (here a missing one)."""
    reply = wire.compare(CARD_PHOTO, url=f"{photo_server}/missing.jpg")
    assert reply["code"] == -5805, reply


def test_registry_url_reads_the_enrolled_portrait(wire: Wire) -> None:
    reply = wire.compare(None, url="registry:" + SAMPLE["id_number"])
    assert reply["code"] == 0 and reply["data"]["similarity"] >= 90, reply


def test_failing_urls_are_5805(wire: Wire, photo_server: str, closed_port: int) -> None:
    for url in (f"{photo_server}/missing.jpg",  # 404
                f"http://127.0.0.1:{closed_port}/card.jpg",  # refused
                "http://example.invalid/card.jpg",  # not loopback: never looked up
                "ftp://127.0.0.1/card.jpg",
                "registry:" + NOT_ENROLLED):
        reply = wire.compare(None, url=url)
        assert reply["code"] == -5805, (url, reply)


# --- the four-digit codes: 21 for unknown, expired, reused, another appid's --------------------


class Clock:
    """Unix seconds that a test moves forward by hand (shared by the emulator and the signer)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_code_never_issued_is_21(emulator: tuple[EmulatorHandle, Wire]) -> None:
    handle, wire = emulator
    # A fresh account holds no codes at all, so any four digits are unknown to it.
    Store(handle.data_dir).add_account("3000003", "AKIDfreshRoom", "fresh-room-key-0123")
    auth = wire.auth(appid="3000003", secret_id="AKIDfreshRoom", key="fresh-room-key-0123")
    reply = wire.post("livedetectfour", auth=auth,
                      fields={"appid": "3000003", "validate_data": "1357", "compare_flag": "false"},
                      files={"video": ("v.mp4", SAMPLE_CLIP.read_bytes(), "video/mp4")})
    assert reply["code"] == 21 and "validate_data" in reply["message"], reply


def test_a_code_is_good_for_one_detection_call(wire: Wire) -> None:
    code = wire.code()
    first = wire.live(b"not a video" * 10, validate_data=code)
    again = wire.live(b"not a video" * 10, validate_data=code)
    assert first["code"] == -5001  # the code was accepted; the video was not
    assert again["code"] == 21, again


def test_a_code_of_another_appid_is_21(emulator: tuple[EmulatorHandle, Wire]) -> None:
    handle, wire = emulator
    Store(handle.data_dir).add_account("4000004", "AKIDotherRoom", "other-room-key-0123")
    theirs = wire.post("livegetfour", json_body={"appid": "4000004"},
                       auth=wire.auth(appid="4000004", secret_id="AKIDotherRoom",
                                      key="other-room-key-0123"))["data"]["validate_data"]
    assert wire.live(b"not a video", validate_data=theirs)["code"] == 21


def test_a_code_expires_after_ten_minutes(tmp_path: Path) -> None:
    clock = Clock()
    with running(tmp_path / "data", clock=clock) as (_, wire):
        def live(code: str) -> int:
            return int(wire.post("livedetectfour", auth=wire.auth(now=clock()),
                                 fields={"validate_data": code, "compare_flag": "false"},
                                 files={"video": ("v.mp4", b"not a video", "video/mp4")})["code"])

        def fresh_code() -> str:
            reply = wire.post("livegetfour", json_body={}, auth=wire.auth(now=clock()))
            return str(reply["data"]["validate_data"])

        kept, lapsed = fresh_code(), fresh_code()
        clock.now += 599
        assert live(kept) == -5001  # still valid just inside ten minutes
        clock.now += 2
        assert live(lapsed) == 21


def test_a_clip_just_under_the_limit_is_judged_not_refused(wire: Wire, tmp_path: Path) -> None:
    """The kiosk's checks refuse it early (they add a framing allowance); the emulator measures
    the real body, which fits, and judges the clip itself."""
    clip = SAMPLE_CLIP.read_bytes()
    pad = 5_998_000 - len(clip) - 8
    padded = tmp_path / "padded.mp4"
    padded.write_bytes(clip + (pad + 8).to_bytes(4, "big") + b"free" + bytes(pad))  # MP4 padding
    reply = wire.live(padded, compare=False)
    assert reply["code"] == 0, reply
