"""Files that are not files: devices, named pipes, folders, huge sparse files, a linked secret.

Every command that reads a path refuses these at once, with one line and exit 2. The commands
run in child processes with a memory cap, a file-size cap and a timeout, so a regression fails
the test instead of filling the disk, eating the memory or hanging the suite.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from keyring.backends import fail

from kiosk.config import Paths, SecretStore
from kiosk.errors import ConfigError, InputError
from tests.support.media import CARD_PHOTO, REPO, SAMPLE_CLIP

ID_NUMBER, NAME = "11010519491231002X", "王芳"
# Nothing listens on port 9 of the loopback: a command that got as far as the network fails there.
CREDS = ["--endpoint", "http://127.0.0.1:9", "--appid", "1000001", "--secret-id", "AKIDfault",
         "--secret-key", "NotUsed-the-file-is-refused-first", "--retries", "0"]
MEMORY_CAP = 2 << 30  # address space: a child reading /dev/zero dies here with MemoryError
FILE_CAP = 64 << 20  # no file the child writes may grow past this
TIMEOUT_S = 10.0  # a child's start and import take about 1 s; a blocked open never ends


@dataclass
class Ran:
    """What one child did: exit status, output, wall time, peak memory."""

    status: int
    out: str
    err: str
    seconds: float
    peak_mb: float

    def one_error_line(self, *, progress: bool = False) -> str:
        """The one error line on stderr (after ``kiosk record``'s progress line when it has one)."""
        assert self.status == 2, (self.status, self.out, self.err)
        assert "Traceback" not in self.err and "MemoryError" not in self.err, self.err
        lines = self.err.strip().splitlines()
        if progress:
            lines = [li for li in lines if not li.startswith("recording ")]
        [line] = lines
        assert line.startswith("error: ") and " — " in line
        return line


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_CAP, FILE_CAP))


# The peak memory of a process counts what it had before exec: a child forked from pytest (800 MB
# late in the suite) would report pytest's size. So a small launcher starts the command and
# reports the command's own peak, then ends as the command did.
MEASURED = (
    "import os, signal, subprocess, sys; child = subprocess.Popen(sys.argv[2:]); "
    "_, status, usage = os.wait4(child.pid, 0); "
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss)); code = os.waitstatus_to_exitcode(status); "
    "os.kill(os.getpid(), -code) if code < 0 else sys.exit(code)"
)


def kiosk(tmp_path: Path, *argv: str, env: dict[str, str] | None = None) -> Ran:
    """``python -m kiosk ARGV`` in a capped child; killed (with its group) after TIMEOUT_S."""
    out_path, err_path = tmp_path / "child.out", tmp_path / "child.err"
    peak_path = tmp_path / "child.peak"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-c", MEASURED, str(peak_path), sys.executable, "-m", "kiosk", *argv,
             "--lang", "en"], cwd=REPO, stdin=subprocess.DEVNULL,
            stdout=out, stderr=err, env={**os.environ, **(env or {})}, preexec_fn=_limits,
            start_new_session=True)
        timer = threading.Timer(TIMEOUT_S, os.killpg, (child.pid, signal.SIGKILL))
        timer.start()
        try:
            _, wait_status, _ = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - start
        child.returncode = os.waitstatus_to_exitcode(wait_status)
    assert child.returncode != -signal.SIGKILL, f"{argv} still running after {TIMEOUT_S} s"
    return Ran(child.returncode, out_path.read_text(errors="replace"),
               err_path.read_text(errors="replace"), seconds, int(peak_path.read_text()) / 1024)


@pytest.fixture
def odd(tmp_path: Path) -> dict[str, Path]:
    """Links to /dev/zero, named pipes, a folder and a 20 GB sparse file, under names that invite."""
    files = tmp_path / "files"
    files.mkdir()
    made = {}
    for name in ("zero.jpg", "zero.mp4"):
        made[name] = files / ("x" + Path(name).suffix)
        made[name].symlink_to("/dev/zero")
    for name in ("fifo.jpg", "fifo.mp4"):
        made[name] = files / name
        os.mkfifo(made[name])
    made["folder.jpg"] = files / "folder.jpg"
    made["folder.jpg"].mkdir()
    for name in ("big.jpg", "big.mp4"):
        made[name] = files / name
        with made[name].open("wb") as fh:
            fh.truncate(20 * 1000**3)  # sparse: no disk used
    return made


@pytest.mark.parametrize(("name", "what"), [
    ("zero.jpg", "a device, not a file"), ("zero.mp4", "a device, not a file"),
    ("fifo.jpg", "a named pipe"), ("fifo.mp4", "a named pipe"),
    ("folder.jpg", "a folder, not a file"),
    ("big.jpg", "larger than 10 MB"), ("big.mp4", "larger than 10 MB"),
])
@pytest.mark.timing
def test_check_refuses_at_once(tmp_path: Path, odd: dict[str, Path], name: str, what: str) -> None:
    ran = kiosk(tmp_path, "check", str(odd[name]))
    line = ran.one_error_line()
    assert str(odd[name]) in line and what in line
    assert ran.out == "" and ran.seconds < 5.0 and ran.peak_mb < 400, (ran.seconds, ran.peak_mb)


def test_check_refuses_an_odd_card_with_a_clip(tmp_path: Path, odd: dict[str, Path]) -> None:
    line = kiosk(tmp_path, "check", str(SAMPLE_CLIP), "--card", str(odd["fifo.jpg"])).one_error_line()
    assert "card photo" in line and "a named pipe" in line


@pytest.mark.parametrize(("name", "what"), [
    ("zero.jpg", "a device, not a file"), ("fifo.jpg", "a named pipe"),
    ("big.jpg", "larger than 10 MB"),
])
@pytest.mark.timing
def test_verify_photo_refuses_at_once(tmp_path: Path, odd: dict[str, Path], name: str,
                                      what: str) -> None:
    ran = kiosk(tmp_path, "verify", "photo", "--image", str(odd[name]), "--id-number", ID_NUMBER,
                "--name", NAME, *CREDS)
    line = ran.one_error_line()
    assert f"cannot read the photo {odd[name]}: it is {what}" in line
    assert ran.seconds < 5.0 and ran.peak_mb < 400, (ran.seconds, ran.peak_mb)


@pytest.mark.timing
def test_verify_photo_on_dev_zero_itself(tmp_path: Path) -> None:
    ran = kiosk(tmp_path, "verify", "photo", "--image", "/dev/zero", "--id-number", ID_NUMBER,
                "--name", NAME, *CREDS)
    assert "/dev/zero: it is a device, not a file" in ran.one_error_line()
    assert ran.peak_mb < 400


@pytest.mark.parametrize(("flag", "name", "what"), [
    ("--video", "fifo.mp4", "a named pipe"), ("--video", "zero.mp4", "a device, not a file"),
    ("--video", "big.mp4", "larger than 10 MB"), ("--card", "fifo.jpg", "a named pipe"),
])
def test_verify_video_refuses_at_once(tmp_path: Path, odd: dict[str, Path], flag: str, name: str,
                                      what: str) -> None:
    files = {"--video": str(SAMPLE_CLIP), "--card": str(CARD_PHOTO), flag: str(odd[name])}
    ran = kiosk(tmp_path, "verify", "video", "--video", files["--video"], "--card",
                files["--card"], "--code", "1357", *CREDS)
    line = ran.one_error_line()
    assert str(odd[name]) in line and what in line


def test_verify_video_refuses_a_pipe_even_without_checks(tmp_path: Path,
                                                        odd: dict[str, Path]) -> None:
    ran = kiosk(tmp_path, "verify", "video", "--video", str(odd["fifo.mp4"]), "--card",
                str(CARD_PHOTO), "--code", "1357", "--no-check", *CREDS)
    assert "a named pipe" in ran.one_error_line()


def test_emulator_enroll_refuses_a_pipe(tmp_path: Path, odd: dict[str, Path]) -> None:
    data = tmp_path / "room"
    data.mkdir()
    ran = kiosk(tmp_path, "emulator", "enroll", "--data", str(data), "--id-number", ID_NUMBER,
                "--name", NAME, "--photo", str(odd["fifo.jpg"]))
    assert "cannot read the photo" in (line := ran.one_error_line()) and "a named pipe" in line


@pytest.mark.parametrize(("name", "what"), [
    ("fifo.mp4", "a named pipe"), ("zero.mp4", "a device, not a file"),
    ("folder.jpg", "a folder, not a file"),
])
def test_a_file_source_refuses_what_is_not_a_file(tmp_path: Path, odd: dict[str, Path],
                                                  name: str, what: str) -> None:
    ran = kiosk(tmp_path, "record", "--out", str(tmp_path / "out.mp4"), "--camera",
                f"file:{odd[name]}", "--seconds", "3")
    line = ran.one_error_line(progress=True)
    assert str(odd[name]) in line and what in line
    assert not (tmp_path / "out.mp4").exists()


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder", "big"])
def test_the_settings_file_must_be_a_small_regular_file(tmp_path: Path, kind: str) -> None:
    config = tmp_path / "config"
    settings = config / "kiosk" / "settings.toml"
    settings.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(settings)
    elif kind == "zero":
        settings.symlink_to("/dev/zero")
    elif kind == "folder":
        settings.mkdir()
    else:
        with settings.open("wb") as fh:
            fh.truncate(5 * 1000**3)
    ran = kiosk(tmp_path, "config", "show", env={"XDG_CONFIG_HOME": str(config)})
    line = ran.one_error_line()
    assert str(settings) in line and "settings file" in line
    assert {"fifo": "a named pipe", "zero": "a device", "folder": "a folder",
            "big": "larger than 1 MB"}[kind] in line


def _paths(tmp_path: Path) -> Paths:
    paths = Paths.under(tmp_path / "home")
    paths.config_dir.mkdir(parents=True, mode=0o700)
    return paths


def test_a_linked_secret_file_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    target = tmp_path / "elsewhere.toml"
    target.write_text('secret_key = "LinkedSecret1"\n')
    target.chmod(0o644)
    paths.secret_file.symlink_to(target)
    store = SecretStore(paths.secret_file, backend=fail.Keyring())
    with pytest.raises(ConfigError) as info:
        store.get()
    assert "symbolic link" in info.value.en and str(paths.secret_file) in info.value.en
    assert "链接" in info.value.zh and info.value.fix_en and info.value.exit_code == 2
    assert "LinkedSecret1" not in info.value.text("en") + info.value.text("zh")
    with pytest.raises(ConfigError, match="symbolic link"):
        store.set("NewSecret22")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text() == 'secret_key = "LinkedSecret1"\n'
    assert paths.secret_file.is_symlink()


def test_a_loose_secret_file_is_tightened_through_its_descriptor(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    paths.secret_file.write_text('secret_key = "LooseSecret1"\n')
    paths.secret_file.chmod(0o644)
    assert SecretStore(paths.secret_file, backend=fail.Keyring()).get() == "LooseSecret1"
    assert stat.S_IMODE(paths.secret_file.stat().st_mode) == 0o600


SECRET_CHILD = """
import sys
from pathlib import Path
from keyring.backends import fail
from kiosk.config import SecretStore
from kiosk.errors import ConfigError
try:
    SecretStore(Path(sys.argv[1]), backend=fail.Keyring()).get()
except ConfigError as exc:
    print(exc.en)
    sys.exit(2)
"""


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_an_odd_secret_file_is_refused(tmp_path: Path, kind: str) -> None:
    """In a capped child: the old code chmod-ed whatever the path named, then read it to the end."""
    paths = _paths(tmp_path)
    if kind == "fifo":
        os.mkfifo(paths.secret_file)
    elif os.geteuid() == 0:  # a private zero device: the system's /dev/zero is never at risk
        os.mknod(paths.secret_file, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    else:
        pytest.skip("making a device node needs root")
    mode = stat.S_IMODE(os.lstat(paths.secret_file).st_mode)
    child = subprocess.run([sys.executable, "-c", SECRET_CHILD, str(paths.secret_file)], cwd=REPO,
                           capture_output=True, text=True, timeout=TIMEOUT_S, preexec_fn=_limits)
    assert child.returncode == 2, child.stderr
    assert str(paths.secret_file) in child.stdout
    assert ("a named pipe" if kind == "fifo" else "a device, not a file") in child.stdout
    assert stat.S_IMODE(os.lstat(paths.secret_file).st_mode) == mode  # not chmod-ed


def _unblock(fifo: Path) -> None:
    """Open a pipe for writing and close it, so a reader blocked on it sees the end."""
    if stat.S_ISFIFO(os.lstat(fifo).st_mode):
        os.close(os.open(fifo, os.O_WRONLY))


@pytest.mark.timing
def test_demo_card_photo_refuses_a_pipe_at_once(tmp_path: Path) -> None:
    from kiosk.cli.demo import read_image

    fifo = tmp_path / "card.jpg"
    os.mkfifo(fifo)
    unblock = threading.Timer(3.0, _unblock, (fifo,))
    unblock.start()
    start = time.monotonic()
    try:
        with pytest.raises(InputError) as info:
            read_image(fifo, "card")
    finally:
        unblock.cancel()
    assert time.monotonic() - start < 1.0
    assert f"cannot read the card photo {fifo}: it is a named pipe" in info.value.en
