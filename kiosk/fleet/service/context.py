"""What every request of one worker shares: the engine, the clock and the settings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from sqlalchemy.engine import Engine

from kiosk.fleet.service import zone
from kiosk.fleet.service.report import Limits


@dataclass
class Context:
    """One worker's engine and settings; the state itself is in the database."""

    engine: Engine
    limits: Limits = field(default_factory=Limits)
    heartbeat_s: int = 60
    webhook: str = ""
    alert_every_s: float = 30.0
    clock: Callable[[], float] = time.time
    tz: tzinfo = field(default_factory=zone.local)  # where the page's days begin (serve --tz)

    def now(self) -> datetime:
        """Now, as the naive UTC the tables keep."""
        return datetime.fromtimestamp(self.clock(), UTC).replace(tzinfo=None)
