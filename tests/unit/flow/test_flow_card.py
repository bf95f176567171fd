"""Card mode by camera: the CARD step's still, its use, its retake, a blocked still, cleanup."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.checks import thresholds as lim
from kiosk.checks.card_frame import CardFeedback, Rect
from kiosk.flow import Details, Finished, Mode, Step, StepChanged
from kiosk.flow.card import StillPicker
from kiosk.flow.events import CardTaken
from tests.unit.flow.fakes import finding

FIRST = int(1000.0 * 30) % 256  # the fake camera's first picture's pixel value (its number)


def pixel(jpeg: bytes) -> int:
    img = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert img is not None
    return int(round(float(img.mean())))


def answer(rig, flow, *answers):
    """Answer each CardTaken in turn (on the worker, as the GUI's buttons would post them)."""
    todo = list(answers)

    def react(event):
        if isinstance(event, CardTaken) and todo:
            getattr(flow, todo.pop(0))()

    rig.listener.react = react


def test_the_still_is_taken_once_the_card_held_and_sent(rig):
    rig.checks.card_ok_from = FIRST + 15  # half a second of no card first
    flow = rig.make()
    answer(rig, flow, "ready")
    assert flow.start(Details(Mode.CARD, card_camera=True))
    result = flow.wait(10)
    assert result is not None and result.passed, result
    steps = [e.step for e in rig.listener.of(StepChanged)]
    assert steps[:3] == [Step.DETAILS, Step.CARD, Step.CODE]
    (taken,) = rig.listener.of(CardTaken)
    assert not taken.blocked and ("image", "card") in rig.checks.seen
    # Only pictures of the card held right count, and only after it was held for CARD_HOLD_S:
    # here sharpness rises with time, so the still is the newest of them.
    value = pixel(taken.jpeg)
    assert value >= FIRST + 15 + int(lim.CARD_HOLD_S * 30) - 4, value
    name, call = rig.client.calls[-1]
    assert name == "livedetectfour" and call["card"] == taken.jpeg
    assert len(rig.captures) == 1, "the camera stays open from the card to the clip"
    assert rig.leftovers() == []


def test_retake_films_the_card_again_and_the_second_still_is_sent(rig):
    flow = rig.make()
    answer(rig, flow, "retake", "ready")
    assert flow.start(Details(Mode.CARD, card_camera=True))
    result = flow.wait(10)
    assert result is not None and result.passed
    first, second = rig.listener.of(CardTaken)
    assert pixel(second.jpeg) > pixel(first.jpeg), "a new still, from later pictures"
    assert rig.client.calls[-1][1]["card"] == second.jpeg


def test_a_blocked_still_is_never_used(rig):
    rig.checks.image_findings = [finding(-4017)]
    flow = rig.make()
    answer(rig, flow, "ready", "cancel")  # "use it" on a blocked still films the card again
    flow.start(Details(Mode.CARD, card_camera=True))
    result = flow.wait(10)
    assert result is not None and result.cancelled
    taken = rig.listener.of(CardTaken)
    assert len(taken) == 2 and all(t.blocked for t in taken)
    assert rig.client.calls == [], "no code fetched, nothing uploaded"
    assert isinstance(rig.listener.events[-1], Finished) and rig.leftovers() == []


def test_no_card_held_ends_at_the_guidance_cap(rig):
    from kiosk.flow import GuidancePolicy

    rig.checks.card_ok_from = None
    flow = rig.make(guidance=GuidancePolicy(auto_continue=False, settle=1.0, max_wait=20.0))
    flow.start(Details(Mode.CARD, card_camera=True))
    result = flow.wait(10)
    assert result is not None and result.outcome != "passed"
    assert rig.listener.of(CardTaken) == [] and rig.client.calls == []


def _fb(ok: bool, sharp: float) -> CardFeedback:
    status = "ok" if ok else "blurred"
    return CardFeedback(status, Rect(0, 0, 10, 6), None, 1, 0.9, sharp, 0.0, 200.0, "", "")


def test_picker_keeps_the_sharpest_of_an_unbroken_good_run():
    picker = StillPicker(0.5)
    img = [np.full((4, 4, 3), i, np.uint8) for i in range(6)]
    picker.add(0.0, img[0], _fb(True, 900.0))  # sharpest, but the run breaks after it
    picker.add(0.1, img[1], _fb(False, 100.0))
    picker.add(0.2, img[2], _fb(True, 300.0))
    picker.add(0.4, img[3], _fb(True, 500.0))
    assert not picker.due(0.6)
    picker.add(0.75, img[4], _fb(True, 400.0))
    assert picker.due(0.75)
    taken = picker.take()
    assert taken is not None and int(taken[0][0, 0, 0]) == 3


def test_picker_without_a_good_picture_gives_the_newest_on_demand():
    picker = StillPicker(0.5)
    assert picker.take() is None
    picker.add(0.0, np.zeros((4, 4, 3), np.uint8), _fb(False, 10.0))
    picker.add(0.1, np.ones((4, 4, 3), np.uint8), _fb(False, 5.0))
    assert not picker.due(5.0)
    taken = picker.take()
    assert taken is not None and int(taken[0][0, 0, 0]) == 1
