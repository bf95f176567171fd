"""The secret key's store: a working keyring first, else a 0600 file with a one-time warning."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from keyring.backends import chainer, fail, null

from kiosk.config import Paths, SecretStore
from kiosk.config.secrets import ACCOUNT, SERVICE, usable_keyring
from kiosk.errors import ConfigError

from .conftest import MemoryKeyring


def test_fail_null_and_empty_chainer_backends_are_not_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert usable_keyring(fail.Keyring()) is None
    assert usable_keyring(null.Keyring()) is None
    empty = chainer.ChainerBackend()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", property(lambda self: []))
    assert usable_keyring(empty) is None
    kr = MemoryKeyring()
    assert usable_keyring(kr) is kr


def test_keyring_holds_the_secret_and_no_file_is_written(paths: Paths, memory_keyring: MemoryKeyring) -> None:
    store = SecretStore(paths.secret_file, backend=memory_keyring)
    assert store.uses_keyring and store.location().startswith("keyring: ")
    assert store.set("KeyringSecret1") == store.location()
    assert memory_keyring.data[(SERVICE, ACCOUNT)] == "KeyringSecret1"
    assert not paths.secret_file.exists()
    assert store.get() == "KeyringSecret1"
    store.delete()
    assert store.get() is None


def test_file_fallback_is_0600_and_warns_once(paths: Paths) -> None:
    warnings: list[str] = []
    store = SecretStore(paths.secret_file, backend=fail.Keyring(),
                        warn=lambda en, zh: warnings.append(en))
    store.set("FileSecret111")
    store.set("FileSecret222")
    SecretStore(paths.secret_file, backend=fail.Keyring(),
                warn=lambda en, zh: warnings.append(en)).set("FileSecret333")
    assert len(warnings) == 1 and str(paths.secret_file) in warnings[0]
    assert "FileSecret" not in warnings[0]
    assert stat.S_IMODE(paths.secret_file.stat().st_mode) == 0o600
    assert store.get() == "FileSecret333"


def test_a_failing_keyring_falls_back_to_the_file(paths: Paths, memory_keyring: MemoryKeyring) -> None:
    memory_keyring.fail_set = True
    warned: list[str] = []
    store = SecretStore(paths.secret_file, backend=memory_keyring, warn=lambda en, zh: warned.append(en))
    assert store.set("FallbackSecret5").startswith("file: ")
    assert warned and store.get() == "FallbackSecret5"


def test_moving_to_the_keyring_removes_the_old_file(paths: Paths, memory_keyring: MemoryKeyring) -> None:
    SecretStore(paths.secret_file, backend=fail.Keyring(), warn=lambda en, zh: None).set("Old1234")
    assert paths.secret_file.exists()
    SecretStore(paths.secret_file, backend=memory_keyring).set("New5678")
    assert not paths.secret_file.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_loosened_file_is_tightened_before_reading(paths: Paths) -> None:
    store = SecretStore(paths.secret_file, backend=fail.Keyring(), warn=lambda en, zh: None)
    store.set("LooseSecret99")
    os.chmod(paths.secret_file, 0o644)
    assert store.get() == "LooseSecret99"
    assert stat.S_IMODE(paths.secret_file.stat().st_mode) == 0o600


def test_a_damaged_secret_file_is_reported_without_its_content(tmp_path: Path) -> None:
    target = tmp_path / "secret.toml"
    target.write_text('secret_key = "HalfWritten\n')
    os.chmod(target, 0o600)
    with pytest.raises(ConfigError) as info:
        SecretStore(target, backend=fail.Keyring()).get()
    assert str(target) in info.value.en and "HalfWritten" not in info.value.text("en")


def test_the_file_warning_names_the_secret_it_is_about(paths: Paths) -> None:
    said: list[tuple[str, str]] = []
    SecretStore(paths.config_dir / "fleet-key.toml", backend=fail.Keyring(), account="fleet_key",
                warn=lambda en, zh: said.append((en, zh))).set("k" * 64)
    SecretStore(paths.secret_file, backend=fail.Keyring(),
                warn=lambda en, zh: said.append((en, zh))).set("FileSecret444")
    (fleet_en, fleet_zh), (secret_en, secret_zh) = said
    assert "fleet key" in fleet_en and "secret key" not in fleet_en and "车队密钥" in fleet_zh
    assert "secret key" in secret_en and "SecretKey" in secret_zh and "fleet" not in secret_en
