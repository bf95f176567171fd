"""``kiosk code`` and ``kiosk verify photo|video`` in-process, against the emulator and a fault server.

Each test runs the real command line (``kiosk.cli.main``) in private XDG folders and checks the
exit status, what reached stdout and stderr, what the server received and the audit row written.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client
from kiosk.cli import main
from kiosk.config import AuditLog, AuditRecord, Paths
from tests.support.fault_server import FaultServer, http_response, raw, reply

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets"
PEOPLE = json.loads((ASSETS / "people.json").read_text(encoding="utf-8"))
SAMPLE = next(p for p in PEOPLE["people"] if p["key"] == "sample")
ID_NUMBER, NAME = SAMPLE["id_number"], SAMPLE["name"]
CARD, OTHER = ASSETS / SAMPLE["photo"], ASSETS / "other_person.jpg"
CLIP = ASSETS / PEOPLE["clip"]["file"]
BAD_ID = "110110199909090909"  # the document's sample: fails the check digit (-5804)
FAKE_KEY = "FaultServerKey-not-checked-7c1d"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from kiosk.emulator import start_in_process

    handle = start_in_process(tmp_path_factory.mktemp("emulator-data"))
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Paths]:
    """Fresh XDG folders, no KIOSK_* variables; the kiosk's log handlers removed afterwards."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    root = logging.getLogger()
    saved = list(root.handlers)
    yield Paths.default()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved


def creds(emulator: Any) -> list[str]:
    return ["--endpoint", emulator.base_url, "--appid", emulator.appid,
            "--secret-id", emulator.secret_id, "--secret-key", emulator.secret_key]


def fake_creds(server: FaultServer) -> list[str]:
    return ["--endpoint", server.url, "--appid", "1000001", "--secret-id", "AKIDfault",
            "--secret-key", FAKE_KEY, "--retries", "0"]


def kiosk(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(home: Paths) -> list[AuditRecord]:
    return AuditLog(home.audit_db).rows()


def only_row(home: Paths) -> AuditRecord:
    found = rows(home)
    assert len(found) == 1, found
    return found[0]


def one_error_line(err: str) -> str:
    """stderr holds exactly one line, ``error: <what> — <what to do>``, and no traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and " — " in lines[0], err
    assert "Traceback" not in err
    return lines[0]


def fresh_code(emulator: Any) -> str:
    with Client(emulator.base_url, emulator.appid, emulator.secret_id,
                emulator.secret_key) as client:
        return client.livegetfour()


# --- kiosk code ----------------------------------------------------------------------------

def test_code_prints_four_digits_and_json(home: Paths, emulator: Any,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "code", *creds(emulator))
    assert code == 0 and err == ""
    assert len(out.strip()) == 4 and out.strip().isdigit()
    code, out, _ = kiosk(capsys, "code", "--json", "--seq", "counter-1", *creds(emulator))
    reply_ = json.loads(out)
    assert code == 0 and list(reply_)[:3] == ["code", "message", "data"]
    assert reply_["code"] == 0 and len(reply_["data"]["validate_data"]) == 4


def test_code_from_environment_variables(home: Paths, emulator: Any,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    for flag, value in zip(creds(emulator)[::2], creds(emulator)[1::2], strict=True):
        monkeypatch.setenv("KIOSK_" + flag[2:].replace("-", "_").upper(), value)
    code, out, _ = kiosk(capsys, "code")
    assert code == 0 and out.strip().isdigit()


def test_code_with_a_wrong_key_is_refused_with_code_14(home: Paths, emulator: Any,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    args = creds(emulator)
    args[-1] = "WrongKey-0000"
    code, out, err = kiosk(capsys, "code", *args)
    assert code == 2 and out == "", "a signature refusal is a staff matter: could not check"
    assert "code 14" in one_error_line(err) and "WrongKey-0000" not in err


# --- kiosk verify photo --------------------------------------------------------------------

def test_photo_of_the_same_person_passes(home: Paths, emulator: Any,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                           ID_NUMBER, "--name", NAME, "--lang", "en", *creds(emulator))
    assert code == 0, err
    assert out.startswith("PASSED: verified: similarity") and "threshold 70" in out
    assert err == ""  # no progress bar or warning when stderr is not a terminal
    row = only_row(home)
    assert (row.mode, row.outcome, row.code, row.predicted) == ("photo", "pass", 0, False)
    assert row.similarity is not None and row.similarity >= 70 and row.session_id
    assert row.id_masked == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    assert {"checks", "upload"} <= set(row.durations)


def test_photo_of_another_person_fails_in_chinese(home: Paths, emulator: Any,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kiosk(capsys, "verify", "photo", "--image", str(OTHER), "--id-number",
                         ID_NUMBER, "--name", NAME, "--lang", "zh", *creds(emulator))
    assert code == 1
    assert out.startswith("【未通过】核验未通过：相似度") and "低于阈值 70" in out
    row = only_row(home)
    assert row.outcome == "fail" and row.code == 0 and row.similarity < 70  # type: ignore[operator]


def test_photo_json_is_the_services_reply(home: Paths, emulator: Any,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                         ID_NUMBER, "--name", NAME, "--json", *creds(emulator))
    reply_ = json.loads(out)
    assert code == 0 and list(reply_) == ["code", "message", "data"]
    assert reply_["code"] == 0 and set(reply_["data"]) == {"similarity", "session_id"}


def test_blocked_check_uploads_nothing(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    with FaultServer([reply(0, {"similarity": 99.0})]) as server:
        code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                               BAD_ID, "--name", NAME, "--lang", "en", *fake_creds(server))
        code_json, out_json, _ = kiosk(capsys, "verify", "photo", "--image", str(CARD),
                                       "--id-number", BAD_ID, "--name", NAME, "--json",
                                       *fake_creds(server))
    assert server.received == []
    assert code == 1 and "-5804" in out and out.rstrip().splitlines()[-1].startswith("NOT SENT")
    assert code_json == 1 and json.loads(out_json)["ok"] is False
    assert [f["code"] for f in json.loads(out_json)["findings"]
            if f["severity"] == "block"] == [-5804]
    assert [(r.outcome, r.code, r.predicted) for r in rows(home)] == [("blocked", -5804, True)] * 2


def test_no_check_reaches_the_services_own_refusal(home: Paths, emulator: Any,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                           BAD_ID, "--name", NAME, "--no-check", *creds(emulator))
    assert code == 1 and out == ""
    assert "code -5804" in one_error_line(err)
    row = only_row(home)
    assert (row.outcome, row.code, row.predicted) == ("refused", -5804, False)
    # --json prints the refusal as the service sent it, and still exits 1.
    code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                           BAD_ID, "--name", NAME, "--no-check", "--json", *creds(emulator))
    assert code == 1 and json.loads(out)["code"] == -5804 and err.startswith("error: ")


@pytest.mark.parametrize(("similarity", "threshold", "status"), [
    (75.5, "70", 0), (75.5, "80", 1), (80.0, "80", 0)])
def test_threshold_decides_the_verdict(similarity: float, threshold: str, status: int,
                                       home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    with FaultServer([reply(0, {"similarity": similarity, "session_id": "s-1"})]) as server:
        code, out, _ = kiosk(capsys, "verify", "photo", "--url", "http://127.0.0.1/p.jpg",
                             "--id-number", ID_NUMBER, "--name", NAME, "--threshold", threshold,
                             "--lang", "en", *fake_creds(server))
    assert code == status and f"threshold {threshold}" in out
    assert only_row(home).outcome == ("pass" if status == 0 else "fail")


# --- kiosk verify video --------------------------------------------------------------------

def test_video_against_a_card_photo_passes(home: Paths, emulator: Any,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code",
                           fresh_code(emulator), "--card", str(CARD), "--lang", "en",
                           *creds(emulator))
    assert code == 0, out + err
    assert out.startswith("PASSED") and "liveness: 0 (OK)" in out and "comparison: 0" in out
    row = only_row(home)
    assert (row.mode, row.outcome, row.live_status, row.compare_status) == ("card", "pass", 0, 0)
    assert row.id_masked == "" and len(row.seq) == 32
    assert {"details", "checks", "upload"} <= set(row.durations)  # the flow's steps


def test_video_against_the_id_registry_as_json(home: Paths, emulator: Any,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code",
                         fresh_code(emulator), "--id-number", ID_NUMBER, "--name", NAME,
                         "--seq", "desk-7-0001", "--json", *creds(emulator))
    reply_ = json.loads(out)
    assert code == 0 and reply_["code"] == 0 and reply_["data"]["live_status"] == 0
    assert base64.b64decode(reply_["data"]["video_photo"])[:3] == b"\xff\xd8\xff"  # JPEG
    row = only_row(home)
    assert (row.mode, row.outcome, row.seq) == ("idcard", "pass", "desk-7-0001")
    assert row.similarity == reply_["data"]["sim"]


def test_video_with_a_used_code_is_refused(home: Paths, emulator: Any,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", "0000",
                           "--card", str(CARD), "--no-check", *creds(emulator))
    # 0000 may have been issued to another test: any refusal for an unknown code is 21.
    assert code == 1 and out == "" and "code 21" in one_error_line(err)
    assert only_row(home).outcome == "refused"


def test_video_liveness_failure_is_a_failed_verdict(home: Paths,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = {"live_status": 0, "live_msg": "OK", "compare_status": 0, "compare_msg": "OK",
            "sim": 64}
    with FaultServer([reply(0, data)]) as server:
        code, out, _ = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", "1357",
                             "--card", str(CARD), "--no-check", "--lang", "zh",
                             *fake_creds(server))
    assert code == 1 and out.startswith("【未通过】") and "相似度 64" in out
    assert server.received[0].path == "/face/livedetectfour"
    assert CLIP.read_bytes() in server.received[0].body
    assert only_row(home).outcome == "fail"


@pytest.mark.parametrize("argv", [
    ["--card", str(CARD), "--id-number", ID_NUMBER, "--name", NAME],  # both
    [],  # neither
    ["--id-number", ID_NUMBER],  # number without name
])
def test_video_needs_a_card_or_an_identity(argv: list[str], home: Paths,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", "1357",
                           *argv, "--endpoint", "http://127.0.0.1:9")
    assert code == 2 and out == "" and "--id-number" in one_error_line(err)
    assert rows(home) == []  # nothing was attempted: a usage error is not a verification


@pytest.mark.parametrize("given", ["12", "12345", "１３５７", "13 57", "abcd"])
def test_video_takes_four_ascii_digits_as_kiosk_code_does(given: str, home: Paths,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # The one rule (kiosk.api.is_four_digits); before, --code took 1 to 10 digits and sent them.
    code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", given,
                           "--card", str(CARD), "--endpoint", "http://127.0.0.1:9")
    assert code == 2 and out == "" and "is not the digits 'kiosk code' printed" in one_error_line(err)
    assert rows(home) == []


# --- bad input: one line, no traceback, nothing on stdout ---------------------------------

def test_missing_credentials(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                           ID_NUMBER, "--name", NAME)
    line = one_error_line(err)
    assert code == 2 and out == "" and "missing credentials" in line and "KIOSK_SECRET_KEY" in line
    assert only_row(home).outcome == "error"
    code, out, err = kiosk(capsys, "code")
    assert code == 2 and out == "" and "missing credentials" in one_error_line(err)


@pytest.mark.parametrize("which", ["missing", "folder", "empty"])
def test_unreadable_file(which: str, home: Paths, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    path = {"missing": tmp_path / "nope.mp4", "folder": tmp_path}.get(which, tmp_path / "e.mp4")
    if which == "empty":
        path.write_bytes(b"")
    with FaultServer([reply(0)]) as server:
        code, out, err = kiosk(capsys, "verify", "video", "--video", str(path), "--code", "1357",
                               "--card", str(CARD), *fake_creds(server))
    assert code == 2 and out == "" and server.received == []
    assert f"cannot read the video {path}" in one_error_line(err)
    assert only_row(home).outcome == "error"


def test_animated_gif_is_blocked_by_the_checks_and_by_the_clients_guard(
        home: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image, ImageOps

    gif = tmp_path / "face.jpg"  # named .jpg on purpose: the bytes decide
    still = Image.open(CARD).convert("RGB")
    still.save(gif, "GIF", save_all=True, append_images=[ImageOps.mirror(still)], duration=100)
    argv = ["verify", "photo", "--image", str(gif), "--id-number", ID_NUMBER, "--name", NAME,
            "--lang", "en"]
    with FaultServer([reply(0, {"similarity": 99.0})]) as server:
        checked = kiosk(capsys, *argv, *fake_creds(server))
        unchecked = kiosk(capsys, *argv, "--no-check", *fake_creds(server))
    assert server.received == []
    assert checked[0] == 1 and "BLOCK  -4016" in checked[1] and "animated GIF" in checked[1]
    assert unchecked[0] == 1 and unchecked[1] == ""
    assert "the photo is a GIF" in one_error_line(unchecked[2])
    assert [(r.outcome, r.code, r.predicted) for r in rows(home)] == [("blocked", -4016, True)] * 2


def test_still_gif_is_blocked_by_the_checks_and_never_sent(
        home: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    gif = tmp_path / "face.gif"
    Image.open(CARD).convert("RGB").save(gif, "GIF")
    with FaultServer([reply(0, {"similarity": 99.0})]) as server:
        code, out, err = kiosk(capsys, "verify", "photo", "--image", str(gif), "--id-number",
                               ID_NUMBER, "--name", NAME, "--lang", "en", *fake_creds(server))
        assert server.received == [] and code == 1 and "Traceback" not in err
        assert "BLOCK  -4016" in out and "GIF" in out
        assert only_row(home).outcome == "blocked"
        # With the checks skipped, the client's own guard still refuses the GIF by its bytes.
        code, out, err = kiosk(capsys, "verify", "photo", "--image", str(gif), "--id-number",
                               ID_NUMBER, "--name", NAME, "--lang", "en", "--no-check",
                               *fake_creds(server))
    assert server.received == [] and code != 0 and out == ""
    assert err.strip().splitlines()[-1].startswith("error: the photo is a GIF")


def test_connection_refused(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:  # bound, not listening: connecting is refused
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        code, out, err = kiosk(capsys, "code", "--endpoint", url, "--appid", "1",
                               "--secret-id", "AKID", "--secret-key", FAKE_KEY, "--retries", "0")
        assert code == 2 and out == "" and "connection refused" in one_error_line(err)
        code, out, err = kiosk(capsys, "verify", "photo", "--url", "http://127.0.0.1/p.jpg",
                               "--id-number", ID_NUMBER, "--name", NAME, "--endpoint", url,
                               "--appid", "1", "--secret-id", "AKID", "--secret-key", FAKE_KEY,
                               "--retries", "0", "--json")
    assert code == 2 and out == "" and "connection refused" in one_error_line(err)
    assert only_row(home).outcome == "error"


@pytest.mark.parametrize(("behaviour", "words"), [
    (raw(503, b"<html>Service Unavailable</html>", content_type="text/html"), "HTTP 503"),
    (raw(200, b"<html><body>Hotel Wi-Fi: log in</body></html>", content_type="text/html"),
     "not JSON"),
    (raw(200, b'{"code":0,"message":"OK","data":{"simil', length=80), "cut short"),
])
def test_server_faults_give_one_line(behaviour: Any, words: str, home: Paths,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with FaultServer([behaviour]) as server:
        code, out, err = kiosk(capsys, "verify", "photo", "--url", "http://127.0.0.1/p.jpg",
                               "--id-number", ID_NUMBER, "--name", NAME, "--json",
                               *fake_creds(server))
    assert code == 2 and out == "" and words in one_error_line(err)
    assert only_row(home).outcome == "error"


# --- the progress bar ------------------------------------------------------------------------

class _Terminal(io.StringIO):
    """stderr as a terminal would look to the command."""

    def isatty(self) -> bool:
        return True


def _stall_then_answer(ex: Any) -> None:
    """Read nothing for 1.5 s (the upload stalls once the socket buffers are full), then all."""
    if not ex.stop.wait(1.5):
        ex.read_body()
        ex.send(http_response(200, json.dumps({"code": 0, "message": "OK", "data": {
            "live_status": 0, "live_msg": "OK"}}).encode()))


@pytest.mark.slow
@pytest.mark.parametrize("tty", [True, False])
def test_a_slow_upload_shows_a_progress_bar_on_a_terminal_only(
        tty: bool, home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / "clip.mp4"  # bigger than what loopback socket buffers take in at once
    clip.write_bytes(os.urandom(5_500_000))
    stderr = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    with FaultServer([_stall_then_answer]) as server:
        code = main(["verify", "video", "--video", str(clip), "--code", "1357", "--card",
                     str(CARD), "--no-check", "--json", *fake_creds(server)])
    out = capsys.readouterr().out
    assert server.received[0].complete
    assert code == 1 and json.loads(out)["code"] == 0  # no comparison in the reply: not a pass
    drawn = stderr.getvalue()
    if tty:
        # The total in megabytes ("521k/5.27M"); the rate's unit follows the machine's speed.
        assert "upload" in drawn and "%" in drawn and re.search(r"/\d+(\.\d+)?M", drawn), drawn
    else:
        assert drawn == ""


def test_dns_failure_and_read_timeout(home: Paths, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from tests.support.fault_server import hang

    real = socket.getaddrinfo

    def no_such_host(host: Any, *args: Any, **kw: Any) -> Any:
        if str(host).endswith(".invalid"):  # no packet leaves the machine
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    base = ["--appid", "1", "--secret-id", "AKID", "--secret-key", FAKE_KEY, "--retries", "0"]
    code, out, err = kiosk(capsys, "code", "--endpoint", "https://face.kiosk-test.invalid", *base)
    assert code == 2 and out == "" and "DNS" in one_error_line(err)
    with FaultServer([hang()]) as server:
        code, out, err = kiosk(capsys, "verify", "photo", "--url", "http://127.0.0.1/p.jpg",
                               "--id-number", ID_NUMBER, "--name", NAME, "--endpoint",
                               server.url, "--read-timeout", "0.3", *base)
    assert code == 2 and out == "" and "did not answer within 0.3 s" in one_error_line(err)
    assert only_row(home).outcome == "error"


def test_json_output_stays_strict_for_a_lenient_reply(home: Paths,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    # NaN and a trailing comma: Python reads both, strict JSON has neither.
    body = b'{"code":0,"message":"OK","data":{"similarity":NaN,"session_id":"s",},}'
    with FaultServer([raw(200, body)]) as server:
        code, out, err = kiosk(capsys, "verify", "photo", "--url", "http://127.0.0.1/p.jpg",
                               "--id-number", ID_NUMBER, "--name", NAME, "--json",
                               *fake_creds(server))
    printed = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-strict JSON: {c}"))
    assert code == 1 and err == "" and printed["data"] == {"similarity": None, "session_id": "s"}
    assert only_row(home).outcome == "fail"


# --- what a hostile server says (issue 14) ---------------------------------------------------

@pytest.mark.parametrize("digits", ["\u001b[2J12", "\u001b]0;pwned\u0007" + "1234", "12345",
                                    "١٢٣٤", "12\u202e34", 12])
def test_code_refuses_anything_but_four_ascii_digits(digits: Any, home: Paths,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    for extra in ([], ["--json"], ["--lang", "zh"]):
        with FaultServer([reply(0, {"validate_data": digits})]) as server:
            code, out, err = kiosk(capsys, "code", *extra, *fake_creds(server))
        line = one_error_line(err)
        assert code == 2 and out == "", (out, err)
        assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
        assert ("四位" in line) if extra == ["--lang", "zh"] else ("four" in line)


def test_code_json_carries_no_control_characters(home: Paths,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    body = ('{"code":0,"message":"OK\u001b]0;pwned\u0007\u009b2J\u202e","data":'
            '{"validate_data":"2468","note":"\\u001b[2J\\ud800"}}').encode()
    with FaultServer([raw(200, body)]) as server:
        code, out, err = kiosk(capsys, "code", "--json", *fake_creds(server))
    assert code == 0 and err == ""
    printed = json.loads(out)
    assert printed["message"] == "OK\ufffd" and printed["data"]["validate_data"] == "2468"
    assert not any(c in out for c in "\x1b\x07\x9b\u202e") and "\\u001b" not in out
    assert "\\ud800" not in out


def test_a_service_message_with_escapes_reaches_stderr_clean(home: Paths,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    script = [reply(14, message="\u001b]0;pwned\u0007sign\u001b[31m check failed\u202e")]
    with FaultServer(script) as server:
        code, out, err = kiosk(capsys, "code", *fake_creds(server))
    line = one_error_line(err)
    assert code == 2 and "sign\ufffd check failed" in line
    assert not any(c in err for c in "\x1b\x07\u202e")


def test_http_429_says_rate_limited_and_when(home: Paths,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    limited = raw(429, b"<html>Too Many Requests</html>", content_type="text/html")

    def with_retry_after(ex: Any) -> None:
        ex.read_body()
        ex.send(http_response(429, b"slow down", content_type="text/plain",
                              extra={"Retry-After": "45"}))

    for behaviour, when in ((limited, "minute"), (with_retry_after, "45 s")):
        with FaultServer([behaviour]) as server:
            code, out, err = kiosk(capsys, "code", *fake_creds(server))
        line = one_error_line(err)
        assert code == 2 and "rate" in line and when in line and "Host header" not in line, line
    with FaultServer([with_retry_after]) as server:
        code, _, err = kiosk(capsys, "code", "--lang", "zh", *fake_creds(server))
    assert "45 秒" in one_error_line(err)


# --- one flow: kiosk verify runs the flow the GUI and kiosk demo run (issue 15) --------------

PASSING_LIVE = {"live_status": 0, "live_msg": "OK", "compare_status": 0, "compare_msg": "OK",
                "sim": 91}


def test_verify_rows_are_the_flows(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.flow import Step

    with FaultServer([reply(0, PASSING_LIVE), reply(0, {"similarity": 91.0})]) as server:
        video = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", "1357",
                      "--id-number", ID_NUMBER, "--name", NAME, "--seq", "desk-7-0002",
                      "--no-check", *fake_creds(server))
        photo = kiosk(capsys, "verify", "photo", "--url", "http://127.0.0.1/p.jpg",
                      "--id-number", ID_NUMBER, "--name", NAME, *fake_creds(server))
    assert video[0] == photo[0] == 0, (video, photo)
    first, second = sorted(rows(home), key=lambda r: r.mode)
    steps = {s.value for s in Step}
    for row in (first, second):  # as a GUI or demo row: the flow's steps, a run id, not a demo
        assert set(row.durations) == {"details", "checks", "upload"} <= steps
        assert row.demo is False and row.outcome == "pass" and row.code == 0
        assert row.id_masked == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    assert (first.mode, first.seq, first.live_status) == ("idcard", "desk-7-0002", 0)
    assert second.mode == "photo" and len(second.seq) == 32
    assert b"desk-7-0002" in server.received[0].body


def test_a_blocked_clip_is_not_uploaded(home: Paths, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(os.urandom(50_000))  # no video in it: the clip checks block it
    argv = ["verify", "video", "--video", str(clip), "--code", "1357", "--card", str(CARD),
            "--lang", "en"]
    with FaultServer([reply(0, PASSING_LIVE)]) as server:
        code, out, err = kiosk(capsys, *argv, *fake_creds(server))
        code_json, out_json, _ = kiosk(capsys, *argv, "--json", *fake_creds(server))
    assert server.received == []
    assert code == 1 and out.rstrip().splitlines()[-1].startswith("NOT SENT") and "BLOCK" in out
    assert code_json == 1 and json.loads(out_json)["ok"] is False
    assert [(r.outcome, r.predicted) for r in rows(home)] == [("blocked", True)] * 2


def test_no_check_runs_no_local_check(home: Paths, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk import checks

    def never(*args: Any, **kw: Any) -> Any:
        raise AssertionError("a local check ran")

    for name in ("check_identity", "check_image", "check_clip"):
        monkeypatch.setattr(checks, name, never)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(os.urandom(50_000))
    with FaultServer([reply(0, PASSING_LIVE)]) as server:
        code, out, err = kiosk(capsys, "verify", "video", "--video", str(clip), "--code", "1357",
                               "--id-number", BAD_ID, "--name", NAME, "--no-check", "--lang",
                               "en", *fake_creds(server))
    assert code == 0 and out.startswith("PASSED") and err == "", (out, err)
    assert clip.read_bytes() in server.received[0].body
    assert only_row(home).outcome == "pass"


def test_a_network_failure_is_exit_2_and_an_error_row(home: Paths,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.fault_server import close_after_body

    with FaultServer([close_after_body()]) as server:
        code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", "1357",
                               "--card", str(CARD), "--no-check", "--json", *fake_creds(server))
    assert code == 2 and out == "" and len(server.received) == 1
    one_error_line(err)
    row = only_row(home)
    assert (row.mode, row.outcome, row.predicted) == ("card", "error", False)
    assert set(row.durations) == {"details", "checks", "upload"}


def test_ctrl_c_during_the_upload_leaves_a_cancelled_row(home: Paths,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.flow import Flow
    from tests.support.fault_server import hang

    real_wait = Flow.wait
    pressed: list[bool] = []

    def ctrl_c_once_sent(flow: Flow, timeout: float | None = None) -> Any:
        if not pressed and server.received and server.received[0].complete:
            pressed.append(True)
            raise KeyboardInterrupt
        return real_wait(flow, timeout)

    monkeypatch.setattr(Flow, "wait", ctrl_c_once_sent)
    with FaultServer([hang()]) as server:
        code, out, err = kiosk(capsys, "verify", "video", "--video", str(CLIP), "--code", "1357",
                               "--card", str(CARD), "--no-check", *fake_creds(server))
    assert pressed and code == 130 and out == ""
    assert err.startswith("error: interrupted")
    assert only_row(home).outcome == "cancelled"


def test_a_configuration_error_comes_before_the_checks(home: Paths,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # The ID number's check digit is wrong too: without a client nothing is worth checking.
    code, out, err = kiosk(capsys, "verify", "photo", "--image", str(CARD), "--id-number",
                           BAD_ID, "--name", NAME, "--lang", "en")
    assert code == 2 and out == "" and "missing credentials" in one_error_line(err)
    row = only_row(home)
    assert (row.outcome, row.code, row.predicted) == ("error", None, False)


def test_the_session_id_is_sent(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    with FaultServer([reply(0, {"similarity": 91.0, "session_id": "lookup-42"})]) as server:
        code, out, _ = kiosk(capsys, "verify", "photo", "--url", "http://127.0.0.1/p.jpg",
                             "--id-number", ID_NUMBER, "--name", NAME, "--session-id",
                             "lookup-42", "--lang", "en", *fake_creds(server))
    assert code == 0 and "session_id: lookup-42" in out
    assert b"lookup-42" in server.received[0].body
