"""The commands take settings through kiosk.config.Settings: one order, one parse, one endpoint rule."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from kiosk.cli import build_parser, common
from kiosk.config import Paths, Settings
from kiosk.config.store import SettingsFile
from kiosk.endpoint import DEFAULT_ENDPOINT, endpoint_url, is_endpoint
from kiosk.errors import ConfigError


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        (tmp_path / var.lower()).mkdir(mode=0o700)
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    return Paths.default()


def code_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["code", *argv])


def test_flag_then_environment_then_file_then_nothing(home: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = Settings(home, secrets=None)
    stored.assign("appid", "1000001")
    stored.assign("secret_id", "AKIDfile")
    stored.assign("bucket", "from-file")
    monkeypatch.setenv("KIOSK_SECRET_ID", "AKIDenv")
    monkeypatch.setenv("KIOSK_SECRET_KEY", "env-key")
    args = code_args("--bucket", "from-flag")
    conn = common.resolve_connection(args)
    assert (conn.appid, conn.secret_id, conn.secret_key, conn.bucket) == (
        "1000001", "AKIDenv", "env-key", "from-flag")
    assert conn.endpoint == DEFAULT_ENDPOINT
    assert common.setting(args, "camera") is None  # set nowhere: the caller's default


def test_the_settings_file_is_read_once_per_command(home: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    Settings(home).assign("appid", "1000001")
    monkeypatch.setenv("KIOSK_SECRET_ID", "AKIDenv")
    monkeypatch.setenv("KIOSK_SECRET_KEY", "env-key")
    loads: list[Path] = []
    real_load = SettingsFile.load

    def counting_load(self: SettingsFile) -> dict[str, object]:
        loads.append(self.path)
        return real_load(self)

    monkeypatch.setattr(SettingsFile, "load", counting_load)
    args = code_args()
    common.resolve_connection(args)
    for key in ("camera", "mic", "clip_seconds", "clip_format"):
        common.setting(args, key)
    assert loads == [home.settings_file]


@pytest.mark.parametrize("given", [("--endpoint", "service.image.myqcloud.com"),
                                   ("--endpoint", "ftp://example.com"),
                                   ("--endpoint", "https://")])
def test_an_endpoint_flag_is_checked_by_the_one_rule(home: Paths, monkeypatch: pytest.MonkeyPatch,
                                                      given: tuple[str, str]) -> None:
    monkeypatch.setenv("KIOSK_APPID", "1000001")
    monkeypatch.setenv("KIOSK_SECRET_ID", "AKIDenv")
    monkeypatch.setenv("KIOSK_SECRET_KEY", "env-key")
    with pytest.raises(ConfigError) as info:
        common.resolve_connection(code_args(*given))
    # Before, the command took "https://" (no host) and the client refused it in other words.
    assert info.value.en.startswith("--endpoint: endpoint = ")
    assert "is not an http(s) URL with a host name" in info.value.en


def test_the_client_uses_the_same_rule() -> None:
    from kiosk.api import Client

    with pytest.raises(ConfigError, match="is not an http\\(s\\) URL with a host name"):
        Client("https://", "1000001", "AKID", "key")
    assert Client("http://127.0.0.1:9/ ", "1000001", "AKID", "key").endpoint == "http://127.0.0.1:9"


@pytest.mark.parametrize(("url", "ok"), [
    ("https://service.image.myqcloud.com", True), ("http://127.0.0.1:8080/", True),
    ("https://", False), ("ftp://example.com", False), ("example.com", False), ("http://[::1", False),
    ("", False),
])
def test_what_an_endpoint_is(url: str, ok: bool) -> None:
    assert is_endpoint(url) is ok
    if ok:
        assert not endpoint_url(url).endswith("/")
