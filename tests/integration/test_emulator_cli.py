"""``kiosk emulator`` (in its own process), ``account add`` / ``list`` and ``enroll`` (through
main()), and one clear line for each wrong input."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.api import Client
from kiosk.cli import main
from kiosk.emulator.store import DB_NAME, Store
from kiosk.errors import ServiceError
from tests.integration.test_emulator_wire import (
    CARD_PHOTO,
    OTHER_PHOTO,
    SAMPLE,
    assert_secret_absent,
    build_extra,
    running,
)

NEW_PERSON = ("110101199003070513", "张三")  # valid, and not among the sample people


@pytest.fixture(scope="module")
def frame_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A still of the sample person from the clip: the same face as the card, another picture."""
    return build_extra(tmp_path_factory.mktemp("emulator-cli-media"), "frame_photo")


@pytest.fixture
def quiet_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """main() writes its log under XDG_STATE_HOME: keep it in tmp_path, undo its handlers."""
    home = tmp_path / "home"
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    root = logging.getLogger()
    saved = list(root.handlers)
    yield home
    for handler in [h for h in root.handlers if h not in saved]:
        root.removeHandler(handler)
        handler.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["--lang", "en", "emulator", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(err: str) -> str:
    """The single ``error: <what> — <what to do>`` line, with no traceback around it."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and " — " in lines[0], err
    assert "Traceback" not in err
    return lines[0]


# --- the server, as an operator starts it -----------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """``kiosk emulator --port 0`` in its own process; its printed URL and demo credentials."""
    with serving(tmp_path, tmp_path / "data") as started:
        yield started


@contextlib.contextmanager
def serving(tmp_path: Path, data: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """Start ``kiosk emulator --port 0 --data DATA`` as an operator does; killed afterwards."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--lang", "en", "emulator", "--port", "0",
         "--data", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        seen = _read_until(proc, "Press Ctrl-C to stop.")
        url = re.search(r"listening on (http://\S+)", seen)
        creds = re.search(r"appid (\S+), secret id (\S+), secret key (\S+)", seen)
        assert url and creds, seen
        yield proc, {"url": url[1], "appid": creds[1], "secret_id": creds[2], "key": creds[3],
                     "banner": seen}
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


def _read_until(proc: subprocess.Popen[str], marker: str, timeout: float = 60) -> str:
    """Lines of stdout up to ``marker``; fails with stderr if the process ends or stalls."""
    lines: list[str] = []
    done = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if marker in line:
                break
        done.set()

    threading.Thread(target=reader, daemon=True).start()
    if not done.wait(timeout) or not any(marker in line for line in lines):
        proc.kill()
        raise AssertionError(f"no ready line; stdout={''.join(lines)!r} "
                             f"stderr={proc.stderr.read() if proc.stderr else ''!r}")
    return "".join(lines)


def test_server_prints_url_and_demo_account_serves_and_stops(
        server: tuple[subprocess.Popen[str], dict[str, str]], tmp_path: Path) -> None:
    proc, info = server
    assert info["url"].startswith("http://127.0.0.1:")  # loopback unless told otherwise
    assert f"{DB_NAME}" not in info["banner"] and str(tmp_path / "data") in info["banner"]
    assert "people enrolled: 2" in info["banner"]
    with Client(info["url"], info["appid"], info["secret_id"], info["key"], retries=0) as client:
        assert len(client.livegetfour()) == 4
        result = client.idcardcompare(SAMPLE["id_number"], SAMPLE["name"], image=CARD_PHOTO)
        assert result.passed()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Emulator stopped." in out and "Traceback" not in err
    # One masked line per request on the console; the key and full ID number nowhere.
    assert re.search(r"idcardcompare appid=\S+ id=110105\*+002X .*code=0", err), err
    assert SAMPLE["id_number"] not in err
    assert_secret_absent(err, info["key"], "the request log")


def test_a_taken_port_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        quiet_home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        status, _, err = run(capsys, "--port", str(port), "--data", str(tmp_path / "data"))
    assert status == 2
    assert f"cannot listen on 127.0.0.1:{port}" in one_error_line(err)


# --- accounts ---------------------------------------------------------------------------------


def test_account_add_makes_credentials_the_server_accepts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    data = tmp_path / "room"
    data.mkdir()
    status, out, _ = run(capsys, "account", "add", "--data", str(data), "--appid", "1250000",
                         "--secret-id", "AKIDroom1", "--secret-key", "room-one-key-0123")
    assert status == 0 and "added account: appid 1250000, secret id AKIDroom1" in out
    status, out, _ = run(capsys, "account", "add", "--data", str(data), "--appid", "1250001",
                         "--secret-id", "AKIDroom2")
    generated = re.search(r"generated secret key \(shown this once\): (\S+)", out)
    assert status == 0 and generated, out
    status, out, _ = run(capsys, "account", "list", "--data", str(data), "--json")
    listed = json.loads(out)
    assert {"appid": "1250000", "secret_id": "AKIDroom1"} in listed
    assert all(set(row) == {"appid", "secret_id"} for row in listed)  # never a key
    with running(data) as (handle, _):
        for appid, secret_id, key in (("1250000", "AKIDroom1", "room-one-key-0123"),
                                      ("1250001", "AKIDroom2", generated[1])):
            with Client(handle.base_url, appid, secret_id, key, retries=0) as client:
                assert len(client.livegetfour()) == 4
        with Client(handle.base_url, "1250000", "AKIDroom1", "not-the-key", retries=0) as client:
            with pytest.raises(ServiceError) as err:
                client.livegetfour()
            assert err.value.code == 14


def test_account_add_reads_the_key_from_stdin(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("piped-key-0123456789\n"))
    status, out, err = run(capsys, "account", "add", "--data", str(tmp_path), "--appid", "7",
                           "--secret-id", "AKIDpiped", "--secret-key", "-")
    assert status == 0
    assert_secret_absent(out + err, "piped-key-0123456789", "the output")
    account = Store(tmp_path).account("AKIDpiped")
    assert account is not None and account.secret_key == "piped-key-0123456789"


@pytest.mark.parametrize(("argv", "expected"), [
    (["--appid", "12 34", "--secret-id", "AKID"], "--appid '12 34' must be non-empty"),
    (["--appid", "1", "--secret-id", "a&b"], "--secret-id 'a&b' must be non-empty"),
    (["--appid", "1", "--secret-id", "AKID", "--secret-key", " "], "the secret key is empty"),
])
def test_account_add_refuses_values_that_cannot_be_signed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path,
        argv: list[str], expected: str) -> None:
    status, _, err = run(capsys, "account", "add", "--data", str(tmp_path), *argv)
    assert status == 2 and expected in one_error_line(err)
    assert Store(tmp_path).accounts() == []


# --- enrollment -------------------------------------------------------------------------------


def test_enroll_adds_a_person_the_server_compares_against(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path,
        frame_photo: Path) -> None:
    data = tmp_path / "room"
    data.mkdir()
    photo = frame_photo
    number, name = NEW_PERSON
    status, out, _ = run(capsys, "enroll", "--data", str(data), "--id-number", number,
                         "--name", name, "--photo", str(photo))
    assert status == 0 and "added: 110101********0513 张*" in out
    assert number not in out and name not in out
    status, out, _ = run(capsys, "enroll", "--data", str(data), "--id-number", number.lower(),
                         "--name", name, "--photo", str(photo))
    assert status == 0 and re.match(r"replaced \(was 张\*, enrolled \d{4}-\d\d-\d\d \d\d:\d\d\): "
                                     r"110101\*{8}0513 张\* ", out), out
    with running(data) as (handle, wire):
        same = wire.compare(CARD_PHOTO, number=number, name=name)
        other = wire.compare(OTHER_PHOTO, number=number, name=name)
        wrong_name = wire.compare(CARD_PHOTO, number=number, name="李四")
    assert same["code"] == 0 and same["data"]["similarity"] >= 80, same
    assert other["code"] == 0 and other["data"]["similarity"] <= 60, other
    assert wrong_name["code"] == -5803


def test_enroll_wrong_input_is_one_clear_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    data = tmp_path / "room"
    data.mkdir()
    not_image = tmp_path / "notes.jpg"
    not_image.write_text("not an image\n")
    no_face = tmp_path / "background.jpg"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(CARD_PHOTO), "-vf",
                    "crop=60:60:0:0,scale=300:300", str(no_face)], check=True, timeout=60)
    number, name = NEW_PERSON
    cases = [
        (["--id-number", "110110199909090909", "--name", name, "--photo", str(CARD_PHOTO)],
         "check digit"),
        (["--id-number", number, "--name", "", "--photo", str(CARD_PHOTO)], "name"),
        (["--id-number", number, "--name", name, "--photo", str(tmp_path / "missing.jpg")],
         "cannot read the photo"),
        (["--id-number", number, "--name", name, "--photo", str(not_image)],
         "cannot be enrolled"),
        (["--id-number", number, "--name", name, "--photo", str(no_face)], "face"),
    ]
    for argv, expected in cases:
        status, out, err = run(capsys, "enroll", "--data", str(data), *argv)
        assert status == 2, (argv, out, err)
        assert expected in one_error_line(err), (argv, err)
    assert Store(data).people_count() == 0  # nothing half-enrolled


def test_enroll_in_chinese_names_the_problem_and_the_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    status = main(["--lang", "zh", "emulator", "enroll", "--data", str(tmp_path), "--id-number",
                   "110110199909090909", "--name", "张三", "--photo", str(CARD_PHOTO)])
    line = one_error_line(capsys.readouterr().err)
    assert status == 2 and "身份证号码无效" in line and "请检查" in line


# --- the data folder ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", [
    ["account", "list"],
    ["account", "add", "--appid", "1", "--secret-id", "AKID", "--secret-key", "k"],
    ["enroll", "--id-number", NEW_PERSON[0], "--name", NEW_PERSON[1], "--photo", str(CARD_PHOTO)],
    ["people"],
])
def test_a_missing_data_folder_is_one_clear_line_and_not_created(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path,
        action: list[str]) -> None:
    missing = tmp_path / "trainnig"  # a typo of the real folder's name
    status, _, err = run(capsys, *action[:2] if action[0] == "account" else action[:1],
                         "--data", str(missing), *(action[2:] if action[0] == "account"
                                                   else action[1:]))
    assert status == 2
    assert f"no emulator data folder at {missing}" in one_error_line(err)
    assert not missing.exists()


def test_a_damaged_registry_is_one_clear_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not SQLite\n" * 64)
    status, _, err = run(capsys, "account", "list", "--data", str(tmp_path))
    assert status == 2 and "damaged or not an emulator database" in one_error_line(err)


def test_the_server_refuses_a_file_as_its_data_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("x")
    status, _, err = run(capsys, "--port", "0", "--data", str(not_a_folder))
    assert status == 2 and "a file, not a folder" in one_error_line(err)


def test_an_impossible_port_is_one_clear_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    status, _, err = run(capsys, "--port", "70000", "--data", str(tmp_path))
    assert status == 2 and "is not a port number" in one_error_line(err)


# --- the registry keeps what users put in it ------------------------------------------------


EXAMPLE = "11010519491231002X"  # the document's valid example, also the sample person's number


def test_a_person_enrolled_before_the_first_start_is_still_there_after_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    data = tmp_path / "room"
    data.mkdir()
    status, out, _ = run(capsys, "enroll", "--data", str(data), "--id-number", EXAMPLE,
                         "--name", "李四", "--photo", str(OTHER_PHOTO))
    assert status == 0 and out.startswith("added: 110105********002X 李*")
    with serving(tmp_path, data) as (proc, info):  # the first start: it used to enrol 王芳 over 李四
        assert "people enrolled: 1" in info["banner"]
        with Client(info["url"], info["appid"], info["secret_id"], info["key"],
                    retries=0) as client:
            mine = client.idcardcompare(EXAMPLE, "李四", image=OTHER_PHOTO)
            with pytest.raises(ServiceError) as sample:
                client.idcardcompare(EXAMPLE, SAMPLE["name"], image=CARD_PHOTO)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert mine.passed() and mine.similarity is not None and mine.similarity >= 80
    assert sample.value.code == -5803  # the sample person did not take the number
    person = Store(data).person(EXAMPLE)
    assert person is not None and person.name == "李四"
    assert person.photo == OTHER_PHOTO.read_bytes()
    status, out, _ = run(capsys, "people", "--data", str(data), "--json")
    assert status == 0 and [(p["id_masked"], p["name_masked"]) for p in json.loads(out)] == [
        ("110105********002X", "李*")]


def test_people_lists_the_registry_masked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    data = tmp_path / "room"
    data.mkdir()
    status, out, _ = run(capsys, "people", "--data", str(data))
    assert status == 0 and out.startswith(f"nobody is enrolled in {data} — enroll with")
    assert (status, run(capsys, "people", "--data", str(data), "--json")[1]) == (0, "[]\n")
    store = Store(data)
    store.enroll(EXAMPLE, "王芳", CARD_PHOTO.read_bytes())
    store.enroll(NEW_PERSON[0], NEW_PERSON[1], OTHER_PHOTO.read_bytes())
    status, out, _ = run(capsys, "people", "--data", str(data))
    lines = out.splitlines()
    assert status == 0 and len(lines) == 2
    assert lines[0].startswith(f"110105********002X\t王*\t{CARD_PHOTO.stat().st_size} B\t")
    assert lines[1].startswith("110101********0513\t张*\t")
    assert EXAMPLE not in out and NEW_PERSON[0] not in out and "王芳" not in out
    status, out, _ = run(capsys, "people", "--data", str(data), "--json")
    rows = json.loads(out)
    assert set(rows[0]) == {"id_masked", "name_masked", "photo_bytes", "enrolled"}
    assert EXAMPLE not in out and "张三" not in out


def test_enroll_json_says_added_or_replaced(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet_home: Path) -> None:
    argv = ["enroll", "--data", str(tmp_path), "--id-number", EXAMPLE, "--photo", str(CARD_PHOTO),
            "--json"]
    first = json.loads(run(capsys, *argv, "--name", "王芳")[1])
    second = json.loads(run(capsys, *argv, "--name", "王芳芳")[1])
    assert (first["added"], first["replaced_name_masked"]) == (True, None)
    assert (second["added"], second["replaced_name_masked"], second["name_masked"]) == (
        False, "王*", "王**")
    status = main(["--lang", "zh", "emulator", "enroll", "--data", str(tmp_path), "--id-number",
                   EXAMPLE, "--name", "王芳", "--photo", str(CARD_PHOTO)])
    assert status == 0 and capsys.readouterr().out.startswith("已替换（原登记为 王**，登记于 ")
