"""Frames, audio blocks and the source interfaces shared by capture, checks and the GUI.

Every frame and block carries its capture time from one monotonic clock (``time.monotonic``),
so the recorder aligns sound and picture by time, not by count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

# The one stall timeout: a source that delivers nothing new for this long is lost. The capture's
# readers give up after it (the flow learns of it through the capture's error), and the camera's
# watchdog tries a reopen half-way, so a camera that comes back does so in time.
STALL_S = 5.0


@dataclass(frozen=True)
class VideoFrame:
    """One picture: BGR uint8 array (height, width, 3) and its capture time in seconds."""

    image: np.ndarray
    ts: float


@dataclass(frozen=True)
class AudioBlock:
    """Consecutive mono samples (float32, -1..1) at ``rate`` Hz; ``ts`` is the first sample's time."""

    samples: np.ndarray
    ts: float
    rate: int


class TempFolders(Protocol):
    """Where the recorder gets its private working folder and gives it back.

    The CLI passes ``kiosk.config.leases.Leases``, which registers each folder so that the next
    start removes it after a kill; media keeps no dependency on kiosk.config for that.
    """

    def make_folder(self, parent: Path, prefix: str) -> Path:
        """A new, empty 0700 folder in ``parent`` whose name starts with ``prefix``."""
        ...

    def release(self, folder: Path) -> None:
        """Delete ``folder`` and everything in it; never raises."""
        ...


class VideoSource(Protocol):
    """A camera, a file or a generator of frames."""

    spec: str
    width: int
    height: int
    fps: float

    def start(self) -> None: ...

    def read(self, timeout: float = 1.0) -> VideoFrame | None:
        """The next frame, or None when the source has ended; raises MediaError on failure.

        Failure includes no frame within ``timeout`` seconds (the camera stopped delivering).
        """
        ...

    def stop(self) -> None: ...


class AudioSource(Protocol):
    """A microphone, a file's sound track or a generator of sound."""

    spec: str
    rate: int

    def start(self) -> None: ...

    def read(self, timeout: float = 1.0) -> AudioBlock | None:
        """The next block, or None when the source has ended; raises MediaError on failure.

        Failure includes no block within ``timeout`` seconds (the microphone went away).
        """
        ...

    def stop(self) -> None: ...


@runtime_checkable
class Restartable(Protocol):
    """A source that can start over from its beginning (a file: source), as a recording asks."""

    def restart(self, at: float) -> None:
        """From the next read on, play from the beginning with the beginning stamped ``at``."""
        ...
