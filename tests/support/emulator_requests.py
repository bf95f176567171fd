"""What an in-process emulator received: each call's text fields and file part names, as parsed.

``requests_seen(monkeypatch)`` wraps ``kiosk.emulator.calls.Calls.handle`` (the one place every
request passes after its body is read and its signature checked), so a test can assert the fields
the kiosk put on the wire (``seq``, ``session_id``, ``compare_flag``) as the service would read them.
Only emulators started in this process are seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from kiosk.emulator.calls import Calls


@dataclass(frozen=True)
class Seen:
    """One request as the emulator read it."""

    call: str
    fields: dict[str, str]
    files: tuple[str, ...]  # the names of its file parts (video, card, image), sorted


def requests_seen(monkeypatch: pytest.MonkeyPatch) -> list[Seen]:
    """The list each later request to an in-process emulator is appended to."""
    seen: list[Seen] = []
    real = Calls.handle

    def handle(self: Calls, call: str, appid: str, body: Any) -> Any:
        seen.append(Seen(call, dict(body.fields), tuple(sorted(body.files))))
        return real(self, call, appid, body)

    monkeypatch.setattr(Calls, "handle", handle)
    return seen
