"""``kiosk check --json`` and the emulator over the same clips and photos: the same codes.

The cases are tests.support.media's (one built file per code the local checks predict). Each
clip goes to ``livedetectfour`` (liveness only); each photo to ``idcardcompare`` as ``image``
(role photo) and to ``livedetectfour`` as ``card`` beside the good clip (role card). What the
kiosk predicts as blocking must be exactly what the emulator answers, and both must be the
code the case was built for.
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
from kiosk.emulator import EmulatorHandle
from tests.integration.test_emulator_wire import SAMPLE_CLIP, Wire, running
from tests.support.media import CASES, MediaFactory, session_factory

CLIPS = sorted(n for n, c in CASES.items() if c.kind == "clip")
PHOTOS = sorted(n for n, c in CASES.items() if c.kind == "photo")


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFactory:
    return session_factory(tmp_path_factory)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorHandle, Wire]]:
    with running(tmp_path_factory.mktemp("emulator-vs-check")) as pair:
        yield pair


@pytest.fixture
def quiet_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """main() sets up the kiosk's log files: keep them in tmp_path and undo the handlers."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    root = logging.getLogger()
    saved = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in saved]:
        root.removeHandler(handler)
        handler.close()


def kiosk_check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[int]]:
    """Exit status and blocking codes of ``kiosk check --json ARGV``."""
    status = main(["check", "--json", *argv])
    out = capsys.readouterr().out
    report = json.loads(out)
    codes = [f["code"] for f in report["findings"] if f["severity"] == "block"]
    assert report["ok"] == (not codes) and status == (1 if codes else 0)
    return status, codes


@pytest.mark.parametrize("name", CLIPS)
def test_clip_same_code(name: str, media: MediaFactory, emulator: tuple[EmulatorHandle, Wire],
                        capsys: pytest.CaptureFixture[str], quiet_home: None) -> None:
    path = media.build(name)
    expected = CASES[name].codes
    _, predicted = kiosk_check(capsys, str(path))
    reply = emulator[1].live(path, compare=False)
    assert sorted(set(predicted)) == sorted(expected), f"kiosk check predicted {predicted}"
    assert reply["code"] == (expected[0] if expected else 0), reply
    if not expected:
        assert reply["data"] == {"live_status": 0, "live_msg": "OK"}
    elif reply["code"] != 23:
        # A liveness refusal is also the live_status, as the document's fields say.
        assert reply["data"]["live_status"] == reply["code"]


@pytest.mark.parametrize("name", PHOTOS)
def test_photo_as_image_same_code(name: str, media: MediaFactory,
                                  emulator: tuple[EmulatorHandle, Wire],
                                  capsys: pytest.CaptureFixture[str], quiet_home: None) -> None:
    path = media.build(name)
    expected = CASES[name].codes
    _, predicted = kiosk_check(capsys, str(path), "--role", "photo")
    reply = emulator[1].compare(path)
    assert sorted(set(predicted)) == sorted(expected), f"kiosk check predicted {predicted}"
    assert reply["code"] == (expected[0] if expected else 0), reply


@pytest.mark.parametrize("name", PHOTOS)
def test_photo_as_card_same_code(name: str, media: MediaFactory,
                                 emulator: tuple[EmulatorHandle, Wire],
                                 capsys: pytest.CaptureFixture[str], quiet_home: None) -> None:
    path = media.build(name)
    expected = CASES[name].card_codes
    # The body livedetectfour sends: the clip and the card together (the size counts both).
    _, predicted = kiosk_check(capsys, str(SAMPLE_CLIP), "--card", str(path))
    reply = emulator[1].live(SAMPLE_CLIP, card=path, compare=True)
    assert sorted(set(predicted)) == sorted(expected), f"kiosk check predicted {predicted}"
    assert reply["code"] == (expected[0] if expected else 0), reply
    if expected and reply["code"] != 23:
        # The card is the comparison's problem; the liveness itself was fine.
        assert reply["data"]["compare_status"] == reply["code"]


def test_the_installed_command_agrees_too(media: MediaFactory,
                                          emulator: tuple[EmulatorHandle, Wire],
                                          tmp_path: Path) -> None:
    """The real ``kiosk`` entry point, in its own process, on one refused clip."""
    path = media.build("low_resolution")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "kiosk", "check", "--json", str(path)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    codes = [f["code"] for f in json.loads(done.stdout)["findings"] if f["severity"] == "block"]
    assert codes == [-5015]
    assert emulator[1].live(path, compare=False)["code"] == -5015
