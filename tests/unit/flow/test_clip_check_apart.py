"""The clip check in a child process: the same findings as in this one, and no model left here."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.checks import check_clip, liveness
from kiosk.errors import KioskError
from kiosk.flow.clip_check import check_clip_apart
from tests.support.media import SAMPLE_CLIP


def codes(findings: list) -> list[tuple[int, str]]:
    return [(f.code, f.severity) for f in findings]


def test_the_child_finds_what_this_process_finds_and_keeps_no_model_here(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(liveness, "_models", None)  # as in a new window's process
    not_video = tmp_path / "clip.mp4"
    not_video.write_bytes(b"hello, not a video" * 100)
    with caplog.at_level(logging.WARNING, logger="kiosk.flow"):
        apart = [check_clip_apart(p, 1000) for p in (SAMPLE_CLIP, not_video)]
    assert "checking in this process" not in caplog.text, "the child must have run"
    assert liveness._models is None, "the landmark model never loads in the caller's process"
    here = [check_clip(p, extra_body_bytes=1000) for p in (SAMPLE_CLIP, not_video)]
    assert [codes(f) for f in apart] == [codes(f) for f in here]
    assert codes(apart[1])[0] == (-5001, "block")


def test_an_unreadable_file_raises_the_same_error_as_here(tmp_path: Path) -> None:
    missing = tmp_path / "gone.mp4"
    with pytest.raises(KioskError) as apart:
        check_clip_apart(missing, 0)
    with pytest.raises(KioskError) as here:
        check_clip(missing)
    assert type(apart.value) is type(here.value)
    assert str(apart.value) == str(here.value)
