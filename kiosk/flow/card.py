"""The CARD step: the ID card held up to the camera, a sharp still taken, shown, used or retaken.

Runs on the flow's worker, like the face guidance: the preview checks each picture for the card
(:class:`kiosk.checks.card_frame.CardFrameChecker`), :class:`StillPicker` takes the sharpest of
the pictures once the card has been right for ``CARD_HOLD_S`` (or at once on ready()), the still
is cropped to the card, checked as the service will check it (-4015/-4017/-4018 predicted) and
announced as :class:`CardTaken`. ready() then uses it, retake() films the card again (so does
ready() on a still a finding blocks: it is never sent). The still stays in memory: nothing of it is written to disk.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from kiosk.checks import thresholds as lim
from kiosk.checks.card_frame import CardFeedback, crop_card
from kiosk.checks.findings import Finding, blocking
from kiosk.errors import MediaError
from kiosk.flow import messages
from kiosk.flow.events import CardTaken, Step

if TYPE_CHECKING:
    from kiosk.flow.run import Run

log = logging.getLogger("kiosk.flow")


class StillPicker:
    """The sharpest picture of an unbroken run of good ones, once the run lasted ``hold_s``.

    A picture that is not good ends the run (the card moved, glare came back): the still is
    only ever taken from pictures of the card held right the whole time.
    """

    def __init__(self, hold_s: float) -> None:
        self.hold_s = hold_s
        self._since: float | None = None
        self._best: tuple[float, np.ndarray, CardFeedback] | None = None
        self._latest: tuple[np.ndarray, CardFeedback] | None = None

    def add(self, now: float, image: np.ndarray, feedback: CardFeedback) -> None:
        """One analysed picture at time ``now``."""
        self._latest = (image, feedback)
        if not feedback.ok:
            self._since, self._best = None, None
            return
        if self._since is None:
            self._since = now
        if self._best is None or feedback.sharpness > self._best[0]:
            self._best = (feedback.sharpness, image.copy(), feedback)

    def due(self, now: float) -> bool:
        """Whether the card has been right for ``hold_s``: time to take the still."""
        return self._since is not None and now - self._since >= self.hold_s

    def take(self) -> tuple[np.ndarray, CardFeedback | None] | None:
        """The sharpest good picture; without one the newest picture (the person said take it)."""
        if self._best is not None:
            return self._best[1], self._best[2]
        if self._latest is not None:
            return self._latest
        return None

    def reset(self) -> None:
        """Forget every picture (after a retake)."""
        self._since, self._best, self._latest = None, None, None


def encode_still(image: np.ndarray, feedback: CardFeedback | None) -> bytes:
    """The card cut out of the picture, as JPEG (quality 92, as the photo mode's still)."""
    ok, buf = cv2.imencode(".jpg", crop_card(image, feedback), [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise MediaError(messages.CANNOT_ENCODE_PHOTO())
    return bytes(buf)


def card_by_camera(run: Run) -> tuple[bytes, list[Finding]]:
    """The CARD step: the card's still as JPEG and its findings, once the person used it."""
    run.enter(Step.CARD)
    if run.capture is None:
        run.open_capture()
    run.preview.check_for("card")
    try:
        while True:
            image, feedback = _pick(run)
            jpeg = encode_still(image, feedback)
            findings = run.checks.image(jpeg, "card")
            blocked = bool(blocking(findings))
            log.info("verification %s: card still taken (%d bytes, %s)", run.seq[:8], len(jpeg),
                     "blocked" if blocked else "ok")
            run.emit(CardTaken(jpeg, tuple(findings), blocked))
            if _answer(run) == "ready" and not blocked:
                return jpeg, findings
    finally:
        run.preview.check_for("face")


def _pick(run: Run) -> tuple[np.ndarray, CardFeedback | None]:
    """Preview until the card has been right long enough, or ready(); the picture to keep.

    The guidance cap applies as in GUIDE: nobody holding up a card ends the run timed out.
    """
    from kiosk.flow.run import GuidanceTimeoutError

    run.inbox.clear()  # a ready() meant for the still shown before does not take this one
    picker = StillPicker(lim.CARD_HOLD_S)
    start = run.clock()
    run.preview.guide_start = start
    policy = run.settings.guidance
    cap = start + policy.max_wait if policy.max_wait > 0 else None
    seen: Any = None
    try:
        while True:
            now = run.clock()
            if cap is not None and now >= cap:
                raise GuidanceTimeoutError(now - start)
            message = run.preview_step(cap)
            latest = run.preview.card
            if latest is not None and latest is not seen:
                seen = latest
                picker.add(*latest)
            if picker.due(run.clock()) or message == "ready":
                taken = picker.take()
                if taken is not None:
                    return taken
    finally:
        run.preview.guide_start = None


def _answer(run: Run) -> str:
    """Wait for the person's answer to the still shown: "ready" (use it) or "retake"."""
    while True:
        message = run.next_message(None)  # camera news is ignored: the still stays on screen
        if message in ("ready", "retake"):
            return str(message)


__all__ = ["StillPicker", "card_by_camera", "encode_still"]
