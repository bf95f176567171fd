"""What one flow is configured with: clip length and format, threshold, countdown, guidance policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GuidancePolicy:
    """When the GUIDE step ends without a ``ready()``.

    At a counter (``auto_continue=False``) the person or staff presses "start"; ``max_wait`` then
    ends an abandoned session with a Result asking to try again (0 = wait for ever). In demo and
    headless runs (``auto_continue=True``) guidance continues by itself once the face has been
    placed right for ``settle`` seconds, and after ``max_wait`` seconds at the latest (a cap, so a
    demo never hangs on a clip whose face the checker misses). The preview's voice test does not
    hold auto-continue: a headless run has nobody to greet it, and the clip's checks judge the
    voice anyway; it holds the counter's "I am ready" button (kiosk.ui), where a person speaks.
    """

    auto_continue: bool = False
    settle: float = 0.5
    max_wait: float = 0.0

    @classmethod
    def headless(cls, max_wait: float = 5.0) -> GuidancePolicy:
        """Auto-continue once the face is found, after ``max_wait`` seconds at most."""
        return cls(auto_continue=True, settle=0.3, max_wait=max_wait)


@dataclass(frozen=True)
class FlowSettings:
    """Settings of a flow; the defaults are the kiosk's (see kiosk.config.schema)."""

    clip_seconds: float = 5.0
    clip_format: str = "mp4"  # mp4 | flv
    threshold: float = 70.0
    countdown_seconds: int = 3
    preview_fps: float = 15.0  # camera frames passed on as Guidance per second, at most
    analysis_fps: float = 10.0  # face checks per second (each costs ~10 ms of a core)
    voice_floor_dbfs: float = -28.0  # = kiosk.checks.thresholds.VOICE_LOW_DBFS: "speak up" below
    guidance: GuidancePolicy = field(default_factory=GuidancePolicy)
    code_retries: int = 0  # extra livegetfour attempts on a transient failure (client retries too)

    @classmethod
    def from_store(cls, lookup: Any, **overrides: Any) -> FlowSettings:
        """Settings from a ``lookup(key)`` callable (kiosk.config.Settings.get), then overrides."""
        values: dict[str, Any] = {}
        for key, conv in (("clip_seconds", float), ("clip_format", str), ("threshold", float)):
            raw = lookup(key)
            if raw not in (None, ""):
                values[key] = conv(raw)
        values.update(overrides)
        return cls(**values)


__all__ = ["FlowSettings", "GuidancePolicy"]
