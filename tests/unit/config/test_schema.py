"""The settings table: parsing, validation and the reasons given for refusals."""

from __future__ import annotations

import sys
import types

import pytest

from kiosk.config import schema
from kiosk.errors import ConfigError


@pytest.mark.parametrize(("key", "text", "value"), [
    ("clip_seconds", "3", 3), ("clip_seconds", " 10 ", 10), ("threshold", "80", 80.0),
    ("threshold", "72.5", 72.5), ("mode", "CARD", "card"), ("clip_format", "flv", "flv"),
    ("endpoint", "http://127.0.0.1:8080/", "http://127.0.0.1:8080"), ("language", "zh", "zh"),
    ("keep_clips_days", "0", 0), ("operator_pin", "004321", "004321"), ("idle_timeout", "10", 10),
])
def test_valid_values_parse_to_their_type(key: str, text: str, value: object) -> None:
    assert schema.find(key).parse(text) == value


@pytest.mark.parametrize(("key", "text", "reason"), [
    ("clip_seconds", "2", "between 3 and 10"), ("clip_seconds", "11", "between 3 and 10"),
    ("clip_seconds", "five", "whole number"), ("threshold", "101", "between 0 and 100"),
    ("mode", "selfie", "photo | card | idcard"), ("clip_format", "avi", "mp4 | flv"),
    ("endpoint", "service.image.myqcloud.com", "http(s) URL"), ("endpoint", "ftp://x", "http(s) URL"),
    ("operator_pin", "12a4", "4 to 12 digits"), ("operator_pin", "123", "4 to 12 digits"),
    ("keep_clips_days", "-1", "between 0 and 365"), ("appid", "12 34", "does not look right"),
    ("secret_key", "", "must not be empty"), ("language", "fr", "zh | en | auto"),
])
def test_invalid_values_are_refused_with_the_reason(key: str, text: str, reason: str) -> None:
    with pytest.raises(ConfigError) as info:
        schema.find(key).parse(text)
    assert reason in info.value.en
    assert key in info.value.en and info.value.zh != info.value.en and info.value.fix_en


def test_a_refused_pin_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as info:
        schema.find("operator_pin").parse("98765x")
    assert "98765x" not in info.value.en and "98765x" not in info.value.zh


def test_unknown_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        schema.find("colour")


def test_every_setting_has_help_in_both_languages_and_a_valid_default() -> None:
    for s in schema.SETTINGS:
        assert s.help_en and s.help_zh, s.key
        if s.default not in ("",):
            assert s.parse(s.default) == s.default, s.key
        assert s.env == "KIOSK_" + s.key.upper()


def test_the_required_keys_exist() -> None:
    keys = {s.key for s in schema.SETTINGS}
    assert {"endpoint", "appid", "secret_id", "bucket", "mode", "camera", "mic", "clip_seconds",
            "clip_format", "threshold", "idle_timeout", "language", "operator_pin",
            "keep_clips_days", "secret_key"} <= keys
    assert schema.BY_KEY["threshold"].default == 70
    assert schema.BY_KEY["secret_key"].secret and schema.BY_KEY["operator_pin"].hashed


def test_threshold_overrides_follow_the_checks_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.checks  # the real package first: importing it under the fake below fails alone

    fake = types.ModuleType("kiosk.checks.thresholds")
    fake.MIN_SPEECH_DBFS = -35.0  # type: ignore[attr-defined]
    fake.helper = 3  # type: ignore[attr-defined]  # lower-case: not a threshold
    monkeypatch.setitem(sys.modules, "kiosk.checks.thresholds", fake)
    monkeypatch.setattr(kiosk.checks, "thresholds", fake, raising=False)
    setting = schema.find("thresholds.min_speech_dbfs")
    assert setting.default == -35.0 and setting.parse("-30") == -30.0
    with pytest.raises(ConfigError):
        schema.find("thresholds.helper")
