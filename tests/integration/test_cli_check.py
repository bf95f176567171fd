"""``kiosk check``: clips, photos, ID number and name; --json shape; exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.support.media import CARD_PHOTO, REPO, SAMPLE_CLIP, MediaFactory, session_factory

FINDING_KEYS = {"code", "severity", "value", "limit", "message_zh", "message_en"}


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    """The shared built clips and photos (tests.support.media)."""
    return session_factory(tmp_path_factory)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``kiosk check ARGV`` in this process: exit status, stdout, stderr."""
    status = main(["check", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    status, out, err = run(capsys, *argv, "--json")
    assert err == ""
    doc = json.loads(out, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    assert set(doc) == {"ok", "findings"}
    for f in doc["findings"]:
        assert set(f) == FINDING_KEYS
        assert f["severity"] in ("block", "warn") and f["message_zh"] and f["message_en"]
    assert doc["ok"] == (status == 0)
    return status, doc


def blocks(doc: dict) -> list[int]:
    return [f["code"] for f in doc["findings"] if f["severity"] == "block"]


def test_good_clip_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, str(SAMPLE_CLIP)) == (0, {"ok": True, "findings": []})


def test_quiet_clip_blocks_with_value_and_limit(capsys: pytest.CaptureFixture[str],
                                                media: MediaFactory) -> None:
    status, doc = run_json(capsys, str(media.build("quiet_speech")))
    assert status == 1 and doc["ok"] is False
    [f] = doc["findings"]
    assert (f["code"], f["severity"], f["limit"]) == (-5013, "block", -40.0)
    assert f["value"] < -40.0


@pytest.mark.parametrize(("case", "code"), [
    ("low_resolution", -5015), ("no_audio", -5007), ("not_a_video", -5001),
    ("no_face_photo", -4015), ("animated_photo", -4016), ("not_an_image", -4016),
])
def test_blocking_files_exit_1_with_their_code(capsys: pytest.CaptureFixture[str],
                                               media: MediaFactory, case: str, code: int) -> None:
    status, doc = run_json(capsys, str(media.build(case)))
    assert (status, blocks(doc)) == (1, [code])


def test_card_role_predicts_the_card_codes(capsys: pytest.CaptureFixture[str],
                                           media: MediaFactory) -> None:
    status, doc = run_json(capsys, str(media.build("no_face_photo")), "--role", "card")
    assert (status, blocks(doc)) == (1, [-4017])
    assert run_json(capsys, str(CARD_PHOTO), "--role", "card") == (0, {"ok": True, "findings": []})


def test_the_card_sent_with_a_clip_counts_towards_the_body(capsys: pytest.CaptureFixture[str],
                                                           media: MediaFactory) -> None:
    assert run_json(capsys, str(SAMPLE_CLIP), "--card", str(CARD_PHOTO))[0] == 0
    status, doc = run_json(capsys, str(SAMPLE_CLIP), "--card",
                           str(media.build("too_large_photo")))
    assert (status, blocks(doc)) == (1, [23])


def test_id_number_and_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "--id-number", "11010519491231002x", "--name", " 王芳 ") == (
        0, {"ok": True, "findings": []})
    status, doc = run_json(capsys, "--id-number", "110105194912310021", "--name", "王芳")
    assert (status, blocks(doc)) == (1, [-5804])
    assert doc["findings"][0]["limit"] == "X"  # the check digit it should have been
    status, doc = run_json(capsys, "--id-number", "11010519491231002X")
    assert (status, blocks(doc)) == (1, [-5801])


def test_a_name_that_only_warns_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, doc = run_json(capsys, "--id-number", "11010519491231002X", "--name", "Wang Fang")
    assert status == 0 and [(f["code"], f["severity"]) for f in doc["findings"]] == [
        (-5803, "warn")]


def test_identity_and_file_together(capsys: pytest.CaptureFixture[str]) -> None:
    status, doc = run_json(capsys, str(SAMPLE_CLIP), "--id-number", "99010519491231002X",
                           "--name", "王芳")
    assert (status, blocks(doc)) == (1, [-5804])


def test_text_output_in_both_languages(capsys: pytest.CaptureFixture[str],
                                       media: MediaFactory) -> None:
    status, out, _ = run(capsys, str(media.build("low_resolution")), "--lang", "en")
    assert status == 1 and "BLOCK" in out and "-5015" in out and "320x240" in out
    assert "BLOCKED" in out.splitlines()[-1]
    status, out, _ = run(capsys, str(media.build("low_resolution")), "--lang", "zh")
    assert status == 1 and "阻止" in out and "分辨率" in out and "未通过" in out
    status, out, _ = run(capsys, str(SAMPLE_CLIP), "--lang", "en")
    assert (status, out.strip()) == (0, "OK: nothing the service would refuse (0 warnings).")


@pytest.mark.parametrize("argv", [
    ["{missing}"], ["{folder}"], [], ["{photo}", "--card", "{photo}"], ["{clip}", "--card", "{missing}"],
    ["{clip}", "--role", "card"],
])
def test_usage_and_unreadable_files_exit_2_with_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]) -> None:
    names = {"missing": str(tmp_path / "nope.mp4"), "folder": str(tmp_path),
             "photo": str(CARD_PHOTO), "clip": str(SAMPLE_CLIP)}
    status, out, err = run(capsys, *(a.format(**names) for a in argv), "--lang", "en")
    assert status == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("error: ") and " — " in line and "Traceback" not in err


def test_missing_file_is_named_in_chinese_too(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    status, _, err = run(capsys, str(tmp_path / "无此文件.mp4"), "--lang", "zh")
    assert status == 2 and "无法读取" in err and "无此文件.mp4" in err and "请检查" in err


@pytest.mark.slow
def test_the_installed_command_prints_strict_json(tmp_path: Path) -> None:
    """The real entry point in a fresh process: stdout is one JSON document, stderr is quiet."""
    proc = subprocess.run([sys.executable, "-m", "kiosk", "check", str(SAMPLE_CLIP), "--json"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"ok": True, "findings": []}
    proc = subprocess.run([sys.executable, "-m", "kiosk", "check", str(tmp_path / "gone.mp4")],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: cannot read") and "Traceback" not in proc.stderr
