"""What the window needs from outside, as small interfaces: settings, devices, a flow factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from kiosk.config.audit import AuditRecord
from kiosk.flow.events import Controller, Listener


class SettingsPort(Protocol):
    """The settings the GUI reads and the operator panel writes."""

    def values(self) -> dict[str, Any]:
        """Current values (never the secret key itself; ``has_secret_key`` says if one is set)."""
        ...

    def value(self, key: str) -> Any:
        """One current value, any setting but the secret key (read on its own: no keyring)."""
        ...

    def save(self, changes: dict[str, str]) -> None:
        """Validate and store; raises ConfigError naming what was refused."""
        ...

    def has_pin(self) -> bool:
        """Whether an operator PIN is set."""
        ...

    def check_pin(self, pin: str) -> bool:
        """Whether ``pin`` is the operator PIN."""
        ...


class DevicesPort(Protocol):
    """Cameras and microphones by name (infrared and virtual cameras already left out)."""

    def cameras(self) -> list[str]: ...

    def mics(self) -> list[str]: ...


class AuditDesk(Protocol):
    """The audit log as the operator's desk reads it (kiosk.config.AuditLog)."""

    def rows(self) -> list[AuditRecord]: ...

    def export_csv(self, out: Path) -> int: ...


FlowFactory = Callable[[Listener], Controller]
