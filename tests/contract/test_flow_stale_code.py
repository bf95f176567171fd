"""Digits that expired on the preview: the real flow, the real emulator, the sample clip.

The emulator's codes live 10 minutes. Its clock jumps 11 minutes between the first code and the
first upload, as for a person left on the preview; the flow must fetch new digits, record again
and pass, with one audit row and nothing left on disk.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client
from kiosk.config import Workspace
from kiosk.emulator import start_in_process
from kiosk.flow import Details, Flow, FlowSettings, GuidancePolicy, Mode
from kiosk.flow.events import CodeReceived
from kiosk.media import Capture, open_audio, open_video
from kiosk.resources import asset_path

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


class JumpingClock:
    """Wall time, plus 11 minutes once ``jump()`` was called."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def jump(self) -> None:
        self.offset += 660.0


def test_expired_digits_are_replaced_and_the_person_passes(tmp_path: Path) -> None:
    clock = JumpingClock()
    events: list[Any] = []

    def listener(event: Any) -> None:
        events.append(event)
        if isinstance(event, CodeReceived) and len([e for e in events
                                                    if isinstance(e, CodeReceived)]) == 1:
            clock.jump()  # the first digits expire while the person stands on the preview

    sample = f"file:{asset_path('sample_clip.mp4')}"
    with start_in_process(tmp_path / "emulator", clock=clock) as emu:
        # The kiosk's clock moves with the service's, as real time would: signatures stay fresh.
        client = Client(emu.base_url, emu.appid, emu.secret_id, emu.secret_key, clock=clock)
        settings = FlowSettings(clip_seconds=3.0, countdown_seconds=0,
                                guidance=GuidancePolicy.headless(max_wait=2.0))
        flow = Flow(client, lambda: Capture(open_video(sample), open_audio(sample)),
                    lambda: Workspace(tmp_path / "sessions").open(), settings, listener)
        flow.start(Details(Mode.IDCARD, id_number="11010519491231002X", name="王芳"))
        result = flow.wait(150)
        client.close()
    assert result is not None and result.passed, result and result.text("en")
    codes = [e.code for e in events if isinstance(e, CodeReceived)]
    assert len(codes) == 2, codes
    assert not any((tmp_path / "sessions").rglob("*.mp4")), "no clip left"
