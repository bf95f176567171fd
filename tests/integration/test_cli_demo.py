"""``kiosk demo``: a full verification against the in-process emulator, and its wrong inputs.

The runs use the real flow, media, checks, client and emulator on loopback; shorter clips and
countdowns than the defaults keep them quick, except the README's command, run as it is typed.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import Paths

QUICK = ("--countdown", "0", "--clip-seconds", "3")
STEPS_EN = ("» checking details", "» getting the code", "» positioning", "» recording",
            "» local checks", "» uploading", "» result")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Paths]:
    """Fresh XDG folders, no KIOSK_* settings; the kiosk's log handlers removed afterwards."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    root = logging.getLogger()
    saved = list(root.handlers)
    paths = Paths.default()
    yield paths
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved
    assert_no_session_left(paths)


def assert_no_session_left(paths: Paths) -> None:
    """The flow deleted its workspace: no session folder, so no clip or photo."""
    sessions = paths.sessions_dir
    left = sorted(p.name for p in sessions.iterdir()) if sessions.exists() else []
    assert left == [], f"session folders left: {left}"


def demo(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["demo", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and " — " in lines[0], lines[0]
    return lines[0]


# ---- full runs ------------------------------------------------------------------------------


@pytest.mark.slow
def test_readme_command_passes_from_a_fresh_home(tmp_path: Path) -> None:
    # As typed in the README, in a new process with empty settings: no camera, no account.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "run")
    (tmp_path / "run").mkdir(mode=0o700)
    env["LANG"] = "C.UTF-8"
    kiosk = Path(sys.executable).with_name("kiosk")
    done = subprocess.run([str(kiosk), "demo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    positions = [out.index(step) for step in (*STEPS_EN[:3], "» countdown", *STEPS_EN[3:])]
    assert positions == sorted(positions), out
    assert "read these digits aloud: " in out
    assert "3…" in out and "2…" in out and "1…" in out
    assert "recorded 5/5 s" in out and "sent 100%" in out
    verdict = next(line for line in out.splitlines() if line.startswith("PASS: "))
    assert "similarity" in verdict
    assert "liveness: 0" in out and "comparison: 0" in out
    assert done.stderr.strip() == "", done.stderr  # no warning, no traceback
    sessions = tmp_path / "run"
    assert [p for p in sessions.rglob("*") if p.is_file() and p.suffix in (".mp4", ".flv")] == []


@pytest.mark.slow
def test_other_person_is_refused_with_exit_1_and_json(
        home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = demo(capsys, "--person", "other", "--json", *QUICK)
    assert code == 1
    result = json.loads(out)  # stdout holds the JSON only; the steps went to stderr
    assert result["outcome"] == "failed" and result["passed"] is False
    assert result["similarity"] < result["threshold"] == 70
    assert result["live_status"] == 0 and result["exit_code"] == 1
    assert result["validate_data"].isdigit() and len(result["validate_data"]) == 4
    assert "» uploading" in err and "FAIL: not the same person" in err
    assert "440304198510156428" not in out + err and "李娜" not in out + err


@pytest.mark.slow
def test_card_mode_in_chinese_saves_the_best_frame(
        home: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    frame = tmp_path / "best.jpg"
    code, out, err = demo(capsys, "--mode", "card", "--lang", "zh", "--save-frame", str(frame),
                          *QUICK)
    assert code == 0, out + err
    for step in ("» 核对信息", "» 获取数字码", "» 录制", "» 本地检查", "» 上传核验", "» 结果"):
        assert step in out
    assert "通过：" in out and "相似度" in out
    assert frame.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG from the service
    assert not list(tmp_path.glob(".best.jpg*"))  # no temporary file left


@pytest.mark.slow
def test_photo_mode_takes_a_still_and_passes(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = demo(capsys, "--mode", "photo", "--json", "--countdown", "0")
    assert code == 0, out + err
    result = json.loads(out)
    assert result["mode"] == "photo" and result["passed"] is True
    assert result["live_status"] is None and result["similarity"] >= 70
    assert "» getting the code" not in err  # no code in photo mode
    assert "» recording" in err and "» uploading" in err


@pytest.mark.slow
def test_a_synthetic_camera_brings_its_sound_and_is_blocked_locally(
        home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    # No --mic: the synthetic camera brings its beeps (kiosk.media.resolve_sources), as it does for
    # kiosk record; before, the demo asked for the default microphone, which a server lacks.
    # A test pattern and beeps: no face, no speech. The clip checks stop it; nothing is sent.
    code, out, err = demo(capsys, "--camera", "synthetic", "--json", *QUICK)
    assert "microphone synthetic" in err and "no microphone" not in err
    assert code == 1
    result = json.loads(out)
    assert result["outcome"] == "blocked" and result["findings"]
    assert any(f["severity"] == "block" for f in result["findings"])
    assert "» uploading" not in err and "BLOCKED: not sent:" in err
    assert "✗ " in err  # each blocking finding is listed


# ---- wrong input: one line, exit 2, nothing started --------------------------------------------


@pytest.mark.parametrize(("argv", "said"), [
    (("--camera", "file:/no/such/clip.mp4"), "/no/such/clip.mp4"),
    (("--camera", "not-a-camera-spec"), "not-a-camera-spec"),
    (("--camera", "/no/such/video9", "--mic", "synthetic"), "no camera found at '/no/such/video9'"),
    (("--camera", "/no/such/video9"), "no camera found"),  # named before the absent microphone
    (("--camera", "synthetic", "--mic", "no-such-microphone"), "no-such-microphone"),
    (("--mode", "card", "--card", "/no/such/card.jpg"), "card photo"),
    (("--mode", "photo", "--photo", "/no/such/face.png"), "photo"),
    (("--person", "nobody"), "'nobody'"),
    (("--threshold", "120"), "--threshold"),
    (("--clip-seconds", "0"), "--clip-seconds"),
    (("--clip-seconds", "25"), "--clip-seconds 25 is outside 3-10"),  # kiosk.clip_length's range
    (("--clip-seconds", "1"), "--clip-seconds 1 is outside 3-10"),  # before, 1-20: past the settings
    (("--save-frame", "/no/such/folder/best.jpg"), "--save-frame"),
])
def test_wrong_input_is_one_line_before_anything_starts(
        home: Paths, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], said: str) -> None:
    code, out, err = demo(capsys, *argv)
    assert code == 2
    assert out == ""  # the emulator never started: not even its first line
    assert said in one_error_line(err)


def test_clip_seconds_help_names_the_one_range() -> None:
    from kiosk.cli import build_parser
    from kiosk.clip_length import CLIP_SECONDS_RANGE

    demo_parser = build_parser()._subparsers._group_actions[0].choices["demo"]  # type: ignore[union-attr]
    helps = {a.dest: a.help for a in demo_parser._actions}
    assert CLIP_SECONDS_RANGE in str(helps["clip_seconds"])


def test_wrong_input_in_chinese(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = demo(capsys, "--lang", "zh", "--camera", "file:/no/such/clip.mp4")
    line = one_error_line(err)
    assert code == 2 and out == ""
    assert any("\u4e00" <= ch <= "\u9fff" for ch in line), line


def test_unknown_mode_is_a_usage_error(home: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--mode", "selfie"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
