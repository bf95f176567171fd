"""The kiosk's own client against the emulator over real HTTP: the four calls with the sample media.

Also: the same face in card and video scores well above the API's 70, two different people well
below; replies hold exactly the documented fields; uploaded media never outlives its request;
the log names no secret key, full ID number or full name.
"""

from __future__ import annotations

import logging
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kiosk.checks
from kiosk.api import Client
from kiosk.api.limits import DEFAULT_THRESHOLD
from kiosk.config.masking import mask_id
from kiosk.emulator import EmulatorHandle
from kiosk.errors import ServiceError
from tests.integration.test_emulator_wire import (
    CARD_PHOTO,
    DATA_FIELDS,
    OTHER,
    OTHER_PHOTO,
    SAMPLE,
    SAMPLE_CLIP,
    Wire,
    assert_secret_absent,
    build_extra,
    running,
)

# "Well above / well below" the recommended 70: a margin no threshold tuning could blur.
MARGIN = 10


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorHandle, Wire]]:
    with running(tmp_path_factory.mktemp("emulator-http")) as pair:
        yield pair


@pytest.fixture
def client(emulator: tuple[EmulatorHandle, Wire]) -> Iterator[Client]:
    handle, _ = emulator
    with Client(handle.base_url, handle.appid, handle.secret_id, handle.secret_key,
                bucket="kioskbucket", retries=0) as c:
        yield c


@pytest.fixture(scope="module")
def frame_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_extra(tmp_path_factory.mktemp("emulator-http-media"), "frame_photo")


def test_livegetfour_issues_four_random_digits(client: Client) -> None:
    codes = [client.livegetfour() for _ in range(8)]
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert len(set(codes)) > 1  # 8 equal codes from secrets.randbelow: 1 in 10^28


def test_idcardcompare_same_person_passes_other_person_fails(client: Client,
                                                             frame_photo: Path) -> None:
    # A still from the clip, not the enrolled photo itself: a real comparison of one face.
    same = client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"], image=frame_photo)
    other = client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"], image=OTHER_PHOTO)
    assert same.code == 0 and other.code == 0
    assert same.similarity is not None and other.similarity is not None
    assert same.similarity >= DEFAULT_THRESHOLD + MARGIN, same
    assert other.similarity <= DEFAULT_THRESHOLD - MARGIN, other
    assert same.passed() and not other.passed()
    assert isinstance(same.raw["data"]["similarity"], float)
    assert set(same.raw["data"]) == DATA_FIELDS["idcardcompare"]
    assert same.session_id  # one is made up when the request gave none


def test_idcardcompare_keeps_the_given_session_id(client: Client) -> None:
    result = client.idcardcompare(OTHER["id_number"], OTHER["name"], image=OTHER_PHOTO,
                                  session_id="kiosk-7")
    assert result.session_id == "kiosk-7"
    assert result.similarity is not None and result.similarity >= 90  # the enrolled photo


def test_livedetectfour_same_face_scores_well_above_a_different_face(client: Client) -> None:
    same = client.livedetectfour(SAMPLE_CLIP, client.livegetfour(), card=CARD_PHOTO)
    other = client.livedetectfour(SAMPLE_CLIP, client.livegetfour(), card=OTHER_PHOTO)
    for result in (same, other):
        assert (result.code, result.live_status, result.compare_status) == (0, 0, 0), result
        assert set(result.raw["data"]) == DATA_FIELDS["livedetectfour"]
        assert isinstance(result.raw["data"]["sim"], int)
        assert result.best_frame is not None and result.best_frame[:3] == b"\xff\xd8\xff"
    assert same.sim is not None and other.sim is not None
    assert same.sim >= DEFAULT_THRESHOLD + MARGIN, same
    assert other.sim <= DEFAULT_THRESHOLD - MARGIN, other
    assert same.passed() and not other.passed()


def test_livedetectfour_without_comparison_returns_liveness_only(client: Client) -> None:
    result = client.livedetectfour(SAMPLE_CLIP, client.livegetfour(), compare_flag=False)
    assert (result.code, result.live_status) == (0, 0)
    assert set(result.raw["data"]) == DATA_FIELDS["livedetectfour-nocompare"]
    assert result.passed()


def test_idcardlivedetectfour_against_the_registry(client: Client) -> None:
    same = client.idcardlivedetectfour(SAMPLE_CLIP, client.livegetfour(), SAMPLE["id_number"],
                                       SAMPLE["name"])
    other = client.idcardlivedetectfour(SAMPLE_CLIP, client.livegetfour(), OTHER["id_number"],
                                        OTHER["name"])
    for result in (same, other):
        assert (result.code, result.live_status, result.compare_status) == (0, 0, 0), result
        assert set(result.raw["data"]) == DATA_FIELDS["idcardlivedetectfour"]
        assert result.best_frame is not None
    assert same.sim is not None and same.sim >= DEFAULT_THRESHOLD + MARGIN
    assert other.sim is not None and other.sim <= DEFAULT_THRESHOLD - MARGIN
    assert same.passed() and not other.passed()


def test_progress_reports_the_whole_upload(client: Client) -> None:
    seen: list[tuple[int, int]] = []
    client.livedetectfour(SAMPLE_CLIP, client.livegetfour(), compare_flag=False,
                          progress=lambda done, total: seen.append((done, total)))
    total = seen[-1][1]
    assert total > SAMPLE_CLIP.stat().st_size and seen[-1][0] == total


def test_a_refusal_reaches_the_client_as_service_error(client: Client) -> None:
    with pytest.raises(ServiceError) as err:
        client.livedetectfour(SAMPLE_CLIP, "12345", compare_flag=False)  # never issued
    assert err.value.code == 21


# --- nothing kept, nothing leaked -----------------------------------------------------------


class SpyChecks:
    """kiosk.checks, noting where the emulator keeps the uploaded clip while it checks it."""

    def __init__(self) -> None:
        self.clips: list[tuple[Path, bool]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(kiosk.checks, name)

    def probe_clip(self, path: Path) -> Any:
        self.clips.append((Path(path), Path(path).is_file()))
        return kiosk.checks.probe_clip(path)


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _wait_until_empty(folder: Path, seconds: float = 10.0) -> list[Path]:
    """The files left under ``folder`` once the server had time to finish (polled, bounded)."""
    deadline = time.monotonic() + seconds
    tick = threading.Event()
    while _files_under(folder) and time.monotonic() < deadline:
        tick.wait(0.05)
    return _files_under(folder)


def test_uploaded_media_never_outlives_its_request(emulator: tuple[EmulatorHandle, Wire],
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    handle, wire = emulator
    uploads = handle.uploads_dir  # a private folder the emulator made at its start
    assert uploads is not None and stat.S_IMODE(uploads.stat().st_mode) == 0o700
    spy = SpyChecks()
    monkeypatch.setattr(handle.app.state.calls, "checks", spy)
    ok = wire.live(SAMPLE_CLIP, card=CARD_PHOTO, compare=True)
    refused = wire.live(b"not a video" * 100, compare=False)
    bad_card = wire.live(SAMPLE_CLIP, card=b"not an image", compare=True)
    assert (ok["code"], refused["code"], bad_card["code"]) == (0, -5001, -4018)
    # The clip was on disk, inside the temporary folder, while it was checked...
    assert len(spy.clips) == 2
    for path, existed in spy.clips:
        assert existed and uploads in path.parents
    # ...and a client that hangs up halfway leaves nothing either.
    _hang_up_halfway(handle, wire)
    assert _wait_until_empty(uploads) == []
    assert [p.name for p in _files_under(handle.data_dir)] == ["emulator.sqlite3"]


def _hang_up_halfway(handle: EmulatorHandle, wire: Wire) -> None:
    host, port = handle.base_url.removeprefix("http://").rsplit(":", 1)
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.mp4\"\r\n\r\n"
            + SAMPLE_CLIP.read_bytes()[:200_000])
    head = (f"POST /face/livedetectfour HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: {wire.auth()}\r\n"
            "Content-Type: multipart/form-data; boundary=XyZ\r\n"
            f"Content-Length: {len(body) + 500_000}\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head + body)


def test_log_names_no_secret_no_full_id_no_full_name(emulator: tuple[EmulatorHandle, Wire],
                                                     client: Client,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    handle, wire = emulator
    caplog.set_level(logging.DEBUG)
    client.idcardlivedetectfour(SAMPLE_CLIP, client.livegetfour(), SAMPLE["id_number"],
                                SAMPLE["name"])
    with pytest.raises(ServiceError):
        client.idcardcompare(SAMPLE["id_number"], OTHER["name"], image=CARD_PHOTO)
    wrong = wire.post("livegetfour", json_body={}, auth=wire.auth(key="wrong-" + "k" * 20))
    assert wrong["code"] == 14
    text = caplog.text
    assert_secret_absent(text, handle.secret_key, "the log")
    assert_secret_absent(text, "wrong-" + "k" * 20, "the log")
    # The request lines are there (so this test can fail), with the number masked.
    assert "idcardlivedetectfour" in text and mask_id(SAMPLE["id_number"]) in text
    assert SAMPLE["id_number"] not in text
    assert SAMPLE["name"] not in text and OTHER["name"] not in text
