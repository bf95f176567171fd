"""kiosk.inputs: a path is read only when it is a regular file within its limit, and never blocks."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk import inputs
from kiosk.errors import ConfigError, InputError

LIMIT = 1000


def refused(call: Callable[[], Any], within: float = 2.0) -> inputs.FileRefused:
    """The FileRefused ``call`` raises, in a thread so a blocking open fails the test, not hangs it."""
    box: list[BaseException | None] = []

    def target() -> None:
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            box.append(exc)
        else:
            box.append(None)

    worker = threading.Thread(target=target, daemon=True)
    start = time.monotonic()
    worker.start()
    worker.join(within)
    assert box, f"still blocked after {within} s"
    assert time.monotonic() - start < within
    exc = box[0]
    assert isinstance(exc, inputs.FileRefused), repr(exc)
    return exc


def one_line_each(exc: InputError | ConfigError, path: Path) -> None:
    """Both languages name the file and say what to do, on one line."""
    for lang in ("en", "zh"):
        text = exc.text(lang)
        assert str(path) in text and " — " in text and "\n" not in text


def test_a_regular_file_and_a_link_to_one_are_read(tmp_path: Path) -> None:
    real = tmp_path / "photo.jpg"
    real.write_bytes(b"x" * LIMIT)
    link = tmp_path / "link.jpg"
    link.symlink_to(real)
    assert inputs.read_input(real, limit=LIMIT) == b"x" * LIMIT
    assert inputs.read_input(link, limit=LIMIT) == b"x" * LIMIT
    assert inputs.check_input(link, limit=LIMIT) == LIMIT


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_before_reading(device: str, tmp_path: Path) -> None:
    link = tmp_path / "x.jpg"
    link.symlink_to(device)
    for path in (Path(device), link):
        exc = refused(lambda p=path: inputs.read_input(p, limit=LIMIT, what=("photo", "照片")))
        assert exc.reason == "device" and exc.exit_code == 2
        assert f"cannot read the photo {path}: it is a device, not a file" in exc.en
        assert "设备" in exc.zh and "照片" in exc.zh
        one_line_each(exc, path)


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "clip.mp4"
    os.mkfifo(fifo)
    for call in (lambda: inputs.read_input(fifo, limit=LIMIT),
                 lambda: inputs.check_input(fifo, limit=LIMIT)):
        exc = refused(call)
        assert exc.reason == "pipe" and "a named pipe" in exc.en and "管道" in exc.zh
        one_line_each(exc, fifo)


def test_a_folder_and_a_socket_are_refused(tmp_path: Path) -> None:
    exc = refused(lambda: inputs.read_input(tmp_path, limit=LIMIT))
    assert exc.reason == "folder" and "a folder, not a file" in exc.en and "文件夹" in exc.zh
    sock_path = tmp_path / "s.jpg"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        exc = refused(lambda: inputs.read_input(sock_path, limit=LIMIT))
    assert exc.reason == "socket" and "socket" in exc.en


def test_a_file_over_its_limit_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.jpg"
    with big.open("wb") as fh:
        fh.truncate(20 * 1000**3)  # sparse: 20 GB that take no disk
    start = time.monotonic()
    exc = refused(lambda: inputs.read_input(big, limit=inputs.MEDIA_LIMIT, what=("photo", "照片")))
    assert time.monotonic() - start < 0.5
    assert exc.reason == "too_large" and "larger than 10 MB" in exc.en and "10 MB" in exc.zh
    one_line_each(exc, big)


def test_the_limit_is_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"a" * LIMIT)
    assert len(inputs.read_input(path, limit=LIMIT)) == LIMIT
    path.write_bytes(b"a" * (LIMIT + 1))
    assert refused(lambda: inputs.read_input(path, limit=LIMIT)).reason == "too_large"


def test_a_file_that_grows_after_fstat_is_still_read_with_a_bound(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "growing.jpg"
    path.write_bytes(b"a" * (50 * LIMIT))
    real_fstat = os.fstat

    def small_fstat(fd: int) -> Any:
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid,
                               st.st_gid, 10, int(st.st_atime), int(st.st_mtime),
                               int(st.st_ctime)))

    reads: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        reads.append(len(data))
        return data

    monkeypatch.setattr(inputs.os, "fstat", small_fstat)
    monkeypatch.setattr(inputs.os, "read", counting_read)
    assert refused(lambda: inputs.read_input(path, limit=LIMIT)).reason == "too_large"
    assert sum(reads) <= LIMIT + 1


def test_missing_unreadable_and_empty(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jpg"
    exc = refused(lambda: inputs.read_input(missing, limit=LIMIT, what=("photo", "照片")))
    assert exc.reason == "missing" and "cannot read the photo" in exc.en
    assert "无法读取" in exc.zh and "请检查" in exc.text("zh")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    assert inputs.read_input(empty, limit=LIMIT) == b""
    assert refused(lambda: inputs.read_input(empty, limit=LIMIT, empty_ok=False)).reason == "empty"
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.jpg"
        locked.write_bytes(b"x")
        locked.chmod(0)
        assert refused(lambda: inputs.read_input(locked, limit=LIMIT)).reason == "denied"


def test_links_are_refused_when_not_followed(tmp_path: Path) -> None:
    real = tmp_path / "secret.toml"
    real.write_bytes(b"k = 1\n")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    exc = refused(lambda: inputs.read_input(link, limit=LIMIT, follow_links=False))
    assert exc.reason == "link" and "symbolic link" in exc.en
    assert inputs.read_input(real, limit=LIMIT, follow_links=False) == b"k = 1\n"


def test_open_input_gives_the_descriptor_and_its_stat(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    with inputs.open_input(path, limit=LIMIT) as opened:
        assert opened.size == 10 and opened.read(4) == b"0123" and opened.read() == b"456789"
        fd = opened.fd
    with pytest.raises(OSError):
        os.fstat(fd)  # closed on leaving


def test_refusals_can_be_reraised_as_another_kiosk_error(tmp_path: Path) -> None:
    exc = refused(lambda: inputs.read_input(Path("/dev/zero"), limit=LIMIT))
    again = exc.as_error(ConfigError)
    assert isinstance(again, ConfigError) and again.en == exc.en and again.fix_zh == exc.fix_zh


def test_media_limit_leaves_room_for_code_23() -> None:
    """A photo or clip a little over the service's 6 MB is still read, so it is answered with 23."""
    from kiosk.api.limits import MAX_BODY_BYTES

    assert MAX_BODY_BYTES < inputs.MEDIA_LIMIT <= 10 * 1024 * 1024
