"""The repository's scripts (packaging/, assets/, docs/) loaded as modules, for their tests.

They are files, not parts of the package: each is loaded from its path; its ``__main__`` block
does not run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def load_script(path: Path, name: str) -> ModuleType:
    """``path`` as a module called ``name`` (not put in sys.modules)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
