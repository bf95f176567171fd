"""The four calls, after the signature passed: fields, codes, identity, media, comparison.

Plain synchronous functions over a parsed body, so they run on a worker thread and are testable
without HTTP. Each returns a Reply whose ``data`` holds exactly the fields the document names
for that call.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.api.codes import lookup
from kiosk.emulator.analysis import first_blocking
from kiosk.emulator.body import Body
from kiosk.emulator.compare import NoFaceError, portrait_descriptor
from kiosk.emulator.faces import distance, similarity_of
from kiosk.emulator.facework import FaceWork
from kiosk.emulator.fetch import FetchError
from kiosk.emulator.fourcodes import FourCodes, TooManyCodesError
from kiosk.emulator.store import Person, Store, normalise_name

log = logging.getLogger("kiosk.emulator")

# Which parts of a multipart body are files, per call; every other part is a text field.
FILE_FIELDS: dict[str, frozenset[str]] = {
    "livegetfour": frozenset(),
    "idcardcompare": frozenset({"image"}),
    "livedetectfour": frozenset({"video", "card"}),
    "idcardlivedetectfour": frozenset({"video"}),
}
# Body formats per call, as the document and docs/protocol.md give them.
BODY_KINDS: dict[str, frozenset[str]] = {
    "livegetfour": frozenset({"json"}),
    "idcardcompare": frozenset({"json", "multipart"}),
    "livedetectfour": frozenset({"multipart"}),
    "idcardlivedetectfour": frozenset({"multipart"}),
}
CALLS = tuple(FILE_FIELDS)


@dataclass
class Reply:
    """One answer: the code, a message and the call's data fields."""

    code: int
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    id_number: str = ""  # for the (masked) log line only

    def to_json(self) -> dict[str, Any]:
        """The body the document shows: data, code, message."""
        return {"data": self.data, "code": self.code, "message": self.message}


def refusal(code: int, detail: str = "", **data: Any) -> Reply:
    """A non-zero reply: the catalog's English text, plus what exactly was wrong."""
    text = lookup(code).en
    if detail.lower().startswith(text.lower()):  # a check's own message already says it
        return Reply(code, detail, dict(data))
    return Reply(code, f"{text}: {detail}" if detail else text, dict(data))


class Calls:
    """The service's behaviour behind the signature check; shared by every request thread."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float],
        checks: Any,
        faces: FaceWork,
        fetch: Callable[[str], bytes],
    ) -> None:
        self.store = store
        self.clock = clock
        self.checks = checks
        self.faces = faces
        self.fetch = fetch
        self.codes = FourCodes(clock)

    def handle(self, call: str, appid: str, body: Body) -> Reply:
        """Answer one call whose signature has been accepted."""
        if body.kind not in BODY_KINDS[call]:
            wanted = " or ".join(sorted(BODY_KINDS[call]))
            return refusal(21, f"{call} takes a {wanted} body, not {body.kind}")
        handler: Callable[[str, Body], Reply] = getattr(self, call)
        return handler(appid, body)

    # -- the four calls ---------------------------------------------------------------------

    def livegetfour(self, appid: str, body: Body) -> Reply:
        """Issue a four-digit code for ``appid``."""
        try:
            code = self.codes.issue(appid)
        except TooManyCodesError:
            return refusal(15, "too many unused codes for this appid")
        return Reply(0, "OK", {"validate_data": code})

    def idcardcompare(self, appid: str, body: Body) -> Reply:
        """Compare an uploaded or fetched image with the registry portrait of an ID number."""
        person, stop = self._identity(body.fields)
        if stop is not None:
            return stop
        assert person is not None
        url = body.fields.get("url", "").strip()
        if url:  # "if both are given, only the url is used"
            try:
                image = self.fetch(url)
            except FetchError as exc:
                return _with_id(refusal(-5805, f"the url could not be fetched ({exc})"), person)
        elif "image" in body.files and body.files["image"].stat().st_size > 0:
            image = body.files["image"].read_bytes()
        else:
            return _with_id(refusal(-5805, "neither image nor url given"), person)
        stop_finding = first_blocking(self.checks.check_image(image, role="photo"))
        if stop_finding is not None:
            return _with_id(refusal(stop_finding.code, stop_finding.message_en), person)
        try:
            probe = self.faces.describe_image(image)
        except NoFaceError:
            return _with_id(refusal(-4015, "no face could be described in the image"), person)
        try:
            reference = portrait_descriptor(self.store, self.faces, person)
        except NoFaceError:
            return _with_id(refusal(-4010, "the registry portrait has no usable face"), person)
        similarity = round(similarity_of(distance(probe, reference)), 2)
        session_id = body.fields.get("session_id", "").strip() or uuid.uuid4().hex
        reply = Reply(0, "OK", {"session_id": session_id, "similarity": similarity})
        return _with_id(reply, person)

    def livedetectfour(self, appid: str, body: Body) -> Reply:
        """Liveness of a clip, and (compare_flag true) its face against the uploaded card."""
        flag = body.fields.get("compare_flag", "").strip().lower()
        if flag not in ("true", "false"):
            return refusal(21, "compare_flag must be the string true or false")
        compare = flag == "true"
        stop = self._video_fields(appid, body, need_card=compare)
        if stop is not None:
            return stop
        card = None
        if compare:
            card = body.files["card"].read_bytes()
            card_stop = first_blocking(self.checks.check_image(card, role="card"))
            if card_stop is not None:
                return _live_refusal(card_stop.code, card_stop.message_en, compare, live_ok=True)
        # The card's face is described with the clip, in one job (-4009 when it has none).
        return self._live(body.files["video"], None, photo_field="photo", compare=compare,
                          card=card)

    def idcardlivedetectfour(self, appid: str, body: Body) -> Reply:
        """Liveness of a clip and its face against the registry portrait of an ID number."""
        person, stop = self._identity(body.fields)
        if stop is not None:
            return stop
        assert person is not None
        stop = self._video_fields(appid, body, need_card=False)
        if stop is not None:
            return _with_id(stop, person)
        try:
            reference = portrait_descriptor(self.store, self.faces, person)
        except NoFaceError:
            return _with_id(_live_refusal(-4010, "the registry portrait has no usable face",
                                          True, live_ok=True), person)
        reply = self._live(body.files["video"], reference, photo_field="video_photo", compare=True)
        return _with_id(reply, person)

    # -- shared steps -----------------------------------------------------------------------

    def _identity(self, fields: dict[str, str]) -> tuple[Person | None, Reply | None]:
        """The ID number and name: present (-5801), valid (-5804), enrolled under that name (-5803)."""
        number = fields.get("idcard_number", "").strip().upper()
        name = fields.get("idcard_name", "").strip()
        if not number or not name:
            return None, refusal(-5801, "idcard_number and idcard_name are both required")
        today = dt.datetime.fromtimestamp(self.clock()).date()
        stop = first_blocking(self.checks.check_identity(number, name, today=today))
        if stop is not None:
            return None, _with_id(refusal(stop.code, stop.message_en), number)
        person = self.store.person(number)
        if person is None:
            return None, _with_id(refusal(-5803, "this ID number is not enrolled in the "
                                          "emulator's registry"), number)
        if normalise_name(name) != person.name:
            return None, _with_id(refusal(-5803, "the name differs from the registry's"), number)
        return person, None

    def _video_fields(self, appid: str, body: Body, *, need_card: bool) -> Reply | None:
        """validate_data (redeemed here, once), the video and, when comparing, the card."""
        code = body.fields.get("validate_data", "").strip()
        if not code:
            return refusal(21, "validate_data is required")
        if "video" not in body.files or body.files["video"].stat().st_size == 0:
            return refusal(21, "the video part is missing or empty")
        if need_card and ("card" not in body.files or body.files["card"].stat().st_size == 0):
            return refusal(21, "compare_flag is true but the card part is missing or empty")
        why = self.codes.redeem(appid, code)
        if why is not None:
            return refusal(21, why)
        return None

    def _live(self, video: Path, reference: Any, *, photo_field: str, compare: bool,
              card: bytes | None = None) -> Reply:
        """Analyse the clip (kiosk.emulator.facework); with a reference, score its best frame."""
        verdict = self.faces.judge_video(video, reference if compare else None, self.checks,
                                         card if compare else None)
        if verdict.code != 0:
            return _live_refusal(verdict.code, verdict.message, compare, live_ok=verdict.live_ok)
        live = {"live_status": 0, "live_msg": "OK"}
        if not compare:
            return Reply(0, "OK", live)
        photo = base64.b64encode(verdict.photo_jpeg).decode("ascii")
        return Reply(0, "OK", {**live, "compare_status": 0, "compare_msg": "OK",
                               "sim": int(round(verdict.similarity)), photo_field: photo})


def _live_refusal(code: int, detail: str, compare: bool, *, live_ok: bool) -> Reply:
    """A video call's refusal: the code at the top and in the status it belongs to."""
    reply = refusal(code, detail)
    if live_ok:
        reply.data = {"live_status": 0, "live_msg": "OK"}
        if compare:
            reply.data.update(compare_status=code, compare_msg=reply.message)
    else:
        reply.data = {"live_status": code, "live_msg": reply.message}
        if compare:
            reply.data.update(compare_status=code, compare_msg="not compared: liveness failed")
    return reply


def _with_id(reply: Reply, who: Person | str) -> Reply:
    reply.id_number = who.id_number if isinstance(who, Person) else who
    return reply
