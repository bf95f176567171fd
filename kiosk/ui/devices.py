"""Cameras and microphones by name for the operator panel and the camera switch.

Counter PCs have an external camera beside a built-in one, and laptops add an infrared camera
(Windows Hello) and virtual ones (OBS, v4l2loopback): those cannot film a person for this service,
so they are not offered where their names or flags tell them apart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.media.devices import IR_NAME as _IR
from kiosk.media.devices import VIRTUAL_NAME as _VIRTUAL

log = logging.getLogger("kiosk.ui")


def is_hidden_camera(name: str, info: Any = None) -> bool:
    """True for infrared and virtual cameras (by flag when the lister gives one, else by name)."""
    for flag in ("infrared", "ir", "virtual", "is_ir", "is_virtual"):
        if bool(getattr(info, flag, False)) or (isinstance(info, dict) and info.get(flag)):
            return True
    return bool(_IR.search(name) or _VIRTUAL.search(name))


def _field(item: Any, *names: str) -> Any:
    for n in names:
        value = item.get(n) if isinstance(item, dict) else getattr(item, n, None)
        if value not in (None, ""):
            return value
    return None


def _kind(item: Any) -> str:
    kind = str(_field(item, "kind", "type") or "").lower()
    return "camera" if kind in ("camera", "video", "videoinput") else (
        "mic" if kind in ("mic", "microphone", "audio", "audioinput") else kind)


class MediaDevices:
    """DevicesPort over kiosk.media.list_devices (or any lister of named items), by name."""

    def __init__(self, lister: Callable[[], Any] | None = None) -> None:
        self._lister = lister
        self._cameras: list[str] = []
        self._mics: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        """Scan again (between sessions only: a scan may reset the audio system)."""
        try:
            found = self._lister() if self._lister else None
        except Exception as exc:  # a broken driver must not stop the GUI: no devices offered
            log.warning("device scan failed: %s", exc)
            found = None
        if found is None:
            items: list[Any] = []
        elif hasattr(found, "cameras"):  # kiosk.media.Devices
            items = [("camera", c) for c in found.cameras]
            items += [("mic", m) for m in getattr(found, "microphones", [])]
        else:
            items = [(_kind(i), i) for i in found]
        cams: list[str] = []
        mics: list[str] = []
        for kind, item in items:
            name = str(_field(item, "name", "label") or "").strip()
            if not name:
                continue
            if kind == "camera" and not is_hidden_camera(name, item) and name not in cams:
                cams.append(name)
            elif kind == "mic" and name not in mics:
                mics.append(name)
        self._cameras, self._mics = cams, mics

    def cameras(self) -> list[str]:
        """Camera names a person can be filmed with."""
        return list(self._cameras)

    def mics(self) -> list[str]:
        """Microphone names, 'default' first."""
        return ["default", *[m for m in self._mics if m != "default"]]


def media_lister() -> Callable[[], Any]:
    """kiosk.media.list_devices without probing sizes (names are all the panel needs)."""
    from kiosk.media import list_devices

    return lambda: list_devices(probe_sizes=False)
