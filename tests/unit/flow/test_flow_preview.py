"""The preview's pace: every camera frame passed on once, face checks and progress rate-limited."""

from __future__ import annotations

from typing import Any

import numpy as np

from kiosk.flow import Details, Flow, FlowSettings, Guidance, GuidancePolicy, Mode, Step
from kiosk.flow.events import RecordingProgress, StepChanged
from kiosk.flow.inbox import Inbox, Sent
from kiosk.flow.run import PROGRESS_HZ, Run
from tests.unit.flow.fakes import FakeCapture, FakeWait, FakeWorkspace

ID, NAME = "11010519491231002X", "王芳"


def run_at(rig: Any, fps: float, **settings: Any) -> tuple[FakeCapture, list[Any]]:
    cams: list[FakeCapture] = []

    def capture() -> FakeCapture:
        cams.append(FakeCapture(rig.clock, fps=fps))
        return cams[-1]

    looked: list[float] = []
    frame = rig.checks.frame

    def counting_frame(image: Any) -> Any:
        looked.append(rig.clock())
        return frame(image)

    rig.checks.frame = counting_frame
    s = FlowSettings(guidance=GuidancePolicy.headless(max_wait=2.0), **settings)
    flow = Flow(rig.client, capture, lambda: FakeWorkspace(rig.root), s,
                rig.listener, checks_factory=lambda: rig.checks, clock=rig.clock,
                wait=FakeWait(rig.clock))
    flow.start(Details(Mode.IDCARD, ID, NAME))
    result = flow.wait(20)
    assert result is not None and result.passed, result
    return cams[0], looked


def frames_sent(rig: Any) -> list[int]:
    return [int(g.frame[0, 0, 0]) for g in rig.listener.of(Guidance) if g.frame is not None]


def test_each_camera_frame_goes_out_once_at_30_fps(rig: Any) -> None:
    cam, _ = run_at(rig, 30.0, preview_fps=30.0, countdown_seconds=1, clip_seconds=2.0)
    sent = frames_sent(rig)
    assert len(sent) == len(set(sent)), "a picture was sent twice"
    # From the first preview frame to the last, at most a few of the camera's frames are missed.
    first, last = min(cam.made), max(cam.made)
    shown = {n % 256 for n in range(first, last + 1)}
    assert len(sent) >= 0.97 * len(shown), (len(sent), len(shown))


def test_a_faster_camera_is_thinned_to_the_preview_rate(rig: Any) -> None:
    run_at(rig, 60.0, preview_fps=15.0, countdown_seconds=1, clip_seconds=2.0)
    times = [e for e in rig.listener.events if isinstance(e, Guidance) and e.frame is not None]
    seconds = 2.0 + 1.0 + 0.3  # clip + countdown + the face settling (fake clock)
    assert len(times) <= 15.0 * (seconds + 1.0)


def test_face_checks_run_at_the_analysis_rate_not_per_frame(rig: Any) -> None:
    _, looked = run_at(rig, 30.0, preview_fps=30.0, analysis_fps=5.0, countdown_seconds=1,
                       clip_seconds=2.0)
    span = looked[-1] - looked[0]
    assert len(looked) <= 5.0 * span + 2
    assert len(frames_sent(rig)) >= 4 * len(looked), "pictures between checks still go out"
    gaps = np.diff(looked)
    assert gaps.min() >= 1 / 5.0 - 1e-6


def test_recording_progress_is_rate_limited(rig: Any) -> None:
    run_at(rig, 30.0, preview_fps=30.0, countdown_seconds=0, clip_seconds=3.0)
    progress = rig.listener.of(RecordingProgress)
    assert progress[-1].elapsed == progress[-1].total == 3.0
    assert len(progress) <= PROGRESS_HZ * 3.0 + 3
    steps = [e.step for e in rig.listener.of(StepChanged)]
    assert Step.RECORD in steps


def test_upload_progress_is_rate_limited_but_ends_at_the_total(rig: Any) -> None:
    inbox = Inbox(FakeWait(rig.clock))
    run = Run(Details(Mode.IDCARD, ID, NAME), client=rig.client, capture_factory=FakeCapture,
              workspace_factory=lambda: FakeWorkspace(rig.root), checks=rig.checks,
              settings=FlowSettings(), emit=lambda event: None, inbox=inbox, clock=rig.clock,
              on_step=lambda step: None, seq="run-1")
    reports: list[Sent] = []

    def posted() -> list[Sent]:  # what the reporter handed the worker, in order
        while (message := inbox.get(0.0)) is not None:
            assert isinstance(message, Sent)
            reports.append(message)
        return reports

    report = run.progress_reporter()
    for sent in range(0, 1_000_001, 1000):  # a thousand chunks in one instant
        report(sent, 1_000_000)
    rig.clock.advance(0.05)
    report(1_000_000, 1_000_000)  # a repeat of the end is not sent again
    assert [(e.sent, e.total) for e in posted()] == [(0, 1_000_000), (1_000_000, 1_000_000)]
    rig.clock.advance(1.0)
    report(500_000, 2_000_000)
    assert posted()[-1].sent == 500_000
