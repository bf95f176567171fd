"""What only the emulator judges in a clip: too few usable frames (-5005), speech that cannot be
four digits (-5008). The kiosk's checks let both through (they warn at most), as the service's
own stricter analysis would refuse them only after the upload."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.emulator import EmulatorHandle
from tests.integration.test_emulator_wire import SAMPLE, Wire, build_extra, running


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorHandle, Wire]]:
    with running(tmp_path_factory.mktemp("emulator-media")) as pair:
        yield pair


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("emulator-extra-media")


@pytest.fixture
def quiet_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    root = logging.getLogger()
    saved = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in saved]:
        root.removeHandler(handler)
        handler.close()


@pytest.mark.parametrize(("name", "code", "reason"), [
    ("blurred", -5005, "too few usable frames"),
    ("one_digit", -5008, "four digits"),
])
def test_emulator_refuses_what_the_checks_let_through(
        name: str, code: int, reason: str, extra: Path, emulator: tuple[EmulatorHandle, Wire],
        capsys: pytest.CaptureFixture[str], quiet_home: None) -> None:
    path = build_extra(extra, name)
    assert main(["check", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    _, wire = emulator
    live = wire.live(path, compare=False)
    assert live["code"] == code and reason in live["message"], live
    assert live["data"] == {"live_status": code, "live_msg": live["message"]}
    # The identity call refuses it the same way, and names no best frame.
    ident = wire.post("idcardlivedetectfour",
                      fields={"validate_data": wire.code(), "idcard_number": SAMPLE["id_number"],
                              "idcard_name": SAMPLE["name"]},
                      files={"video": ("v.mp4", path.read_bytes(), "video/mp4")})
    assert ident["code"] == code, ident
    assert ident["data"]["live_status"] == code and "video_photo" not in ident["data"]
    assert ident["data"]["compare_status"] != 0
