"""Fixtures of the config tests: private folders, an in-memory keyring, a settable clock."""

from __future__ import annotations

from pathlib import Path

import keyring.backend
import keyring.errors
import pytest

from kiosk.config import Paths


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A working keyring that keeps passwords in a dict; ``fail_set`` makes set refuse."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}
        self.fail_set = False

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.fail_set:
            raise keyring.errors.PasswordSetError("locked")
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.data:
            raise keyring.errors.PasswordDeleteError("absent")
        del self.data[(service, username)]


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: float = 1_760_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.under(tmp_path / "kiosk")


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def clock() -> Clock:
    return Clock()
