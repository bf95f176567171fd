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

from kiosk.api import _images
from kiosk.api._exceptions import NotJSONError, TruncatedError
from kiosk.api.codes import CodeEntry, lookup
from kiosk.api.limits import DEFAULT_THRESHOLD
from kiosk.errors import ProtocolError

_PORTAL_FIX_EN = ("a captive portal, proxy or wrong endpoint answered: log in to the network "
                  "or check the endpoint URL")
_PORTAL_FIX_ZH = "可能是网络认证页面、代理或服务地址错误：请先登录网络或检查服务地址"


def parse_reply(body: bytes) -> dict[str, Any]:
    """The reply as a dict with an integer ``code``; NotJSONError / TruncatedError otherwise."""
    text = body.decode("utf-8-sig", errors="replace").strip()
    try:
        value = json.loads(text)
    except ValueError:
        value = _lenient(text)
    if not isinstance(value, dict) or "code" not in value:
        raise ProtocolError(
            "the server's reply is JSON but not a service reply (no 'code' field)",
            "服务器回复是 JSON，但不是服务的回复（没有 code 字段）",
            fix_en="check the endpoint URL", fix_zh="请检查服务地址")
    try:
        value["code"] = int(value["code"])
    except (TypeError, ValueError) as exc:
        raise ProtocolError(
            f"the reply's code {value['code']!r} is not a number",
            f"回复中的 code {value['code']!r} 不是数字",
            fix_en="check the endpoint URL", fix_zh="请检查服务地址") from exc
    if not isinstance(value.get("data", {}), dict):
        value["data"] = {}
    return value


def _lenient(text: str) -> Any:
    if not text:
        raise TruncatedError("the server's reply was empty", "服务器回复为空",
                             fix_en="try again; check the network if it repeats",
                             fix_zh="请重试；若反复出现请检查网络")
    try:
        return pyjson5.loads(text)
    except pyjson5.Json5EOF as exc:
        raise TruncatedError(
            f"the server's reply was cut short ({len(text)} characters, JSON not closed)",
            f"服务器回复不完整（{len(text)} 个字符，JSON 未结束）",
            fix_en="try again; check the network if it repeats",
            fix_zh="请重试；若反复出现请检查网络") from exc
    except pyjson5.Json5Exception as exc:
        snippet = " ".join(text[:60].split())
        looks_html = text.lstrip().startswith("<")
        raise NotJSONError(
            f"the server's reply is not JSON ({'an HTML page' if looks_html else 'unreadable'}: "
            f"{snippet!r})",
            f"服务器回复不是 JSON（{'HTML 页面' if looks_html else '无法解析'}：{snippet!r}）",
            fix_en=_PORTAL_FIX_EN, fix_zh=_PORTAL_FIX_ZH) from exc


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
    return data if _images.image_kind(data) == "jpeg" else None


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
        return cls(reply["code"], str(reply.get("message", "")), _float(data.get("similarity")),
                   str(data.get("session_id") or ""), reply)

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
        return cls(call, reply["code"], str(reply.get("message", "")),
                   _int(data.get("live_status")), str(data.get("live_msg") or ""),
                   _int(data.get("compare_status")), str(data.get("compare_msg") or ""),
                   _int(data.get("sim")), photo, compared, decode_photo(photo), reply)

    @property
    def similarity(self) -> int | None:
        """``sim`` under the name the photo comparison uses."""
        return self.sim

    def passed(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        """NOTES.md "Reading the verdict": code, live and compare status 0, similarity >= threshold."""
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
