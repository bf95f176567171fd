"""The message tables (``kiosk/<package>/messages.py``, and ``kiosk/core_messages.py`` for the
top-level modules): well-formed, unique, used, and complete; converted code keeps no texts inline."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from kiosk.errors import MediaError
from kiosk.texts import Text, pick, table

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
TABLES = sorted([*KIOSK.rglob("messages.py"), *KIOSK.glob("*_messages.py")])
# Code whose texts all live in tables: no string in it (docstrings aside) holds Chinese. Each
# round of the conversion adds what it converted.
CONVERTED = ["api", "emulator", "errors.py", "resources.py", "inputs.py", "checks", "media",
             "config", "flow", "ui", "cli", "endpoint.py", "images.py", "clip_length.py",
             "texts.py", "fleet"]
# Tables of their own: the service's codes, the settings' help (declared beside each setting),
# the fleet page's labels (key -> (zh, en)).
NOT_TEXTS = {"api/codes.py", "config/schema.py", "fleet/service/labels.py"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(KIOSK.parent).with_suffix("").parts)


def _namespace(module: str) -> str:
    """The id prefix of a table: its package (``kiosk.api.messages``: ``api``), or for a top-level
    table the part of its name before ``_messages`` (``kiosk.core_messages``: ``core``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else parts[1].removesuffix("_messages")


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
    namespace = _namespace(module)
    assert text.id.startswith(namespace + "."), f"{text.id} is not in {namespace}'s namespace"


def test_a_tables_namespace_is_its_package_or_its_name() -> None:
    assert _namespace("kiosk.api.messages") == "api"
    assert _namespace("kiosk.core_messages") == "core"


def test_message_ids_are_unique_across_tables() -> None:
    ids = [t.id for _, _, t in _texts()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_message_in_a_table_is_used_somewhere() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in KIOSK.rglob("*.py")
                        if p not in TABLES)
    unused = [f"{m}.{n}" for m, n, _ in _texts() if not re.search(rf"\b{n}\b", sources)]
    assert not unused, f"unused messages: {unused}"


def test_table_lists_a_modules_texts_by_id() -> None:
    a, b = Text("t.a", "甲", "a"), Text("t.b", "乙", "b")
    assert table({"A": a, "B": b, "other": 3}) == {"t.a": a, "t.b": b}


def _inline_chinese(source: str) -> list[int]:
    """The lines where code (not a docstring) has a string holding Chinese."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return sorted({node.lineno for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)
                   and id(node) not in docstrings and CJK.search(node.value)})


def _converted_modules() -> list[Path]:
    found: list[Path] = []
    for name in CONVERTED:
        path = KIOSK / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [p for p in found
            if p not in TABLES and p.relative_to(KIOSK).as_posix() not in NOT_TEXTS]


@pytest.mark.parametrize("path", _converted_modules(),
                         ids=lambda p: p.relative_to(KIOSK).as_posix())
def test_converted_code_keeps_its_texts_in_a_table(path: Path) -> None:
    lines = _inline_chinese(path.read_text(encoding="utf-8"))
    assert not lines, f"texts outside a table in {path.relative_to(KIOSK)}, lines {lines}"


def test_the_inline_text_check_sees_strings_and_f_strings_but_not_docstrings() -> None:
    source = '''"""模块说明."""
class C:
    """类说明."""
def f(x):
    """函数说明."""
    a = "plain English"  # 注释
    return f"第 {x} 次", a
raise ValueError("错误")
'''
    assert _inline_chinese(source) == [7, 8]
