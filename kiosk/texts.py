"""Messages as data: an id, a Chinese and an English text, and what to do, with named parameters.

Each package keeps its messages in one table, ``<package>/messages.py``, where both languages sit
side by side and are reviewed together (the way ``kiosk.api.codes`` holds the service's codes). A
raise site names a message and its parameters and nothing more::

    raise MediaError(messages.NO_PICTURE(seconds=5))

The error keeps the id and the parameters (for the audit, the log and tests), and its texts are
made once from the table. Texts use ``str.format`` fields; tests check that both languages of a
message use the same fields.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Text:
    """One entry of a message table."""

    id: str
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""

    def __call__(self, **params: Any) -> Message:
        """This message with its parameters filled in."""
        return Message(self, params)

    def fields(self) -> dict[str, set[str]]:
        """The ``{name}`` fields of each of the four texts (empty texts have none)."""
        found: dict[str, set[str]] = {}
        for part in ("zh", "en", "fix_zh", "fix_en"):
            found[part] = {name.split(".")[0].split("[")[0]
                           for _, name, _, _ in string.Formatter().parse(getattr(self, part))
                           if name}
        return found


@dataclass(frozen=True)
class Message:
    """A Text with its parameters: the four strings, formatted."""

    text: Text
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The table entry's id, e.g. ``media.no_picture``."""
        return self.text.id

    def _fill(self, template: str) -> str:
        return template.format(**self.params) if template else ""

    @property
    def zh(self) -> str:
        """What happened, in Chinese."""
        return self._fill(self.text.zh)

    @property
    def en(self) -> str:
        """What happened, in English."""
        return self._fill(self.text.en)

    @property
    def fix_zh(self) -> str:
        """What to do, in Chinese (empty when there is nothing to do)."""
        return self._fill(self.text.fix_zh)

    @property
    def fix_en(self) -> str:
        """What to do, in English."""
        return self._fill(self.text.fix_en)


def pick(lang: str, zh: str, en: str) -> str:
    """One of two texts by language: Chinese for ``zh``, English otherwise."""
    return zh if lang == "zh" else en


def table(module_globals: Mapping[str, Any]) -> dict[str, Text]:
    """Every Text of a messages module by id (for the catalog tests and reviewers' listings)."""
    return {v.id: v for v in module_globals.values() if isinstance(v, Text)}


__all__ = ["Message", "Text", "pick", "table"]
