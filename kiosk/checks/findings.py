"""What a local check reports: one Finding per problem seen in the input."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from kiosk.texts import Message

Severity = Literal["block", "warn"]


@dataclass(frozen=True)
class Finding:
    """A problem the service would refuse (``block``) or may refuse (``warn``).

    ``code`` is the service return code it predicts (see ``kiosk.api.codes``); ``value`` is what
    was measured and ``limit`` the threshold it was held against; the messages say what to do.
    """

    code: int
    severity: Severity
    value: Any
    limit: Any
    message_zh: str
    message_en: str

    def to_json(self) -> dict[str, Any]:
        """The finding as the JSON object ``kiosk check --json`` prints."""
        return asdict(self)


def finding(code: int, severity: Severity, value: Any, limit: Any, message: Message) -> Finding:
    """A Finding whose texts come from the checks' table (``kiosk.checks.messages``).

    Each language says what was seen, then what to do: the Chinese run together, the English
    separated by a space (``"The voice is too quiet (-44.3 LUFS). Come closer ..."``).
    """
    en = f"{message.en} {message.fix_en}" if message.fix_en else message.en
    return Finding(code, severity, value, limit, message.zh + message.fix_zh, en)


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that stop an upload."""
    return [f for f in findings if f.severity == "block"]
