"""Cameras and microphones by name for the operator panel and the camera switch.

Counter PCs have an external camera beside a built-in one, and laptops add an infrared camera
(Windows Hello) and virtual ones (OBS, v4l2loopback): those cannot film a person for this service,
so they are not offered where their names or flags tell them apart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kiosk.media loads OpenCV: the GUI imports it when it first scans
    from kiosk.media import CameraInfo, Devices

from kiosk.media.devices import IR_NAME as _IR
from kiosk.media.devices import VIRTUAL_NAME as _VIRTUAL

log = logging.getLogger("kiosk.ui")

Lister = Callable[[], "Devices"]


def is_hidden_camera(camera: CameraInfo) -> bool:
    """True for infrared and virtual cameras: by the lister's flags, else by name."""
    return camera.infrared or camera.virtual or bool(_IR.search(camera.name)
                                                     or _VIRTUAL.search(camera.name))


def _names(names: Iterable[str]) -> list[str]:
    """Each non-empty name once, in the lister's order."""
    out: list[str] = []
    for name in (n.strip() for n in names):
        if name and name not in out:
            out.append(name)
    return out


class MediaDevices:
    """DevicesPort over kiosk.media.list_devices, by name."""

    def __init__(self, lister: Lister | None = None) -> None:
        self._lister = lister
        self._cameras: list[str] = []
        self._mics: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        """Scan again (between sessions only: a scan may reset the audio system)."""
        if self._lister is None:
            self._cameras, self._mics = [], []
            return
        try:
            found = self._lister()
        except Exception as exc:  # a broken driver must not stop the GUI: no devices offered
            log.warning("device scan failed: %s", exc)
            self._cameras, self._mics = [], []
            return
        self._cameras = _names(c.name for c in found.cameras if not is_hidden_camera(c))
        self._mics = _names(m.name for m in found.microphones)

    def cameras(self) -> list[str]:
        """Camera names a person can be filmed with."""
        return list(self._cameras)

    def mics(self) -> list[str]:
        """Microphone names, 'default' first."""
        return ["default", *[m for m in self._mics if m != "default"]]


def media_lister() -> Lister:
    """kiosk.media.list_devices without probing sizes (names are all the panel needs)."""
    from kiosk.media import list_devices

    return lambda: list_devices(probe_sizes=False)
