"""The log folder on a full disk or read-only: the command's own output is unchanged, and stderr
holds at most one line about the log (no ``--- Logging error ---``, no traceback).

A real full disk: a 16 KiB tmpfs mounted on the log folder and filled (root only; skipped
elsewhere), read-only by remounting it so (root is not stopped by file modes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CARD = REPO / "assets" / "card_photo.jpg"

pytestmark = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mounting a tmpfs needs root")


def mount(folder: Path, *options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(["size=16k", *options]), "tmpfs",
                    str(folder)], check=True, capture_output=True)


@pytest.fixture
def state(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(XDG_STATE_HOME, its kiosk/log folder as a mount point); unmounted afterwards."""
    home = tmp_path / "state"
    log_dir = home / "kiosk" / "log"
    log_dir.mkdir(parents=True, mode=0o700)
    try:
        yield home, log_dir
    finally:
        subprocess.run(["umount", "-l", str(log_dir)], capture_output=True)


def kiosk(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120)


def fill(folder: Path) -> None:
    with (folder / "filler").open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError:
            pass


def assert_quiet(stderr: str, expected: list[str]) -> None:
    assert "Logging error" not in stderr and "Traceback" not in stderr, stderr
    extra = [line for line in stderr.splitlines() if line not in expected]
    assert len(extra) <= 1, stderr  # one warning about the log, at most
    assert all("log" in line for line in extra), stderr


def test_full_disk(state: tuple[Path, Path], tmp_path: Path) -> None:
    home, log_dir = state
    healthy = tmp_path / "healthy"
    ok = kiosk(healthy, "check", str(CARD))
    refused = kiosk(healthy, "check", str(tmp_path / "missing.jpg"))
    assert ok.returncode == 0 and refused.returncode == 2
    mount(log_dir, "mode=0700")
    fill(log_dir)
    for args, before in ((("check", str(CARD)), ok),
                         (("check", str(tmp_path / "missing.jpg")), refused),
                         (("-v", "check", str(CARD)), None)):
        done = kiosk(home, *args)
        if before is not None:
            assert (done.returncode, done.stdout) == (before.returncode, before.stdout)
            assert_quiet(done.stderr, before.stderr.splitlines())
        else:  # verbose: INFO lines on the terminal too, still no logging error
            assert done.returncode == 0
            assert "Logging error" not in done.stderr and "Traceback" not in done.stderr


def test_read_only_log_folder(state: tuple[Path, Path], tmp_path: Path) -> None:
    home, log_dir = state
    healthy = tmp_path / "healthy"
    refused = kiosk(healthy, "check", str(tmp_path / "missing.jpg"))
    mount(log_dir, "mode=0700")
    (log_dir / "kiosk.log").write_text("an earlier line\n")
    subprocess.run(["mount", "-o", "remount,ro", str(log_dir)], check=True, capture_output=True)
    done = kiosk(home, "check", str(tmp_path / "missing.jpg"))
    assert (done.returncode, done.stdout) == (refused.returncode, refused.stdout)
    assert_quiet(done.stderr, refused.stderr.splitlines())
