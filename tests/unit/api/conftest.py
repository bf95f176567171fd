"""Fixtures for the API unit tests: a client over a scripted MockTransport, no network, no sleep."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client, MockTransport, WireRequest, WireResponse

DATA = Path(__file__).parent / "data"
APPID, SECRET_ID, SECRET_KEY = "1251000000", "AKIDunittests", "unit-test-secret-key"
NOW = 1_700_000_000


def answer(code: int = 0, data: dict[str, Any] | None = None, *, status: int = 200,
           message: str = "OK") -> WireResponse:
    """A JSON service reply."""
    body = json.dumps({"code": code, "message": message, "data": data or {}}).encode()
    return WireResponse(status, {"Content-Type": "application/json"}, body)


class Scripted:
    """Answers requests from a list (the last repeats); anything raisable is raised."""

    def __init__(self, *answers: WireResponse | Exception) -> None:
        self.answers = list(answers)
        self.seen: list[tuple[WireRequest, bytes]] = []

    def __call__(self, request: WireRequest, body: bytes) -> WireResponse:
        self.seen.append((request, body))
        item = self.answers[min(len(self.seen), len(self.answers)) - 1]
        if isinstance(item, Exception):
            raise item
        return item


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client_for(sleeps: list[float]) -> Callable[..., tuple[Client, Scripted]]:
    """``client, script = client_for(answer(...), ...)``: a client over those answers."""

    def make(*answers: WireResponse | Exception, **kw: Any) -> tuple[Client, Scripted]:
        script = Scripted(*(answers or (answer(),)))
        options: dict[str, Any] = dict(session=MockTransport(script), rng=random.Random(11),
                                       clock=lambda: float(NOW), sleep=sleeps.append)
        options.update(kw)
        return Client("https://service.image.myqcloud.com", APPID, SECRET_ID, SECRET_KEY,
                      **options), script

    return make
