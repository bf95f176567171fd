"""Log setup: the file is private, rotated, masked, and never holds a secret."""

from __future__ import annotations

import io
import logging
import stat
from collections.abc import Iterator

import pytest

from kiosk.config import Paths, logs
from kiosk.config.secrets import SecretStore


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved
    root.setLevel(level)


def test_file_lines_are_masked_and_secret_free(paths: Paths) -> None:
    terminal = io.StringIO()
    logs.setup(verbose=True, paths=paths, secrets=["FlagSecret123"], names=["王芳"], stream=terminal)
    log = logging.getLogger("kiosk.test")
    log.debug("signing with %s for %s", "FlagSecret123", "11010519491231002X")
    log.info("person 王芳 requested=%r", {"idcard_name": "李娜", "n": "440304198510156428"})
    try:
        raise ValueError("bad key FlagSecret123 for 11010519491231002X")
    except ValueError:
        log.exception("failed")
    for h in logging.getLogger().handlers:
        h.flush()
    text = paths.log_file.read_text(encoding="utf-8")
    for content in (text, terminal.getvalue()):
        assert "FlagSecret123" not in content
        assert "11010519491231002X" not in content and "440304198510156428" not in content
        assert "王芳" not in content and "李娜" not in content
    assert "110105********002X" in text and "ValueError" in text and "王*" in text
    assert stat.S_IMODE(paths.log_file.stat().st_mode) == 0o600


def test_secret_from_the_store_and_the_variable_is_removed(paths: Paths,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    SecretStore(paths.secret_file, warn=lambda en, zh: None).set("StoredSecret456")
    monkeypatch.setenv("KIOSK_SECRET_KEY", "EnvSecret789")
    logs.setup(verbose=False, paths=paths, stream=io.StringIO())
    logging.getLogger("kiosk.test").warning("StoredSecret456 EnvSecret789")
    text = paths.log_file.read_text(encoding="utf-8")
    assert "StoredSecret456" not in text and "EnvSecret789" not in text and "secret removed" in text


def test_names_learnt_later_are_masked(paths: Paths) -> None:
    logs.setup(paths=paths, stream=io.StringIO())
    logs.protect_name("赵敏")
    logs.protect_secret("LearntLater42")
    logging.getLogger("kiosk.test").warning("赵敏 LearntLater42")
    text = paths.log_file.read_text(encoding="utf-8")
    assert "赵敏" not in text and "LearntLater42" not in text


def test_levels_follow_verbose_and_setup_twice_does_not_duplicate(paths: Paths) -> None:
    terminal = io.StringIO()
    logs.setup(verbose=False, paths=paths, stream=terminal)
    logs.setup(verbose=False, paths=paths, stream=terminal)
    log = logging.getLogger("kiosk.test")
    log.debug("debug-line")
    log.info("info-line")
    log.warning("warning-line")
    text = paths.log_file.read_text(encoding="utf-8")
    assert "debug-line" not in text and text.count("info-line") == 1
    assert terminal.getvalue().count("warning-line") == 1 and "info-line" not in terminal.getvalue()
    logs.setup(verbose=True, paths=paths, stream=terminal)
    log.debug("debug-two")
    assert "debug-two" in paths.log_file.read_text(encoding="utf-8")


def test_file_rotates(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    logs.setup(paths=paths, stream=io.StringIO())
    for i in range(100):
        logging.getLogger("kiosk.test").info("line %d %s", i, "x" * 50)
    rotated = sorted(p.name for p in paths.log_dir.iterdir())
    assert "kiosk.log.1" in rotated and len(rotated) <= 1 + logs.BACKUPS
    assert all(stat.S_IMODE((paths.log_dir / n).stat().st_mode) == 0o600 for n in rotated)


def test_unwritable_log_folder_falls_back_to_the_terminal(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("")
    paths = Paths.under(tmp_path)
    paths = Paths(paths.config_dir, paths.data_dir, blocker / "log", paths.sessions_dir)
    terminal = io.StringIO()
    logs.setup(paths=paths, stream=terminal)
    assert "logging to the terminal only" in terminal.getvalue()


def test_a_logged_traceback_stays_in_the_file_and_the_terminal_gets_one_line(
        paths: Paths) -> None:
    terminal = io.StringIO()
    logs.setup(paths=paths, stream=terminal)
    try:
        raise ValueError("inner detail")
    except ValueError:
        logging.getLogger("kiosk.test").exception("the step failed")
    lines = terminal.getvalue().splitlines()
    assert len(lines) == 1 and "the step failed" in lines[0], lines
    assert "Traceback" not in terminal.getvalue() and "inner detail" not in terminal.getvalue()
    text = paths.log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError: inner detail" in text


def test_a_log_file_that_cannot_be_written_warns_once_then_is_quiet(
        paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    # /dev/full answers every write with ENOSPC: a full disk without mounting one.
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    paths.log_file.unlink(missing_ok=True)
    paths.log_file.symlink_to("/dev/full")
    terminal = io.StringIO()
    logs.setup(paths=paths, stream=terminal)
    log = logging.getLogger("kiosk.test")
    for i in range(20):
        log.info("line %d", i)
    log.warning("a warning still reaches the terminal")
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err, err
    assert len(err.splitlines()) == 1 and "log" in err, err
    assert "a warning still reaches the terminal" in terminal.getvalue()
