"""Reading replies leniently, and the typed results of the calls.

Strict ``json`` first; when that fails, ``pyjson5`` (the document's own samples have trailing
commas). A body that is not JSON, or that stops half-way, gets its own clear error.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pyjson5

from kiosk import images
from kiosk.api import messages
from kiosk.api._exceptions import NotJSONError, TruncatedError
from kiosk.api._sanitize import clean_reply, clean_text
from kiosk.api.codes import CodeEntry, lookup
from kiosk.api.limits import DEFAULT_THRESHOLD
from kiosk.errors import ProtocolError


def parse_reply(body: bytes) -> dict[str, Any]:
    """The reply as a dict with an integer ``code``; NotJSONError / TruncatedError otherwise.

    Every string in it is cleaned (``_sanitize``): nothing the server sends reaches a terminal,
    a log, the GUI or the audit with control characters in it, or longer than a line.
    """
    text = body.decode("utf-8-sig", errors="replace").strip()
    try:
        try:
            # strict=False: raw control characters inside strings are read (and then cleaned)
            value = json.loads(text, parse_int=_bounded_int, strict=False)
        except ValueError:
            value = _lenient(text)
    except RecursionError as exc:  # json's C parser on a reply nested thousands deep
        raise ProtocolError(messages.REPLY_NESTED_TOO_DEEPLY()) from exc
    value = clean_reply(value)
    if not isinstance(value, dict) or "code" not in value:
        raise ProtocolError(messages.REPLY_WITHOUT_CODE())
    value["code"] = _code(value["code"])
    if not isinstance(value.get("data", {}), dict):
        value["data"] = {}
    return value


def _bounded_int(digits: str) -> int | None:
    """An integer literal; None past 19 digits (Python refuses over 4300, and no field is that
    long: the cleaner nulls anything past 64 bits anyway)."""
    return int(digits) if len(digits.lstrip("-")) <= 19 else None


def _code(value: Any) -> int:
    """The reply's ``code``: an integer, or a string or whole float holding one."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and len(value) <= 20:
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if number is None or abs(number) >= 2**31:
        raise ProtocolError(messages.CODE_NOT_A_NUMBER(value=clean_text(repr(value), 40)))
    return number


def is_four_digits(text: str) -> bool:
    """Four ASCII digits 0-9: what livegetfour hands out and the video calls take back."""
    return len(text) == 4 and text.isascii() and text.isdigit()


def four_digits(value: Any) -> str:
    """``data.validate_data`` when it is four ASCII digits, else ProtocolError.

    The digits are read aloud and shown on screen; anything else (an escape sequence, five
    digits, Arabic-Indic or full-width digits) is not what the service's document promises.
    """
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if is_four_digits(text):
        return text
    if value in (None, ""):
        raise ProtocolError(messages.DIGITS_MISSING())
    raise ProtocolError(messages.DIGITS_NOT_FOUR(value=clean_text(repr(value), 40)))


def _lenient(text: str) -> Any:
    if not text:
        raise TruncatedError(messages.REPLY_EMPTY())
    try:
        return pyjson5.loads(text)
    except pyjson5.Json5EOF as exc:
        raise TruncatedError(messages.REPLY_CUT_SHORT(length=len(text))) from exc
    except pyjson5.Json5Exception as exc:
        snippet = clean_text(text[:200], 60)
        looks_html = text.lstrip().startswith("<")
        said = messages.REPLY_IS_HTML if looks_html else messages.REPLY_NOT_JSON
        raise NotJSONError(said(snippet=snippet)) from exc


def _text(value: Any) -> str:
    """A text field: the cleaned string, a number as text, nothing for a list or an object."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return clean_text(str(value))
    return ""


def _int(value: Any) -> int | None:
    try:
        return None if value in (None, "") else int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


def _float(value: Any) -> float | None:
    try:
        number = None if value in (None, "") else float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number is None or math.isfinite(number) else None


def decode_photo(value: Any) -> bytes | None:
    """The base64 best frame as JPEG bytes; None when absent or not a JPEG."""
    if not isinstance(value, str) or not value:
        return None
    try:
        data = base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError):
        return None
    return data if images.image_kind(data) == "jpeg" else None


@dataclass(frozen=True)
class CompareResult:
    """``idcardcompare``: the similarity of the photo to the registry's photo of that ID."""

    code: int
    message: str
    similarity: float | None
    session_id: str
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_reply(cls, reply: dict[str, Any]) -> CompareResult:
        data = reply.get("data") or {}
        return cls(reply["code"], _text(reply.get("message")), _float(data.get("similarity")),
                   _text(data.get("session_id")), reply)

    @property
    def best_frame(self) -> bytes | None:
        """Always None: a photo comparison returns no frame."""
        return None

    def passed(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        """True when the call succeeded and the similarity reaches ``threshold``."""
        return self.code == 0 and self.similarity is not None and self.similarity >= threshold

    def problems(self, threshold: float = DEFAULT_THRESHOLD) -> list[str]:
        """Why the verdict failed, in English; empty when it passed."""
        if self.code != 0:
            return [f"code {self.code}"]
        if self.similarity is None:
            return ["no similarity in the reply"]
        if self.similarity < threshold:
            return [f"similarity {self.similarity:g} below {threshold:g}"]
        return []


@dataclass(frozen=True)
class LiveResult:
    """``livedetectfour`` / ``idcardlivedetectfour``: liveness, comparison and the best frame."""

    call: str
    code: int
    message: str
    live_status: int | None
    live_msg: str
    compare_status: int | None
    compare_msg: str
    sim: int | None
    photo: str | None  # base64, as the service sent it (data.photo or data.video_photo)
    compared: bool  # a comparison was asked for (compare_flag, or always for idcardlive...)
    best_frame: bytes | None = field(repr=False, default=None)
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    @classmethod
    def from_reply(cls, call: str, reply: dict[str, Any], *, compared: bool) -> LiveResult:
        data = reply.get("data") or {}
        photo_key = "video_photo" if call == "idcardlivedetectfour" else "photo"
        photo = data.get(photo_key) or data.get("photo") or data.get("video_photo")
        photo = photo if isinstance(photo, str) else None
        return cls(call, reply["code"], _text(reply.get("message")),
                   _int(data.get("live_status")), _text(data.get("live_msg")),
                   _int(data.get("compare_status")), _text(data.get("compare_msg")),
                   _int(data.get("sim")), photo, compared, decode_photo(photo), reply)

    @property
    def similarity(self) -> int | None:
        """``sim`` under the name the photo comparison uses."""
        return self.sim

    def passed(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        """docs/protocol.md, "Reading the verdict": code, live and compare status 0, similarity >= threshold."""
        return not self.problems(threshold)

    def problems(self, threshold: float = DEFAULT_THRESHOLD) -> list[str]:
        """Why the verdict failed, in English; empty when it passed."""
        if self.code != 0:
            return [f"code {self.code}"]
        out = []
        if self.live_status != 0:
            out.append("liveness not confirmed" if self.live_status is None
                       else f"liveness failed ({self.live_status})")
        if self.compared:
            if self.compare_status != 0:
                out.append("comparison not made" if self.compare_status is None
                           else f"comparison failed ({self.compare_status})")
            elif self.sim is None:
                out.append("no similarity in the reply")
            elif self.sim < threshold:
                out.append(f"similarity {self.sim} below {threshold:g}")
        return out

    def status_entries(self) -> list[CodeEntry]:
        """Catalog entries for the non-zero live and compare statuses (what to tell the person)."""
        return [lookup(s) for s in (self.live_status, self.compare_status) if s not in (None, 0)]
