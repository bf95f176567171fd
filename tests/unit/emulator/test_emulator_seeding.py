"""The sample people of a fresh data folder: into an empty registry only, never over anyone."""

from __future__ import annotations

from pathlib import Path

from kiosk.emulator.demo import SEEDED, ensure_demo
from kiosk.emulator.store import Store

ASSETS = Path(__file__).resolve().parents[3] / "assets"
EXAMPLE = "11010519491231002X"  # the document's valid example, also the sample person's number


def test_an_empty_registry_gets_the_sample_people_once(tmp_path: Path) -> None:
    store = Store(tmp_path)
    ensure_demo(store, ASSETS)
    assert store.people_count() == 2 and store.get_meta(SEEDED) == "2"
    store.enroll("440304198510156428", "李娜", b"mine")  # the user replaces one on purpose
    ensure_demo(store, ASSETS)  # a later start
    assert store.person("440304198510156428").photo == b"mine"


def test_a_person_enrolled_before_the_first_start_is_kept(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.enroll(EXAMPLE, "李四", b"the user's photo") is True
    ensure_demo(store, ASSETS)
    person = store.person(EXAMPLE)
    assert (person.name, person.photo) == ("李四", b"the user's photo")
    # A registry the user has started is theirs: no sample people are added beside it.
    assert store.people_count() == 1 and store.get_meta(SEEDED) == "0"


def test_enrolling_without_replace_never_touches_an_existing_person(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.enroll(EXAMPLE, "李四", b"first")
    assert store.enroll(EXAMPLE, "王芳", b"second", replace=False) is False
    assert store.person(EXAMPLE).name == "李四"
    assert store.enroll("440304198510156428", "李娜", b"x", replace=False) is True
    assert [p.id_number for p in store.people()] == [EXAMPLE, "440304198510156428"]


def test_the_listing_holds_no_photo_and_shows_no_full_number(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.enroll(EXAMPLE, "李四", b"12345")
    (row,) = store.people()
    assert (row.name, row.photo_bytes) == ("李四", 5) and row.enrolled > 0
    assert EXAMPLE not in repr(row) and "李四" not in repr(row)
