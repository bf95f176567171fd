"""The parts a flow is given: client, capture, workspace, checks, audit — as small interfaces.

Real parts come from kiosk.api, kiosk.media, kiosk.config and kiosk.checks; tests pass fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kiosk.api import CompareResult, LiveResult
from kiosk.checks.card_frame import CardFeedback
from kiosk.checks.findings import Finding
from kiosk.checks.live import FrameFeedback
from kiosk.config.attempts import Lockout
from kiosk.config.audit import AuditRecord
from kiosk.errors import KioskError
from kiosk.media.types import VideoFrame

Progress = Callable[[int, int], None]


class ClientPort(Protocol):
    """The four calls of kiosk.api.Client the flow uses."""

    def livegetfour(self, seq: str | None = None) -> str: ...

    def idcardcompare(self, idcard_number: str, idcard_name: str, *,
                      image: bytes | Path | None = None,
                      url: str | None = None,
                      session_id: str | None = None) -> CompareResult: ...

    def livedetectfour(self, video: Path, validate_data: str, *, card: bytes | Path | None = None,
                       compare_flag: bool = True, seq: str | None = None,
                       progress: Progress | None = None) -> LiveResult: ...

    def idcardlivedetectfour(self, video: Path, validate_data: str, idcard_number: str,
                             idcard_name: str, *, seq: str | None = None,
                             progress: Progress | None = None) -> LiveResult: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


class RecordingPort(Protocol):
    """A recording in progress (kiosk.media.Recording)."""

    @property
    def elapsed(self) -> float: ...

    def done(self) -> bool: ...

    def cancel(self) -> None: ...

    def wait(self, timeout: float | None = None) -> Path: ...


class CapturePort(Protocol):
    """Camera and microphone read on their own threads (kiosk.media.Capture).

    ``notify`` is set before ``start()`` and called on a reader thread after each new frame and
    after a failure (then ``error`` says which).
    """

    notify: Callable[[], None] | None

    @property
    def error(self) -> KioskError | None: ...

    def start(self) -> None: ...

    def latest_frame(self) -> VideoFrame | None: ...

    def level_dbfs(self) -> float: ...

    def recent_sound(self, seconds: float) -> tuple[np.ndarray, int]: ...

    def record(self, out: Path, *, seconds: float = 5.0, fmt: str = "mp4") -> RecordingPort: ...

    def stop(self) -> None: ...


class WorkspacePort(Protocol):
    """A private per-session folder deleted on close (kiosk.config.Workspace)."""

    @property
    def path(self) -> Path: ...

    def close(self) -> None: ...


class AuditPort(Protocol):
    """Where audit rows go (kiosk.config.AuditLog)."""

    def record(self, rec: AuditRecord) -> AuditRecord: ...


class AttemptsPort(Protocol):
    """The attempt limit (kiosk.config.AttemptLimit): who may not try again yet."""

    def check(self, person: str) -> Lockout | None: ...

    def failed(self, person: str) -> Lockout | None: ...


class PendingPort(Protocol):
    """Markers of runs under way, so a crash still leaves an audit row (kiosk.config.PendingRuns)."""

    def begin(self, seq: str, mode: str, id_masked: str = "") -> None: ...

    def step(self, seq: str, step: str) -> None: ...

    def end(self, seq: str) -> None: ...


class ChecksPort(Protocol):
    """The local checks the flow runs (kiosk.checks), injectable so unit tests need no media."""

    def identity(self, id_number: str, name: str) -> list[Finding]: ...

    def image(self, data: bytes, role: str) -> list[Finding]: ...

    def clip(self, path: Path, extra_body_bytes: int) -> list[Finding]: ...

    def frame(self, image: np.ndarray) -> FrameFeedback:
        """Live feedback for one preview frame."""
        ...

    def card_frame(self, image: np.ndarray) -> CardFeedback:
        """The held-up ID card in one preview frame (card mode by camera)."""
        ...


class RealChecks:
    """ChecksPort over kiosk.checks; one LiveFrameChecker per flow run (it keeps history)."""

    def __init__(self) -> None:
        from kiosk import checks  # late: OpenCV and the audio libraries load only when used

        self._checks = checks
        self._live = checks.LiveFrameChecker()
        self._card: Any = None  # a CardFrameChecker, loaded when a card is filmed

    def identity(self, id_number: str, name: str) -> list[Finding]:
        """GB 11643 checksum, birth date, name (-5801 -5803 -5804)."""
        return list(self._checks.check_identity(id_number, name))

    def image(self, data: bytes, role: str) -> list[Finding]:
        """The photo or card image the service would refuse (GIF, size, no face)."""
        return list(self._checks.check_image(data, role="card" if role == "card" else "photo"))

    def clip(self, path: Path, extra_body_bytes: int) -> list[Finding]:
        """The recorded clip: resolution, length, sound, face, liveness, body size (in a child
        process: kiosk.flow.clip_check says why)."""
        from kiosk.flow.clip_check import check_clip_apart

        return check_clip_apart(path, extra_body_bytes)

    def frame(self, image: np.ndarray) -> FrameFeedback:
        """Face placement and light for one preview frame."""
        return self._live.check(image)

    def card_frame(self, image: np.ndarray) -> CardFeedback:
        """Card placement, blur and glare for one preview frame."""
        if self._card is None:
            from kiosk.checks.card_frame import CardFrameChecker

            self._card = CardFrameChecker()
        result: CardFeedback = self._card.check(image)
        return result


__all__ = [
    "AttemptsPort", "AuditPort", "CapturePort", "ChecksPort", "ClientPort", "PendingPort", "Progress", "RealChecks",
    "RecordingPort", "WorkspacePort",
]
