"""The flow's contract: modes, details, steps, the events it emits, the result it ends in.

One verification is driven by :class:`kiosk.flow.Flow` (see ``machine.py``). Callers send it
commands and receive events; no Qt here, so the GUI and ``kiosk demo`` are two listeners of the
same flow. Commands (the :class:`Controller` protocol)::

    flow.start(details)   begin a verification (from DETAILS); returns its run id at once
    flow.ready()          leave the guidance step now (the person is placed)
    flow.snap()           photo mode without a given photo: take the still now (same as ready())
    flow.retake()         card by camera: drop the still shown and film the card again
    flow.cancel()         stop whatever runs (capture, recording, upload), delete the media,
                          end in a Result with ``outcome == "cancelled"``
    flow.retry()          after a Result that did not pass: run again with the same details
                          (a new run id)
    flow.close()          cancel if running, wait for the worker, release everything

Events go to one listener callable, **called from the flow's worker thread** (never the
caller's): the GUI adapter re-emits them as Qt signals, a console listener prints them. The
listener must return quickly and must not call back into the flow on that thread other than
``cancel()``/``ready()`` (both only post a message). Every run ends with exactly one
:class:`Finished` event carrying the :class:`Result`; the workspace holding the media is already
deleted by then.

Every event carries ``seq``, the id of its run: the value ``start()``/``retry()`` returned, also the
Result's ``seq``, the pending marker's and the audit row's. A listener that has left a run (the
person cancelled and started over) tells that run's late events from the new run's by it.

Steps per mode (``Step``)::

    idcard / card / live: DETAILS -> CODE -> GUIDE -> COUNTDOWN -> RECORD -> CHECKS -> UPLOAD
                   -> RESULT
    card by camera: DETAILS -> CARD -> CODE -> ... (CARD: the card held up, a still taken, shown
                   as CardTaken; ready() uses it, retake() films the card again)
                   (a supplied clip: DETAILS -> CHECKS -> UPLOAD -> RESULT)
    photo:         DETAILS -> [GUIDE -> COUNTDOWN -> RECORD (a still), when no photo or URL
                   was given] -> CHECKS -> UPLOAD -> RESULT

Example listener::

    def show(event: Event) -> None:
        match event:
            case StepChanged(step=step):
                print("step", step.value)
            case CodeReceived(code=code):
                print("read aloud:", code)
            case Finished(result=result):
                print("PASS" if result.passed else result.text("en"))

    flow = Flow(client, open_capture, new_workspace, FlowSettings(), show)
    flow.start(Details(Mode.IDCARD, id_number="11010519491231002X", name="王芳"))
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from kiosk.checks.findings import Finding
from kiosk.config.masking import mask_id
from kiosk.flow import messages
from kiosk.texts import Text, pick


class Mode(StrEnum):
    """What is compared with what."""

    PHOTO = "photo"  # a photo vs the ID record (idcardcompare)
    CARD = "card"  # a video vs a card photo (livedetectfour with compare_flag=true)
    IDCARD = "idcard"  # a video vs the ID record (idcardlivedetectfour)
    LIVE = "live"  # a video's liveness alone, compared with nothing (livedetectfour, compare_flag=false)

    @property
    def uses_video(self) -> bool:
        """True for the three video modes (code, guidance, recording)."""
        return self is not Mode.PHOTO

    @property
    def needs_identity(self) -> bool:
        """True when an ID number and name are sent."""
        return self in (Mode.PHOTO, Mode.IDCARD)

    @property
    def compares(self) -> bool:
        """False for the liveness-only mode: its verdict is "a live person", with no similarity."""
        return self is not Mode.LIVE

    @property
    def needs_card(self) -> bool:
        """True when a card photo is sent."""
        return self is Mode.CARD


@dataclass(frozen=True)
class Details:
    """Who is verified: the person's details as entered or confirmed at the DETAILS step.

    ``card`` (card mode) and ``photo`` (photo mode) are JPEG/PNG bytes or a file path. In photo
    mode a missing ``photo`` means "take it with the camera" (guide, countdown, still), and a
    ``url`` instead of a photo means the service fetches it (nothing to check locally).

    Supplied media (``kiosk verify``): in the video modes a ``clip`` recorded elsewhere, with the
    ``code`` read aloud in it, is checked and uploaded instead of recording one (no code, guidance
    or recording step, and no second round for stale digits). ``seq`` is the run's id when the
    caller chose one (``--seq``, ``--session-id``); empty, each run gets a fresh one. The run's id
    goes to the service with every call: as ``seq`` with the code and the clip, as
    ``session_id`` with a photo, so the audit row, the reference on the screen (its start) and the
    service's own records name the same run.
    """

    mode: Mode
    id_number: str = ""
    name: str = ""
    card: bytes | Path | None = None
    photo: bytes | Path | None = None
    url: str = ""
    clip: Path | None = None
    code: str = ""
    seq: str = ""
    # The customer's answer on the consent screen: yes, guardian (a guardian agreed, staff
    # confirmed with the PIN) or no (declined: the run records it and captures nothing); empty
    # where no consent screen is shown (the command line). ``notice``: its words' version.
    consent: str = ""
    notice: str = ""
    # Card mode without ``card``: the camera takes the card photo first (the CARD step).
    card_camera: bool = False

    def person(self) -> str:
        """Who this is, for the attempt limit: the ID number, or the card photo's digest."""
        if self.id_number:
            return self.id_number
        if isinstance(self.card, bytes):
            return "card:" + hashlib.sha256(self.card).hexdigest()
        return ""

    def __repr__(self) -> str:  # never show a full ID number or name
        return (f"Details(mode={self.mode.value}, id_number={mask_id(self.id_number)!r}, "
                f"name={'*' * len(self.name)!r}, card={_kind(self.card)}, photo={_kind(self.photo)}, "
                f"clip={_kind(self.clip)})")


def _kind(value: bytes | Path | None) -> str:
    if value is None:
        return "None"
    return f"<{len(value)} bytes>" if isinstance(value, bytes) else "<file>"


class Step(StrEnum):
    """Where one verification is."""

    DETAILS = "details"  # details checked locally (ID checksum, card/photo image)
    CARD = "card"  # card mode by camera: the ID card held up, a still taken and confirmed
    CODE = "code"  # fetching the four digits
    GUIDE = "guide"  # live preview with face and voice guidance
    COUNTDOWN = "countdown"  # 3-2-1
    RECORD = "record"  # recording the clip (or taking the still in photo mode)
    CHECKS = "checks"  # local checks of what will be uploaded
    UPLOAD = "upload"  # the call to the service, with progress
    RESULT = "result"  # finished; see the Result

    def label(self, lang: str = "en") -> str:
        """A short name of the step for people."""
        text = _STEP_LABELS[self]
        return pick(lang, text.zh, text.en)


_STEP_LABELS: dict[Step, Text] = {
    Step.DETAILS: messages.STEP_DETAILS,
    Step.CARD: messages.STEP_CARD,
    Step.CODE: messages.STEP_CODE,
    Step.GUIDE: messages.STEP_GUIDE,
    Step.COUNTDOWN: messages.STEP_COUNTDOWN,
    Step.RECORD: messages.STEP_RECORD,
    Step.CHECKS: messages.STEP_CHECKS,
    Step.UPLOAD: messages.STEP_UPLOAD,
    Step.RESULT: messages.STEP_RESULT,
}


@dataclass(frozen=True)
class Hint:
    """One guidance hint: the checker's status ("too_far", "too_dark", ...; "no_camera") and texts."""

    key: str
    zh: str
    en: str


# ---- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepChanged:
    """The flow entered ``step`` (``previous`` is None on the first step of a run)."""

    step: Step
    previous: Step | None
    seq: str = field(default="", kw_only=True)  # the run's id


@dataclass(frozen=True)
class CodeReceived:
    """The four digits to read aloud."""

    code: str
    seq: str = field(default="", kw_only=True)  # the run's id


@dataclass(frozen=True)
class Guidance:
    """One preview tick (GUIDE, COUNTDOWN and RECORD steps): the picture and what to adjust.

    ``frame`` is the BGR image (numpy, height x width x 3) to paint; it is shared, do not modify.
    ``face_box`` is (x, y, w, h) in frame pixels. ``waited`` is seconds spent in GUIDE so far and
    ``auto_in`` the seconds left before auto-continue (None when the policy does not auto-continue).
    ``voice_test`` is the voice test's state in GUIDE (kiosk.checks.voice_test: "silent", "quiet",
    "noisy", "passed"; "" when none runs; "failed" once the microphone failed) and ``voice_waited``
    the seconds it listened without hearing a voice that passes. ``mic_fault_*`` says for staff what
    failed, naming the microphone ("" while it works).
    """

    frame: np.ndarray | None
    face_ok: bool
    face_box: tuple[int, int, int, int] | None
    hints: tuple[Hint, ...]
    level_dbfs: float
    voice_ok: bool
    waited: float = 0.0
    auto_in: float | None = None
    voice_test: str = ""
    voice_waited: float = 0.0
    mic_fault_zh: str = ""
    mic_fault_en: str = ""
    seq: str = field(default="", kw_only=True)  # the run's id


@dataclass(frozen=True)
class CardTaken:
    """The still of the ID card (JPEG, cropped to the card) and what the card checks predict.

    ``blocked``: a finding would make the service refuse it (-4017 no face, -4018 undecodable):
    the card is filmed again whatever the answer. Otherwise ready() uses it, retake() films again.
    """

    jpeg: bytes
    findings: tuple[Finding, ...]
    blocked: bool
    seq: str = field(default="", kw_only=True)  # the run's id

    def __repr__(self) -> str:  # never the picture's bytes in a log
        return f"CardTaken(<{len(self.jpeg)} bytes>, findings={len(self.findings)}, blocked={self.blocked})"


@dataclass(frozen=True)
class Countdown:
    """Seconds until recording starts: n, n-1, ..., 1."""

    n: int
    seq: str = field(default="", kw_only=True)  # the run's id


@dataclass(frozen=True)
class RecordingProgress:
    """Seconds recorded so far of ``total``."""

    elapsed: float
    total: float
    seq: str = field(default="", kw_only=True)  # the run's id


@dataclass(frozen=True)
class ChecksDone:
    """Local checks finished; ``blocked`` means nothing will be uploaded."""

    findings: tuple[Finding, ...]
    blocked: bool
    seq: str = field(default="", kw_only=True)  # the run's id


@dataclass(frozen=True)
class UploadProgress:
    """Bytes of the request body sent so far of ``total``."""

    sent: int
    total: int
    seq: str = field(default="", kw_only=True)  # the run's id


# declined: the person did not consent; limited: the attempt limit stopped the try (no capture).
Outcome = Literal["passed", "failed", "blocked", "refused", "cancelled", "error", "declined",
                  "limited"]


@dataclass(frozen=True)
class Result:
    """How one verification ended, with what to tell the person and the operator.

    ``outcome``: passed; failed (the service answered, the verdict is no); blocked (a local check
    stopped it, nothing uploaded); refused (the service answered with a non-zero code); cancelled;
    error (network, configuration, camera, disk). ``code`` is the service code or the finding's
    predicted code. ``message_*`` says what happened, ``fix_*`` what to do. ``recorded`` is
    False when the audit row reached neither the log nor its journal: the verdict stands, marked
    "not recorded", and ``exit_code`` is 2.
    """

    outcome: Outcome
    mode: Mode
    message_zh: str
    message_en: str
    fix_zh: str = ""
    fix_en: str = ""
    code: int | None = None
    similarity: float | None = None
    threshold: float = 70.0
    live_status: int | None = None
    live_msg: str = ""
    compare_status: int | None = None
    compare_msg: str = ""
    best_frame: bytes | None = None
    findings: tuple[Finding, ...] = ()
    session_id: str = ""
    seq: str = ""
    validate_data: str = ""
    durations: Mapping[Step, float] = field(default_factory=dict)
    exit_code: int = 1  # for the CLI: 0 pass, 1 a no/refusal/block/cancel, 2 environment
    recorded: bool = True  # False: the audit row could be written nowhere (shown beside the verdict)
    # Why no verdict was made, for an "error": network, config, device, input, audit or internal.
    cause: str = ""
    # This not-verified result reached the attempt limit: no more tries for this person now.
    locked: bool = False

    @property
    def passed(self) -> bool:
        """True only for a pass."""
        return self.outcome == "passed"

    @property
    def cancelled(self) -> bool:
        """True when the person or operator cancelled."""
        return self.outcome == "cancelled"

    def text(self, lang: str = "en") -> str:
        """One line: what happened — what to do."""
        what, fix = (self.message_zh, self.fix_zh) if lang == "zh" else (self.message_en, self.fix_en)
        return f"{what} — {fix}" if fix else what

    def to_json(self) -> dict[str, Any]:
        """The result as strict-JSON data (the best frame as its size only; no personal data)."""
        return {
            "outcome": self.outcome, "passed": self.passed, "mode": self.mode.value,
            "code": self.code, "similarity": self.similarity, "threshold": self.threshold,
            "live_status": self.live_status, "live_msg": self.live_msg,
            "compare_status": self.compare_status, "compare_msg": self.compare_msg,
            "message_zh": self.message_zh, "message_en": self.message_en,
            "fix_zh": self.fix_zh, "fix_en": self.fix_en,
            "findings": [f.to_json() for f in self.findings],
            "session_id": self.session_id, "seq": self.seq, "validate_data": self.validate_data,
            "best_frame_bytes": len(self.best_frame) if self.best_frame else 0,
            "durations": {s.value: round(v, 3) for s, v in self.durations.items()},
            "exit_code": self.exit_code, "recorded": self.recorded, "cause": self.cause,
            "locked": self.locked,
        }


@dataclass(frozen=True)
class Finished:
    """The run ended; the media is already deleted. The last event of every run."""

    result: Result
    seq: str = field(default="", kw_only=True)  # the run's id


Event = StepChanged | CodeReceived | Guidance | CardTaken | Countdown | RecordingProgress | \
    ChecksDone | UploadProgress | Finished
Listener = Callable[[Any], None]


class Controller(Protocol):
    """The commands a verification flow takes (all return at once; work runs on a worker)."""

    def start(self, details: Details) -> str | None: ...  # the run's id; None: one is running

    def ready(self) -> None: ...

    def snap(self) -> None: ...

    def retake(self) -> None: ...

    def cancel(self) -> None: ...

    def retry(self) -> str | None: ...  # the new run's id; None: running, or nothing ran yet

    def close(self) -> None: ...

    @property
    def step(self) -> Step | None: ...

    @property
    def running(self) -> bool: ...


__all__ = [
    "CardTaken", "ChecksDone", "CodeReceived", "Controller", "Countdown", "Details", "Event", "Finished",
    "Guidance", "Hint", "Listener", "Mode", "Outcome", "RecordingProgress", "Result", "Step",
    "StepChanged", "UploadProgress", "mask_id",
]
