"""Whether the display the environment names answers: Qt aborts the process when it does not.

Depends on nothing but the standard library, so the GUI, its start-up screen and ``kiosk doctor``
all ask the same question before Qt would find out the hard way (an abort, status 134, with Qt's
own lines and no word of the kiosk's).
"""

from __future__ import annotations

import os
import socket
from typing import Any

# Platforms with a display server to connect to; the others (offscreen, eglfs...) need none.
SERVER_PLATFORMS = ("xcb", "wayland")
X11_TCP_BASE = 6000
CONNECT_TIMEOUT_S = 0.2


def display_name(env: dict[str, str] | None = None) -> str:
    """The display Qt would open, as the environment names it ("" when none is named)."""
    env = dict(os.environ) if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform.startswith("wayland") or (env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY")):
        return env.get("WAYLAND_DISPLAY", "")
    return env.get("DISPLAY", "") or env.get("WAYLAND_DISPLAY", "")


def display_answers(env: dict[str, str] | None = None) -> bool:
    """Whether the X or Wayland display named in the environment accepts a connection."""
    env = dict(os.environ) if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(SERVER_PLATFORMS):
        return True
    wayland = env.get("WAYLAND_DISPLAY", "")
    if wayland and not platform.startswith("xcb"):
        path = wayland if wayland.startswith("/") else os.path.join(
            env.get("XDG_RUNTIME_DIR", ""), wayland)
        if _connects(socket.AF_UNIX, path):
            return True
    display = env.get("DISPLAY", "")
    if not display or platform.startswith("wayland"):
        return False
    host, _, rest = display.rpartition(":")
    number = rest.split(".", 1)[0]
    if not number.isdigit():
        return False
    if host in ("", "unix"):  # Xorg listens on the abstract socket and on the file
        return any(_connects(socket.AF_UNIX, path)
                   for path in (f"\0/tmp/.X11-unix/X{number}", f"/tmp/.X11-unix/X{number}"))
    return _connects(socket.AF_INET, (host, X11_TCP_BASE + int(number)))


def _connects(family: int, address: Any) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(CONNECT_TIMEOUT_S)
            sock.connect(address)
        return True
    except OSError:  # refused, no such socket, unreachable, timed out, a bad host name
        return False


__all__ = ["display_answers", "display_name"]
