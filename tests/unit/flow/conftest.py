"""Fixtures for flow tests: a flow wired to fakes, with a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.flow import Flow, FlowSettings, GuidancePolicy
from tests.unit.flow.fakes import (
    FakeCapture,
    FakeChecks,
    FakeClient,
    FakeClock,
    FakeWait,
    FakeWorkspace,
    Recorder,
)


@dataclass
class Rig:
    """A flow and the fakes behind it."""

    root: Path
    clock: FakeClock
    client: FakeClient
    checks: FakeChecks
    captures: list[FakeCapture]
    workspaces: list[FakeWorkspace]
    listener: Recorder
    audit: list[Any]
    make: Callable[..., Flow]

    def leftovers(self) -> list[Path]:
        return sorted(self.root.rglob("*"))


class ListAudit(list):  # type: ignore[type-arg]
    def record(self, rec: Any) -> Any:
        self.append(rec)
        return rec


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    clock = FakeClock()
    client = FakeClient()
    checks = FakeChecks()
    captures: list[FakeCapture] = []
    workspaces: list[FakeWorkspace] = []
    listener = Recorder()
    audit = ListAudit()
    capture_kw: dict[str, Any] = {}

    def new_capture() -> FakeCapture:
        cap = FakeCapture(clock, **capture_kw)
        captures.append(cap)
        return cap

    def new_workspace() -> FakeWorkspace:
        ws = FakeWorkspace(tmp_path)
        workspaces.append(ws)
        return ws

    def make(*, guidance: GuidancePolicy | None = None, frames: bool = True,
             sound: Any = None, mic_gone: float | None = None, **settings: Any) -> Flow:
        capture_kw["frames"] = frames
        capture_kw["sound"] = sound
        capture_kw["mic_gone"] = mic_gone
        s = FlowSettings(guidance=guidance or GuidancePolicy.headless(), **settings)
        return Flow(client, new_capture, new_workspace, s, listener, checks_factory=lambda: checks,
                    audit=audit, clock=clock, wait=FakeWait(clock))

    return Rig(tmp_path, clock, client, checks, captures, workspaces, listener, audit, make)
