"""PulseAudio / PipeWire (pipewire-pulse) as seen through ``pactl``: its sources, and a watch on
the one stream a microphone reads.

PortAudio reaches these servers through ALSA's ``pulse`` plugin, which hides what the server
does with the stream: it moves it to another source when the chosen one goes away, and a stream
whose server restarted may simply stop. ``pactl subscribe`` tells of each such event, so the
microphone learns of it at once instead of recording the wrong device or silence. Without
``pactl`` or a server nothing here is used (plain ALSA, other systems).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("kiosk.media.pulse")

PACTL_TIMEOUT_S = 3.0
EVENT = re.compile(r"Event '(\w+)' on (source-output|source|server) #?(\d*)")


@dataclass(frozen=True)
class PulseSource:
    """One source of the sound server: ``name`` selects it (``--mic pulse:NAME``)."""

    name: str
    description: str
    rate: int
    channels: int
    is_default: bool = False
    is_monitor: bool = False


def pactl_json(*args: str, runner: Callable[..., Any] = subprocess.run) -> Any:
    """``pactl -f json ARGS`` parsed; None when pactl or the server is not there."""
    exe = shutil.which("pactl")
    if exe is None:
        return None
    try:
        done = runner([exe, "-f", "json", *args], capture_output=True, text=True,
                      timeout=PACTL_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        return json.loads(done.stdout or "null")
    except ValueError:
        return None


def _spec(text: str) -> tuple[int, int]:
    """Rate and channels from a sample specification such as ``s16le 2ch 48000Hz``."""
    rate = re.search(r"(\d+)Hz", text)
    channels = re.search(r"(\d+)ch", text)
    return (int(rate.group(1)) if rate else 0, int(channels.group(1)) if channels else 0)


def list_sources(runner: Callable[..., Any] = subprocess.run) -> list[PulseSource]:
    """The server's sources by description, default first; empty without a server."""
    sources = pactl_json("list", "sources", runner=runner)
    info = pactl_json("info", runner=runner)
    if not isinstance(sources, list):
        return []
    default = str(info.get("default_source_name", "")) if isinstance(info, dict) else ""
    out = []
    for src in sources:
        rate, channels = _spec(str(src.get("sample_specification", "")))
        name = str(src.get("name", ""))
        monitor = str(src.get("monitor_source") or src.get("monitor_of_sink") or "n/a")
        out.append(PulseSource(name, str(src.get("description") or name), rate, channels,
                               name == default, monitor not in ("", "n/a")))
    return sorted(out, key=lambda s: not s.is_default)


def source_name(index: int, runner: Callable[..., Any] = subprocess.run) -> str:
    """A source's description (what a person recognises), else its name, else its number."""
    for src in pactl_json("list", "sources", runner=runner) or []:
        if src.get("index") == index:
            return str(src.get("description") or src.get("name"))
    return f"#{index}"


def own_streams(pid: int | None = None) -> dict[int, int]:
    """This process's recording streams on the server: source-output index -> source index."""
    pid_text = str(pid if pid is not None else os.getpid())
    out: dict[int, int] = {}
    for so in pactl_json("list", "source-outputs") or []:
        if str(so.get("properties", {}).get("application.process.id")) == pid_text:
            out[int(so["index"])] = int(so.get("source", -1))
    return out


class StreamWatch:
    """Watches one recording stream; ``fault`` names what happened to it, once it did.

    Faults: ``gone`` (the stream or its source was removed), ``moved`` (the server moved the
    stream to another source), ``server`` (the server went away or restarted).
    """

    def __init__(self, stream: int, source: int, on_fault: Callable[[str, str], None]) -> None:
        self.stream, self.source = stream, source
        self.source_label = source_name(source)
        self.fault: str | None = None
        self._on_fault = on_fault
        self._stopping = False
        self._proc: subprocess.Popen[str] | None = None
        self._thread = threading.Thread(target=self._run, name="pulse-watch", daemon=True)

    @classmethod
    def attach(cls, before: dict[int, int], on_fault: Callable[[str, str], None]) -> StreamWatch | None:
        """A watch on the stream this process opened since ``before`` was taken, if any."""
        if shutil.which("pactl") is None:
            return None
        new = {k: v for k, v in own_streams().items() if k not in before}
        if not new:
            return None
        stream = max(new)
        watch = cls(stream, new[stream], on_fault)
        watch.start()
        return watch

    def start(self) -> None:
        """Start ``pactl subscribe`` and the thread that reads it."""
        exe = shutil.which("pactl")
        assert exe is not None
        self._proc = subprocess.Popen([exe, "subscribe"], stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            m = EVENT.search(line)
            if m is None:
                continue
            what, kind, number = m.group(1), m.group(2), int(m.group(3) or -1)
            if kind == "source-output" and number == self.stream:
                if what == "remove":
                    self._fault("gone")
                elif what == "change":
                    now = pactl_json("list", "source-outputs") or []
                    moved = [so for so in now if so.get("index") == self.stream
                             and int(so.get("source", -1)) != self.source]
                    if moved:  # moved away from a source that is gone: the source went first
                        sources = pactl_json("list", "sources") or []
                        there = any(src.get("index") == self.source for src in sources)
                        self._fault("moved" if there else "gone")
            elif kind == "source" and what == "remove" and number == self.source:
                self._fault("gone")
        if not self._stopping:  # pactl lost its connection: the server stopped or restarted
            self._fault("server")

    def _fault(self, what: str) -> None:
        if self.fault is None and not self._stopping:
            self.fault = what
            log.warning("sound server: the microphone's stream %s (%s)", what, self.source_label)
            self._on_fault(what, self.source_label)

    def stop(self) -> None:
        """Stop watching (pactl is ended and reaped)."""
        self._stopping = True
        proc = self._proc
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.terminate()
            try:
                proc.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            self._thread.join(timeout=2.0)
            if proc.stdout is not None:
                proc.stdout.close()


__all__ = ["PulseSource", "StreamWatch", "list_sources", "own_streams", "pactl_json", "source_name"]
