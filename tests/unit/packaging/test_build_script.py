"""packaging/build.sh refuses clearly, in both languages, before it builds anything."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "packaging" / "build.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def _build(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60, check=False)


def test_help_lists_the_options_and_exit_status() -> None:
    done = _build("--help")
    assert done.returncode == 0
    assert "--fresh" in done.stdout and "PYTHON" in done.stdout and "Exit status" in done.stdout
    assert "set -euo" not in done.stdout  # only the comment block, not the code after it


def test_an_unknown_option_is_a_usage_error_in_both_languages() -> None:
    done = _build("--frsh")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith("error: unknown option --frsh — ")
    assert lines[1].startswith("错误：")


def test_a_missing_interpreter_is_named_with_what_to_do(tmp_path: Path) -> None:
    done = _build(PYTHON=str(tmp_path / "python3.11"))
    assert done.returncode == 2
    assert f"no Python interpreter '{tmp_path / 'python3.11'}'" in done.stderr
    assert "set PYTHON" in done.stderr and "错误：" in done.stderr


def test_an_interpreter_older_than_3_11_is_refused(tmp_path: Path) -> None:
    old = tmp_path / "python3.9"
    # A stand-in that behaves like Python 3.9 for the version check the script makes.
    old.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    old.chmod(0o755)
    done = _build(PYTHON=str(old))
    assert done.returncode == 2
    assert "older than Python 3.11" in done.stderr and "错误：" in done.stderr
