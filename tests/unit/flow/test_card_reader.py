"""The card reader plug-in: loading by the card_reader setting, the simulated reader, plain errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from kiosk.flow.card_reader import (
    Card,
    CardReaderError,
    SimulatedReader,
    load_reader,
    read_card,
)

SAMPLE = Card("11010519491231002X", "王芳")

PLUGIN = '''
from kiosk.flow.card_reader import Card, CardReaderError

class Reader:
    def __init__(self, port):
        self.port = port

    def read(self):
        return Card(" 11010519491231002x ", "王 芳")

def make():
    return Reader("/dev/ttyUSB0")

def broken():
    raise OSError("no such device /dev/ttyUSB0")

def not_a_reader():
    return 42

class Unplugged:
    def read(self):
        raise CardReaderError.unplugged()

class Vendor:
    def read(self):
        raise RuntimeError("SDK error 0x80 with card data 110105")

class Shapeless:
    def read(self):
        return "11010519491231002X"

NOT_CALLABLE = 3
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A vendor plug-in module on the path, as a pip-installed one would be."""
    (tmp_path / "vendor_reader_test.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "vendor_reader_test", raising=False)
    return "vendor_reader_test"


def test_no_setting_is_no_reader() -> None:
    assert load_reader("") is None and load_reader("  ") is None


def test_the_simulated_reader_gives_the_sample_person_or_the_card_named() -> None:
    assert read_card(load_reader("sim")) == SAMPLE  # type: ignore[arg-type]
    assert read_card(load_reader("sim:110105194912310021, 李四")) == Card(  # type: ignore[arg-type]
        "110105194912310021", "李四")


@pytest.mark.parametrize(("spec", "said"), [
    ("sim:no_card", "no ID card on the reader"), ("sim:unplugged", "not connected"),
    ("sim:timeout", "too long"), ("sim:failed", "could not be read")])
def test_the_simulated_reader_plays_each_failure_in_both_languages(spec: str, said: str) -> None:
    reader = load_reader(spec)
    assert reader is not None
    with pytest.raises(CardReaderError) as err:
        read_card(reader)
    assert said in err.value.en and err.value.fix_en
    assert err.value.zh != err.value.en and err.value.fix_zh


def test_the_simulated_readers_file_is_read_at_each_press(tmp_path: Path) -> None:
    card = tmp_path / "card.json"
    reader = load_reader(f"sim:{card}")
    assert isinstance(reader, SimulatedReader)
    with pytest.raises(CardReaderError, match="no ID card"):
        read_card(reader)  # no file: no card on the reader
    card.write_text(json.dumps({"id_number": "11010519491231002X", "name": "王芳"}), "utf-8")
    assert read_card(reader) == SAMPLE
    card.write_text(json.dumps({"error": "unplugged"}), "utf-8")
    with pytest.raises(CardReaderError, match="not connected"):
        read_card(reader)
    card.write_text("not json", "utf-8")
    with pytest.raises(CardReaderError, match="could not be read"):
        read_card(reader)
    assert reader.reads == 4


def test_a_plugin_factory_is_imported_called_and_its_card_normalised(plugin: str) -> None:
    reader = load_reader(f"{plugin}:make")
    assert reader is not None and reader.port == "/dev/ttyUSB0"  # type: ignore[attr-defined]
    assert read_card(reader) == SAMPLE  # trimmed, X upper-cased, the name's space gone


def test_a_missing_module_says_which_and_what_to_do() -> None:
    with pytest.raises(ConfigError) as err:
        load_reader("no_such_vendor_module_xyz:make")
    assert "no_such_vendor_module_xyz cannot be imported" in err.value.en
    assert "install the reader vendor's plug-in" in err.value.fix_en
    assert "无法导入模块" in err.value.zh


@pytest.mark.parametrize("factory", ["nothing_here", "NOT_CALLABLE"])
def test_a_missing_or_uncallable_factory_is_refused(plugin: str, factory: str) -> None:
    with pytest.raises(ConfigError, match=f"has no callable {factory}"):
        load_reader(f"{plugin}:{factory}")


def test_a_factory_that_raises_is_reported_at_start(plugin: str) -> None:
    with pytest.raises(ConfigError, match=r"did not start \(OSError: no such device"):
        load_reader(f"{plugin}:broken")


def test_a_factory_that_makes_no_reader_is_refused(plugin: str) -> None:
    with pytest.raises(ConfigError, match="the int it made has no read"):
        load_reader(f"{plugin}:not_a_reader")


@pytest.mark.parametrize("spec", ["vendor", "vendor:", ":make", "vendor:make()", "a b:c", "simx"])
def test_a_setting_of_the_wrong_shape_is_refused_with_the_accepted_forms(spec: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_reader(spec)
    assert "module:factory" in err.value.fix_en


def test_a_readers_own_error_reaches_the_person_unchanged(plugin: str) -> None:
    reader = load_reader(f"{plugin}:Unplugged")
    assert reader is not None
    with pytest.raises(CardReaderError, match="not connected"):
        read_card(reader)


def test_a_vendor_exception_becomes_plain_words_and_its_text_is_never_logged(
        plugin: str, caplog: pytest.LogCaptureFixture) -> None:
    reader = load_reader(f"{plugin}:Vendor")
    assert reader is not None
    with pytest.raises(CardReaderError) as err:
        read_card(reader)
    assert err.value.en == "The card could not be read"
    assert "RuntimeError" in caplog.text and "110105" not in caplog.text


def test_a_reader_returning_the_wrong_shape_is_a_failed_read(plugin: str) -> None:
    reader = load_reader(f"{plugin}:Shapeless")
    assert reader is not None
    with pytest.raises(CardReaderError, match="could not be read"):
        read_card(reader)
    with pytest.raises(CardReaderError, match="could not be read"):
        read_card(SimulatedReader(Card("11010519491231002X", "  ")))
