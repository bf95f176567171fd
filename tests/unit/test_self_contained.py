"""The repository stands on its own: no citations of files outside it, no build-order import guards.

Whoever clones the repository must be able to follow every reference in its comments and docs, so
the facts the code relies on live in docs/ (protocol.md, thresholds.md, failures.md). And every
module of the package exists, so an ``except ImportError`` may only guard a third-party or
platform module, never one of the kiosk's own.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("kiosk", "tests", "docs", "packaging", "assets", "README.md", "pyproject.toml")

# Names of notes kept outside the repository, written in pieces so this file does not match itself.
OUTSIDE = re.compile("|".join(re.escape(p) for p in (
    "NOTES" + ".md", "PIT" + "FALLS", "DESIGN" + ".md", "CAPTURE-" + "QUALITY",
    "shared" + "/", "face-verify" + "-api",
)), re.IGNORECASE)

# The only modules an ImportError may be caught for, by file: third-party or platform modules.
ALLOWED_GUARDS = {
    "kiosk/about.py": {"PySide6", "cv2"},  # --version reports a missing or broken wheel
    "kiosk/api/_transport.py": set(),  # truststore, imported by the adapter it constructs
    "kiosk/media/errors.py": {"resource"},  # not on Windows
    "kiosk/emulator/guard.py": {"resource"},  # not on Windows
    "kiosk/flow/card_reader.py": set(),  # the vendor's plug-in the card_reader setting names
}
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _tracked(*paths: str) -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files", "-z", "--", *paths], cwd=ROOT, capture_output=True,
                         check=True).stdout.decode()
    return [ROOT / p for p in out.split("\0") if p and (ROOT / p).is_file()]


def test_no_reference_to_files_outside_the_repository() -> None:
    found = []
    for path in _tracked(*CHECKED):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, fonts, compiled translations
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "cite docs/protocol.md, docs/thresholds.md or docs/failures.md instead:\n" + \
        "\n".join(found)


def test_the_docs_comments_point_to_exist() -> None:
    for name in ("protocol.md", "thresholds.md", "failures.md"):
        assert (ROOT / "docs" / name).is_file(), name


def _guarded_imports(tree: ast.AST) -> list[tuple[int, set[str]]]:
    """(line, top-level modules imported in the try body) for every try that catches ImportError."""
    guards = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught: set[str] = set()
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            caught |= {k.id for k in kinds if isinstance(k, ast.Name)}
        if not caught & IMPORT_ERRORS:
            continue
        modules: set[str] = set()
        for inner in (n for stmt in node.body for n in ast.walk(stmt)):
            if isinstance(inner, ast.Import):
                modules |= {alias.name for alias in inner.names}
            elif isinstance(inner, ast.ImportFrom):
                modules.add("kiosk" if inner.level else inner.module or "")
            elif (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                  and inner.func.attr == "import_module" and inner.args
                  and isinstance(inner.args[0], ast.Constant | ast.JoinedStr)):
                arg = inner.args[0]
                first = arg.values[0] if isinstance(arg, ast.JoinedStr) else arg
                modules.add(str(getattr(first, "value", "")))
        guards.append((node.lineno, {m.split(".")[0] for m in modules}))
    return guards


def test_import_guards_only_protect_third_party_or_platform_modules() -> None:
    seen: dict[str, set[str]] = {}
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for line, modules in _guarded_imports(ast.parse(path.read_text(encoding="utf-8"))):
            assert "kiosk" not in modules, f"{rel}:{line}: the kiosk's own modules always exist"
            assert rel in ALLOWED_GUARDS and modules <= ALLOWED_GUARDS[rel], \
                f"{rel}:{line}: a new ImportError guard for {sorted(modules)}: add it to " \
                "ALLOWED_GUARDS with why, or import unconditionally"
            seen.setdefault(rel, set()).update(modules)
    assert set(seen) == set(ALLOWED_GUARDS), "ALLOWED_GUARDS lists a guard that is gone"
