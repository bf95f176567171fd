"""Assembles the real flow for the GUI: client, camera and microphone, workspace, audit, demo mode.

Demo mode (``--demo``, or no credentials set) starts the emulator in a child process on a free
loopback port (see ``demo_service``: never in the GUI's process, whose preview it would freeze)
and, when no camera is found, uses the bundled sample clip as camera and microphone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.config import AuditLog, Paths, Settings, Workspace
from kiosk.config.attempts import AttemptLimit
from kiosk.config.pending import PendingRuns
from kiosk.flow.events import Controller, Listener
from kiosk.flow.settings import FlowSettings
from kiosk.resources import sample_clip_spec as sample_spec  # also the GUI tests' and benchmarks'
from kiosk.ui.demo_service import DemoService, LazyClient
from kiosk.ui.ports import DevicesPort

log = logging.getLogger("kiosk.ui")

# The preview's goal is 30 fps (docs/gui.md): one Guidance event per camera frame.
PREVIEW_FPS = 30.0


def has_credentials(settings: Settings) -> bool:
    """Whether the service credentials are all set."""
    return all(settings.get(k) for k in ("appid", "secret_id", "secret_key"))


@dataclass
class Assembly:
    """What the window needs to run real verifications, and what to stop at exit."""

    flow_factory: Callable[[Listener], Controller]
    demo: bool
    camera: Callable[[], str]
    mic: Callable[[], str]
    stops: list[Callable[[], None]] = field(default_factory=list)
    service: DemoService | None = None  # the demo emulator's process, when in demo mode
    probe: Callable[[], None] | None = None  # one cheap signed call: is the service there?

    def close(self) -> None:
        """Stop the emulator (if any); idempotent."""
        stops, self.stops = self.stops, []
        for stop in stops:
            try:
                stop()
            except Exception:  # at exit: log and go on stopping the rest
                log.warning("could not stop a demo part", exc_info=True)


def assemble(
    settings: Settings,
    paths: Paths,
    devices: DevicesPort,
    *,
    demo: bool = False,
    camera: str | None = None,
    mic: str | None = None,
    flow_overrides: dict[str, Any] | None = None,
    service: DemoService | None = None,
) -> Assembly:
    """The flow factory for these settings; demo mode when asked or when credentials are missing.

    ``service``: a running demo emulator to use in demo mode (its owner stops it); by default
    demo mode starts its own, stopped by ``Assembly.close()``.
    """
    from kiosk.api import Client
    from kiosk.flow.machine import Flow
    from kiosk.media import Capture, is_played, open_audio, open_video, resolve_sources

    demo = demo or not has_credentials(settings)
    stops: list[Callable[[], None]] = []
    connection: Callable[[], dict[str, Any]]
    if demo:
        if service is None:
            service = DemoService()  # starts now, listens by the time a person has typed their ID
            stops.append(service.stop)
        connection = service.connection
    else:
        service = None

        def connection() -> dict[str, Any]:  # read when the first call is made: the latest values
            return {k: settings.get(k) for k in ("endpoint", "appid", "secret_id", "secret_key",
                                                 "bucket")}

    def camera_spec() -> str:
        if camera:
            return camera
        chosen = str(settings.get("camera") or "")
        if is_played(chosen):
            return chosen
        found = devices.cameras()
        if not found:  # no camera: the demo films the sample clip, a real kiosk reports it
            return sample_spec() if demo else (chosen or "0")
        by_path = chosen.isdigit() or chosen.startswith("/dev/")
        return chosen if chosen in found or by_path else found[0]

    def mic_spec() -> str:
        return resolve_sources(camera_spec(), mic, fallback_mic=str(settings.get("mic") or "")).mic

    overrides = {"preview_fps": PREVIEW_FPS, **(flow_overrides or {})}
    flow_settings = FlowSettings.from_store(settings.get, **overrides)
    audit = AuditLog(paths.audit_db)
    pending = PendingRuns.of(paths)  # a crash mid-run still leaves an audit row (next start)

    def make_client(**timeouts: Any) -> Any:
        c = connection()
        endpoint = str(c.get("endpoint") or c.get("base_url") or "")
        return Client(endpoint, c["appid"], c["secret_id"], c["secret_key"],
                      bucket=c.get("bucket") or "", **timeouts)

    def probe() -> None:
        # Short timeouts and no retries: the welcome screen wants an answer, not persistence.
        with make_client(connect_timeout=3.0, read_timeout=10.0, retries=0) as client:
            client.livegetfour()

    def factory(listener: Listener) -> Controller:
        # Made on the flow's worker at its first call: waiting for the demo service there keeps
        # the GUI thread free.
        client = LazyClient(make_client)

        def capture() -> Any:
            return Capture(open_video(camera_spec()), open_audio(mic_spec()))

        def workspace() -> Workspace:
            return Workspace(paths.sessions_dir).open()

        attempts = AttemptLimit.of(paths, limit=int(settings.get("attempt_limit")),
                                   window_s=60.0 * float(settings.get("attempt_window")))
        return Flow(client, capture, workspace, flow_settings, listener, audit=audit,
                    pending=pending, attempts=attempts,
                    demo=demo,  # demo: rows marked demo (the emulator judged)
                    owns_client=True)  # the window replaces flows: each closes its session

    return Assembly(factory, demo, camera_spec, mic_spec, stops, service, probe)
