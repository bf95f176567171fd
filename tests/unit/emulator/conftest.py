"""Fixtures for the emulator's unit tests: a settable clock, a store in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.emulator.store import Store

REPO = Path(__file__).resolve().parents[3]
ASSETS = REPO / "assets"


class FakeClock:
    """A clock the test moves by hand (Unix seconds)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "data")
    s.add_account("1000001", "AKIDdemo", "demo-key-0123456789")
    s.add_account("2000002", "AKIDother", "other-key-0123456789")
    return s
