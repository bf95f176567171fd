"""The message tables (``kiosk/<package>/messages.py``): well-formed, unique, used, and complete."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from kiosk.errors import MediaError
from kiosk.texts import Text, pick, table

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
TABLES = sorted(p for p in KIOSK.rglob("messages.py"))


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(KIOSK.parent).with_suffix("").parts)


def _texts() -> list[tuple[str, str, Text]]:
    found = []
    for path in TABLES:
        module = importlib.import_module(_module_name(path))
        for name, value in vars(module).items():
            if isinstance(value, Text):
                found.append((_module_name(path), name, value))
    return found


def test_an_error_raised_with_a_message_keeps_its_id_params_and_both_languages() -> None:
    no_picture = Text("media.no_picture", "摄像头 {seconds} 秒内没有画面",
                      "the camera sent no picture for {seconds} s",
                      "请检查摄像头", "check the camera")
    err = MediaError(no_picture(seconds=5))
    assert (err.msg_id, dict(err.params)) == ("media.no_picture", {"seconds": 5})
    assert err.en == "the camera sent no picture for 5 s" and err.zh == "摄像头 5 秒内没有画面"
    assert err.text("zh") == "摄像头 5 秒内没有画面 — 请检查摄像头"
    assert str(err) == "the camera sent no picture for 5 s — check the camera"
    assert pick("zh", "中", "en") == "中" and pick("en", "中", "en") == "en"


def test_a_text_reports_the_fields_each_language_uses() -> None:
    t = Text("x.y", "{a} 与 {b:,}", "{a} and {b}", "", "{c}")
    assert t.fields() == {"zh": {"a", "b"}, "en": {"a", "b"}, "fix_zh": set(), "fix_en": {"c"}}


@pytest.mark.parametrize(("module", "name", "text"), _texts(),
                         ids=[f"{m}.{n}" for m, n, _ in _texts()])
def test_both_languages_of_a_message_use_the_same_fields_and_say_something(
        module: str, name: str, text: Text) -> None:
    fields = text.fields()
    assert fields["zh"] == fields["en"], f"{text.id}: zh and en use different fields"
    assert fields["fix_zh"] == fields["fix_en"], f"{text.id}: the fixes use different fields"
    assert text.zh.strip() and text.en.strip()
    assert bool(text.fix_zh) == bool(text.fix_en), f"{text.id}: a fix in one language only"
    assert re.search(r"[\u4e00-\u9fff]", text.zh), f"{text.id}: the Chinese text has no Chinese"
    package = module.split(".")[1]
    assert text.id.startswith(package + "."), f"{text.id} is not in {package}'s namespace"


def test_message_ids_are_unique_across_tables() -> None:
    ids = [t.id for _, _, t in _texts()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_message_in_a_table_is_used_somewhere() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in KIOSK.rglob("*.py")
                        if p.name != "messages.py")
    unused = [f"{m}.{n}" for m, n, _ in _texts() if not re.search(rf"\b{n}\b", sources)]
    assert not unused, f"unused messages: {unused}"


def test_table_lists_a_modules_texts_by_id() -> None:
    a, b = Text("t.a", "甲", "a"), Text("t.b", "乙", "b")
    assert table({"A": a, "B": b, "other": 3}) == {"t.a": a, "t.b": b}
