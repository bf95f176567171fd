"""The data folder: accounts, the registry, a private database file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.emulator.store import Store


def test_accounts_by_secret_id_and_appid(store):
    assert store.account("AKIDdemo").appid == "1000001"
    assert store.account("nobody") is None
    assert store.has_appid("2000002") and not store.has_appid("3")
    assert "demo-key" not in repr(store.account("AKIDdemo"))
    assert store.add_account("1000001", "AKIDdemo", "rotated") is False
    assert store.account("AKIDdemo").secret_key == "rotated"


def test_people_are_kept_across_opens_and_replaced_on_re_enrol(tmp_path):
    first = Store(tmp_path / "d")
    assert first.enroll("11010519491231002x", " 王芳 ", b"photo-1") is True
    again = Store(tmp_path / "d")
    person = again.person("11010519491231002X")
    assert (person.name, person.photo) == ("王芳", b"photo-1")
    assert "0519491231" not in repr(person) and "王芳" not in repr(person)
    again.save_descriptor(person.id_number, b"\x00" * 8)
    assert again.person(person.id_number).descriptor == b"\x00" * 8
    assert again.enroll("11010519491231002X", "王芳", b"photo-2") is False
    replaced = again.person("11010519491231002X")
    assert replaced.photo == b"photo-2" and replaced.descriptor is None
    assert again.people_count() == 1


def test_the_database_holding_keys_is_private(store):
    mode = stat.S_IMODE(store.path.stat().st_mode)
    assert mode & 0o077 == 0
    assert stat.S_IMODE(store.data_dir.stat().st_mode) & 0o077 == 0


def test_a_locked_registry_is_a_clear_error_not_damage(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import kiosk.emulator.store as store_module
    from kiosk.emulator.store import DataFolderError

    Store(tmp_path)
    holder = sqlite3.connect(tmp_path / "emulator.sqlite3", timeout=0)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
    real = sqlite3.connect
    monkeypatch.setattr(store_module.sqlite3, "connect",
                        lambda path, timeout=10.0: real(path, timeout=0.05))
    try:
        with pytest.raises(DataFolderError) as err:
            Store(tmp_path)
    finally:
        holder.rollback()
        holder.close()
    assert "database is locked" in err.value.en and "no other program" in err.value.fix_en
    assert "damaged" not in err.value.en


def test_a_missing_folder_is_refused_unless_asked_to_create(tmp_path: Path) -> None:
    from kiosk.emulator.store import DataFolderError

    with pytest.raises(DataFolderError) as err:
        Store(tmp_path / "typo", create=False)
    assert not (tmp_path / "typo").exists() and err.value.zh != err.value.en
    assert Store(tmp_path / "new").people_count() == 0  # the default creates it
