"""The settings file and the order values are taken in: flag, KIOSK_* variable, file, default."""

from __future__ import annotations

import stat
import tomllib

import pytest

from kiosk.config import Paths, SecretStore, Settings, verify_pin
from kiosk.config.store import SettingsFile
from kiosk.errors import ConfigError


def make(paths: Paths, **kw: object) -> Settings:
    kw.setdefault("env", {})
    return Settings(paths, secrets=SecretStore(paths.secret_file, warn=lambda en, zh: None), **kw)  # type: ignore[arg-type]


def test_assign_then_read_back_through_a_new_settings(paths: Paths) -> None:
    make(paths).assign("clip_seconds", "7")
    make(paths).assign("mode", "card")
    fresh = make(paths)
    assert fresh.get("clip_seconds") == 7 and fresh.resolve("clip_seconds").source == "file"
    assert fresh.get("mode") == "card"
    assert fresh.resolve("clip_format").source == "default" and fresh.get("clip_format") == "mp4"
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.config_dir.stat().st_mode) == 0o700


def test_flag_wins_over_env_which_wins_over_file(paths: Paths) -> None:
    make(paths).assign("threshold", "75")
    assert make(paths).get("threshold") == 75
    assert make(paths, env={"KIOSK_THRESHOLD": "80"}).resolve("threshold").source == "env"
    both = make(paths, env={"KIOSK_THRESHOLD": "80"}, flags={"threshold": "85"})
    assert both.get("threshold") == 85 and both.resolve("threshold").source == "flag"


def test_an_invalid_variable_is_named_in_the_error(paths: Paths) -> None:
    with pytest.raises(ConfigError, match="KIOSK_CLIP_SECONDS: clip_seconds = '99' refused"):
        make(paths, env={"KIOSK_CLIP_SECONDS": "99"}).get("clip_seconds")


def test_refused_value_leaves_the_file_as_it_was(paths: Paths) -> None:
    make(paths).assign("clip_seconds", "6")
    before = paths.settings_file.read_bytes()
    with pytest.raises(ConfigError, match="between 3 and 10"):
        make(paths).assign("clip_seconds", "60")
    assert paths.settings_file.read_bytes() == before


def test_a_damaged_file_is_reported_with_its_line_and_never_replaced(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    damaged = b'mode = "card"\nclip_seconds = 5\nthreshold = = 7\n'
    paths.settings_file.write_bytes(damaged)
    with pytest.raises(ConfigError) as info:
        make(paths).get("mode")
    assert str(paths.settings_file) in info.value.en and "line 3" in info.value.en
    assert "does not overwrite" in info.value.fix_en
    with pytest.raises(ConfigError):
        make(paths).assign("mode", "photo")  # refuses to write over a file it cannot read
    assert paths.settings_file.read_bytes() == damaged


def test_a_bad_value_in_the_file_names_key_and_line(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text('mode = "card"\n\nclip_seconds = 30\n')
    with pytest.raises(ConfigError, match=r"line 3 has a bad value: clip_seconds = '30'"):
        make(paths).get("mode")


def test_a_secret_key_typed_into_the_file_is_refused_without_echoing_it(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text('secret_key = "PlainTextKey123"\n')
    with pytest.raises(ConfigError) as info:
        make(paths).get("mode")
    assert "line 1" in info.value.en and "PlainTextKey123" not in info.value.text("en")


def test_unknown_keys_in_the_file_are_ignored(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text('colour = "blue"\nmode = "photo"\n')
    assert make(paths).get("mode") == "photo"


def test_operator_pin_is_stored_as_a_salted_hash(paths: Paths) -> None:
    make(paths).assign("operator_pin", "246810")
    text = paths.settings_file.read_text()
    assert "246810" not in text
    stored = tomllib.loads(text)["operator_pin"]
    assert stored.startswith("scrypt$")
    assert verify_pin("246810", make(paths).get("operator_pin"))
    assert not verify_pin("246811", make(paths).get("operator_pin"))


def test_a_hand_typed_plain_pin_in_the_file_is_refused(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text('operator_pin = "1234"\n')
    with pytest.raises(ConfigError, match="not a stored hash"):
        make(paths).get("mode")


def test_secret_key_never_reaches_the_settings_file(paths: Paths) -> None:
    settings = make(paths)
    settings.assign("appid", "1000001")
    where = settings.assign("secret_key", "VerySecretValue42")
    assert where.startswith("file: ")
    assert "VerySecretValue42" not in paths.settings_file.read_text()
    assert make(paths).resolve("secret_key").source == "secret file"
    assert make(paths).get("secret_key") == "VerySecretValue42"


def test_unset_returns_to_the_default(paths: Paths) -> None:
    make(paths).assign("clip_format", "flv")
    assert make(paths).unset("clip_format") is True
    assert make(paths).get("clip_format") == "mp4"
    assert make(paths).unset("clip_format") is False
    make(paths).assign("secret_key", "AnotherSecret9")
    assert make(paths).unset("secret_key") is True and make(paths).get("secret_key") == ""


def test_every_key_is_listed_with_its_source(paths: Paths) -> None:
    make(paths).assign("camera", "file:/tmp/x.mp4")
    rows = {r.key: r for r in make(paths, env={"KIOSK_MIC": "synthetic"}).all()}
    assert rows["camera"].source == "file" and rows["mic"].source == "env"
    assert rows["secret_key"].secret and not rows["camera"].secret


def test_file_is_written_atomically_without_temporary_leftovers(paths: Paths) -> None:
    for n in range(3, 8):
        make(paths).assign("clip_seconds", str(n))
    assert sorted(p.name for p in paths.config_dir.iterdir()) == ["settings.toml"]


def test_resolve_reads_file_and_secret_store(paths: Paths) -> None:
    # The one resolution the commands use too (kiosk.cli.common.setting): no second lookup.
    make(paths).assign("appid", "1000001")
    make(paths).assign("secret_key", "LookupSecret77")
    fresh = make(paths)
    assert fresh.resolve("appid").source == "file" and fresh.get("appid") == "1000001"
    assert fresh.get("secret_key") == "LookupSecret77"
    assert fresh.resolve("bucket").source == "default"


def test_file_is_read_by_settingsfile_as_flat_keys(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text("[thresholds]\nunknown_one = 3\n")
    assert SettingsFile(paths.settings_file).load() == {}  # unknown threshold ignored


def test_update_stores_several_values_in_one_write_or_none_at_all(paths: Paths) -> None:
    settings = make(paths)
    settings.assign("bucket", "old-bucket")
    before = paths.settings_file.read_bytes()
    with pytest.raises(ConfigError):  # the third value is refused: the first two are not kept
        settings.update({"threshold": "80", "language": "en", "idle_timeout": "5"})
    assert paths.settings_file.read_bytes() == before
    settings.update({"threshold": "80", "language": "en", "bucket": None, "operator_pin": "1357",
                     "secret_key": "NewSecret123"})
    fresh = make(paths)
    assert fresh.get("threshold") == 80.0 and fresh.get("language") == "en"
    assert fresh.resolve("bucket").source == "default"
    assert verify_pin("1357", fresh.get("operator_pin")) and "1357" not in paths.settings_file.read_text()
    assert fresh.get("secret_key") == "NewSecret123" and "NewSecret123" not in paths.settings_file.read_text()
