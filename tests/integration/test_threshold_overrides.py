"""An operator's ``thresholds.<name>`` override reaches the local checks of the kiosk's commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from kiosk.resources import asset_path

CLIP = asset_path("sample_clip.mp4")


def _kiosk(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def _codes(run: subprocess.CompletedProcess[str]) -> list[int]:
    return [f["code"] for f in json.loads(run.stdout)["findings"] if f["severity"] == "block"]


def test_sample_clip_passes_with_the_committed_limits() -> None:
    run = _kiosk("check", str(CLIP), "--json")
    assert run.returncode == 0, run.stderr
    assert _codes(run) == []


def test_environment_override_raises_the_resolution_limit() -> None:
    # The sample is 640x480: a short side of 500 required makes it a -5015.
    run = _kiosk("check", str(CLIP), "--json", env_extra={"KIOSK_THRESHOLDS_MIN_SHORT_SIDE": "500"})
    assert run.returncode == 1, run.stderr
    assert _codes(run) == [-5015]


def test_settings_file_override_is_used_and_can_be_removed() -> None:
    assert _kiosk("config", "set", "thresholds.min_short_side", "500").returncode == 0
    try:
        run = _kiosk("check", str(CLIP), "--json")
        assert run.returncode == 1 and _codes(run) == [-5015], run.stderr
    finally:
        assert _kiosk("config", "unset", "thresholds.min_short_side").returncode == 0
    assert _kiosk("check", str(CLIP), "--json").returncode == 0
