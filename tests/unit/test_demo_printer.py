"""kiosk demo's lines: the placement says what happened, never 'no picture' before a first frame."""

from __future__ import annotations

import io

import numpy as np

from kiosk.cli.demo_printer import NO_PICTURE_GRACE_S, Printer
from kiosk.flow.events import Guidance, Hint

NO_PICTURE = (Hint("no_camera", "没有摄像头画面", "no picture from the camera"),)
FRAME = np.zeros((4, 4, 3), np.uint8)


def _lines(*events: Guidance) -> list[str]:
    out = io.StringIO()
    printer = Printer("en", out)
    for g in events:
        printer.guidance(g)
    return out.getvalue().splitlines()


def test_the_first_frames_wait_is_not_reported_as_a_missing_camera() -> None:
    lines = _lines(Guidance(None, False, None, NO_PICTURE, -60.0, False, waited=0.0),
                   Guidance(FRAME, True, (0, 0, 2, 2), (), -30.0, True, waited=0.2))
    assert lines == ["  face placed right"], lines


def test_a_camera_that_stays_dark_is_reported() -> None:
    lines = _lines(Guidance(None, False, None, NO_PICTURE, -60.0, False,
                            waited=NO_PICTURE_GRACE_S + 0.1))
    assert lines == ["  hint: no picture from the camera"], lines
