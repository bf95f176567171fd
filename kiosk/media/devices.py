"""The cameras and microphones this machine has, with names, specs and sizes.

Cameras on Linux come from ``/sys/class/video4linux`` (names) and ``/dev/v4l/by-id`` (stable
paths: indexes move when devices are plugged in another order); sizes from ``v4l2-ctl`` when it is
installed, else from asking OpenCV for a few common sizes. Infrared and virtual cameras are marked
from their names, the only place the system tells them apart. Microphones come from sounddevice.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2

from kiosk.errors import MediaError
from kiosk.media import messages
from kiosk.media.microphone import load_sounddevice

# Cameras that cannot film a person for the service: infrared ones (Windows Hello, depth sensors)
# and virtual ones (screen or phone feeds, effects). The one set of words: `kiosk devices` marks
# them and the GUI does not offer them (kiosk.ui.devices imports these).
IR_NAME = re.compile(r"\b(ir|infra[- ]?red)\b|windows hello|depth", re.IGNORECASE)
VIRTUAL_NAME = re.compile(
    r"virtual|\bobs\b|v4l2 ?loopback|dummy|snap camera|manycam|xsplit|splitcam|e2esoft|"
    r"screen capture|nvidia broadcast|droidcam", re.IGNORECASE)
PROBE_SIZES = ((320, 240), (640, 480), (1280, 720), (1920, 1080))


@dataclass
class CameraInfo:
    """One camera: what to pass as --camera, what it is called, what it can do."""

    spec: str
    name: str
    path: str
    by_id: str = ""
    sizes: list[str] = field(default_factory=list)
    infrared: bool = False
    virtual: bool = False


@dataclass
class MicrophoneInfo:
    """One microphone: what to pass as --mic, its name, host API and default rate."""

    spec: str
    name: str
    index: int
    host_api: str = ""
    default_rate: float = 0.0
    is_default: bool = False


@dataclass
class Devices:
    """Everything found, plus notes on what could not be looked at."""

    cameras: list[CameraInfo]
    microphones: list[MicrophoneInfo]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for --json."""
        return asdict(self)


def kind_of(name: str) -> tuple[bool, bool]:
    """(infrared, virtual) as the name tells."""
    return bool(IR_NAME.search(name)), bool(VIRTUAL_NAME.search(name))


def v4l2_sizes(path: str, runner: Any = subprocess.run) -> list[str] | None:
    """Frame sizes from ``v4l2-ctl --list-formats-ext``; None when the tool is not there."""
    if shutil.which("v4l2-ctl") is None and runner is subprocess.run:
        return None
    try:
        res = runner(["v4l2-ctl", "-d", path, "--list-formats-ext"], capture_output=True, text=True,
                     timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.findall(r"Size: Discrete (\d+x\d+)", res.stdout or "")
    return sorted(set(found), key=lambda s: tuple(int(x) for x in s.split("x")))


def opencv_sizes(device: int | str, timeout: float = 3.0) -> list[str]:
    """Sizes a camera accepts, asked through OpenCV (bounded: a busy camera can block open)."""
    result: list[str] = []

    def work() -> None:
        cap = cv2.VideoCapture(device)
        try:
            if not cap.isOpened():
                return
            for w, h in PROBE_SIZES:
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, w)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, h)
                got = f"{int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))}x{int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))}"
                if got not in result and got != "0x0":
                    result.append(got)
        finally:
            cap.release()

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(timeout)
    return list(result)


def list_cameras(
    *,
    sysfs: Path = Path("/sys/class/video4linux"),
    by_id_dir: Path = Path("/dev/v4l/by-id"),
    probe_sizes: bool = True,
    runner: Any = subprocess.run,
) -> list[CameraInfo]:
    """Cameras by their V4L2 names (Linux); on other systems, indexes 0-3 that open."""
    if not sysfs.is_dir():
        if sys.platform.startswith("linux") or not probe_sizes:
            return []
        return [CameraInfo(str(i), f"camera {i}", str(i), sizes=s)
                for i in range(4) if (s := _probe(i))]
    links: dict[str, str] = {}
    if by_id_dir.is_dir():
        for link in sorted(by_id_dir.iterdir()):
            links.setdefault(Path(link).resolve().name, str(link))
    cams: list[CameraInfo] = []
    for node in sorted(sysfs.glob("video*"), key=lambda p: int(re.sub(r"\D", "", p.name) or 0)):
        name = _read(node / "name") or node.name
        if _read(node / "index") not in ("", "0"):
            continue  # a second node of the same camera (metadata), not a picture source
        path = f"/dev/{node.name}"
        by_id = links.get(node.name, "")
        sizes: list[str] = []
        if probe_sizes:
            sizes = v4l2_sizes(path, runner) or _probe(path)
        ir, virtual = kind_of(name)
        cams.append(CameraInfo(by_id or path, name, path, by_id, sizes, ir, virtual))
    return cams


def _probe(device: int | str) -> list[str]:
    return opencv_sizes(device)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def list_microphones(backend: Any = None) -> list[MicrophoneInfo]:
    """Input devices as PortAudio sees them; MicrophoneAbsent when PortAudio itself is missing."""
    sd = backend or load_sounddevice()
    try:
        devices = list(sd.query_devices())
        apis = list(sd.query_hostapis())
        default_in = sd.default.device[0] if isinstance(sd.default.device, list | tuple) else -1
    except Exception as exc:  # noqa: BLE001 - PortAudioError when PortAudio has no host API
        raise MediaError(messages.CANNOT_LIST_MICROPHONES(error=str(exc))) from exc
    mics: list[MicrophoneInfo] = []
    for i, dev in enumerate(devices):
        if int(dev.get("max_input_channels", 0)) <= 0:
            continue
        api = apis[dev["hostapi"]]["name"] if 0 <= dev.get("hostapi", -1) < len(apis) else ""
        name = str(dev["name"])
        # By name and host API, as sounddevice matches them: indexes shift after a replug.
        spec = f"{name}, {api}" if api else name
        mics.append(MicrophoneInfo(spec, name, int(dev.get("index", i)), api,
                                   float(dev.get("default_samplerate", 0.0)), i == default_in))
    return mics + server_microphones() if backend is None else mics


def server_microphones() -> list[MicrophoneInfo]:
    """A PulseAudio or PipeWire server's sources, by description (``--mic pulse:NAME``); none
    without a server. PortAudio sees the server only as ALSA's ``default`` and ``pulse``."""
    from kiosk.media.pulse import list_sources

    return [MicrophoneInfo(f"pulse:{src.name}", src.description, -1, "PulseAudio", float(src.rate),
                           src.is_default) for src in list_sources()]


def list_devices(*, probe_sizes: bool = True, sd_backend: Any = None, **camera_kw: Any) -> Devices:
    """Cameras and microphones, with a note for each kind that could not be listed."""
    notes: list[str] = []
    cameras = list_cameras(probe_sizes=probe_sizes, **camera_kw)
    try:
        mics = list_microphones(sd_backend)
    except MediaError as exc:
        mics = []
        notes.append(exc.en)
    return Devices(cameras, mics, notes)


__all__ = ["CameraInfo", "Devices", "MicrophoneInfo", "kind_of", "list_cameras", "list_devices",
           "list_microphones", "server_microphones"]
