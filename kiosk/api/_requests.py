"""Requests as data: which call, which fields, which files; built and guarded before any sending.

``build_*`` check everything that can be known before the network is touched (required fields,
readable files, animated images, the exact body size with its multipart framing) and return an
``ApiRequest``. ``open_body`` turns one into a fresh stream for each attempt, so a retry rebuilds
the body from the file instead of rewinding a half-read stream.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from requests_toolbelt.multipart.encoder import MultipartEncoder

from kiosk import images, inputs
from kiosk.api import messages
from kiosk.api._exceptions import AnimatedImageError, BodyTooLargeError, MissingFieldError
from kiosk.api.limits import MAX_BODY_BYTES
from kiosk.texts import Message, Text

IDEMPOTENT_CALLS = frozenset({"livegetfour"})
BOUNDARY_LENGTH = 32  # the boundary is random per attempt, its length is fixed: sizes are exact
VIDEO_TYPES = {".mp4": "video/mp4", ".flv": "video/x-flv", ".avi": "video/x-msvideo",
               ".mov": "video/quicktime", ".mkv": "video/x-matroska", ".webm": "video/webm"}


@dataclass(frozen=True)
class FilePart:
    """A file field: bytes in memory (photos) or a path streamed from disk (videos)."""

    name: str
    filename: str  # a neutral name: the local file name may hold the person's name
    content_type: str
    source: bytes | Path

    def open(self) -> IO[bytes]:
        """A fresh binary stream over the part's content."""
        if isinstance(self.source, bytes):
            return io.BytesIO(self.source)
        return self.source.open("rb")


@dataclass(frozen=True)
class ApiRequest:
    """One call, ready to be signed and sent as many times as the retry rules allow."""

    call: str
    fields: tuple[tuple[str, str], ...]
    files: tuple[FilePart, ...] = ()
    body_length: int = 0

    @property
    def path(self) -> str:
        return f"/face/{self.call}"

    @property
    def multipart(self) -> bool:
        return bool(self.files)

    @property
    def idempotent(self) -> bool:
        """True when resending can do no harm whatever happened to the last attempt."""
        return self.call in IDEMPOTENT_CALLS


@dataclass
class Body:
    """One attempt's body: a stream with a known length and its Content-Type."""

    stream: IO[bytes] | bytes
    length: int
    content_type: str


@contextmanager
def open_body(request: ApiRequest, boundary: str) -> Iterator[Body]:
    """A fresh body for one attempt; the files it opened are closed on exit."""
    if not request.multipart:
        data = json.dumps(dict(request.fields), ensure_ascii=False, separators=(",", ":"))
        raw = data.encode("utf-8")
        yield Body(raw, len(raw), "application/json")
        return
    with ExitStack() as stack:
        parts: list[tuple[str, object]] = list(request.fields)
        for part in request.files:
            stream = stack.enter_context(part.open())
            parts.append((part.name, (part.filename, stream, part.content_type)))
        encoder = MultipartEncoder(fields=parts, boundary=boundary)
        yield Body(encoder, encoder.len, encoder.content_type)


def measure(request: ApiRequest) -> int:
    """The exact body length in bytes, multipart framing included."""
    with open_body(request, "0" * BOUNDARY_LENGTH) as body:
        return body.length


def _guard_size(request: ApiRequest) -> ApiRequest:
    length = measure(request)
    if length > MAX_BODY_BYTES:
        raise BodyTooLargeError(messages.BODY_TOO_LARGE(length=length, limit=MAX_BODY_BYTES),
                                code=23)
    return ApiRequest(request.call, request.fields, request.files, length)


def _require(value: str | None, missing: Text, code: int) -> str:
    """``value`` as text; MissingFieldError (``missing``, predicting ``code``) when it is empty."""
    if value is None or not str(value).strip():
        raise MissingFieldError(missing(code=code), code=code)
    return str(value)


_PHOTO_LABELS = {"image": messages.PHOTO, "card": messages.CARD_PHOTO}


def _photo_label(name: str) -> Message:
    """What the messages call the photo sent as the field ``name``."""
    return _PHOTO_LABELS[name]() if name in _PHOTO_LABELS else messages.NAMED_PHOTO(name=name)


def image_part(name: str, image: bytes | Path, *, refusal_code: int) -> FilePart:
    """A photo part; refuses GIF and animated images by their bytes (``refusal_code`` predicted)."""
    label = _photo_label(name)
    if isinstance(image, Path):
        # kiosk.inputs' rules: a regular, readable, non-empty file, read within a bound.
        data = inputs.read_input(image, limit=inputs.MEDIA_LIMIT, what=(label.en, label.zh),
                                 empty_ok=False)
        if len(data) > MAX_BODY_BYTES:
            raise BodyTooLargeError(messages.PHOTO_TOO_LARGE(path=image, limit=MAX_BODY_BYTES),
                                    code=23)
    else:
        data = bytes(image)
    if not data:
        raise MissingFieldError(messages.PHOTO_EMPTY(label=label), code=refusal_code)
    if images.is_animated(data):
        kind = images.image_kind(data).upper()
        refused = (messages.PHOTO_IS_GIF(label=label) if kind == "GIF"
                   else messages.PHOTO_IS_ANIMATED(label=label, kind=kind))
        raise AnimatedImageError(refused, code=refusal_code)
    suffix = {"jpeg": "jpg"}.get(images.image_kind(data), images.image_kind(data))
    return FilePart(name, f"{name}.{suffix}", images.content_type(data), data)


def video_part(video: Path) -> FilePart:
    """The video part, streamed from disk; the file must exist, be readable and not empty.

    Streamed, never held in memory: the body's own limit (code 23) bounds it, not a read limit.
    """
    inputs.check_input(video, limit=inputs.SOURCE_LIMIT, what=(messages.VIDEO.en, messages.VIDEO.zh), empty_ok=False)
    suffix = video.suffix.lower()
    return FilePart("video", f"video{suffix or '.mp4'}",
                    VIDEO_TYPES.get(suffix, "application/octet-stream"), video)


def _common(appid: str, bucket: str) -> list[tuple[str, str]]:
    fields = [("appid", appid)]
    if bucket:
        fields.append(("bucket", bucket))  # the reference SDK sends it; the service ignores it
    return fields


def _optional(fields: list[tuple[str, str]], name: str, value: str | None) -> None:
    if value not in (None, ""):
        fields.append((name, str(value)))


def _identity(fields: list[tuple[str, str]], number: str | None, name: str | None) -> None:
    fields.append(("idcard_number", _require(number, messages.MISSING_ID_NUMBER, -5801)))
    fields.append(("idcard_name", _require(name, messages.MISSING_NAME, -5801)))


def _validate_data(fields: list[tuple[str, str]], value: str | None) -> None:
    fields.append(("validate_data", _require(value, messages.MISSING_DIGITS, 21)))


def build_livegetfour(appid: str, bucket: str, *, seq: str | None = None) -> ApiRequest:
    """``livegetfour``: JSON with the appid and an optional sequence id."""
    fields = _common(appid, bucket)
    _optional(fields, "seq", seq)
    return _guard_size(ApiRequest("livegetfour", tuple(fields)))


def build_idcardcompare(appid: str, bucket: str, idcard_number: str | None,
                        idcard_name: str | None, *, image: bytes | Path | None = None,
                        url: str | None = None, session_id: str | None = None) -> ApiRequest:
    """``idcardcompare``: JSON with a URL, else multipart with the image (a URL wins, as documented)."""
    fields = _common(appid, bucket)
    _identity(fields, idcard_number, idcard_name)
    _optional(fields, "session_id", session_id)
    if url:
        fields.append(("url", url))
        return _guard_size(ApiRequest("idcardcompare", tuple(fields)))
    if image is None:
        _require(None, messages.MISSING_PHOTO_OR_URL, -5805)
    assert image is not None
    part = image_part("image", image, refusal_code=-4016)
    return _guard_size(ApiRequest("idcardcompare", tuple(fields), (part,)))


def build_livedetectfour(appid: str, bucket: str, video: Path, validate_data: str | None, *,
                         card: bytes | Path | None = None, compare_flag: bool = True,
                         seq: str | None = None) -> ApiRequest:
    """``livedetectfour``: multipart with the video and, to compare, the card photo."""
    fields = _common(appid, bucket)
    _validate_data(fields, validate_data)
    fields.append(("compare_flag", "true" if compare_flag else "false"))
    _optional(fields, "seq", seq)
    files = [video_part(video)]
    if card is not None:
        files.append(image_part("card", card, refusal_code=-4018))
    elif compare_flag:
        raise MissingFieldError(messages.NO_CARD_TO_COMPARE(), code=21)
    return _guard_size(ApiRequest("livedetectfour", tuple(fields), tuple(files)))


def build_idcardlivedetectfour(appid: str, bucket: str, video: Path, validate_data: str | None,
                               idcard_number: str | None, idcard_name: str | None, *,
                               seq: str | None = None) -> ApiRequest:
    """``idcardlivedetectfour``: multipart with the video, the ID number and the name."""
    fields = _common(appid, bucket)
    _validate_data(fields, validate_data)
    _identity(fields, idcard_number, idcard_name)
    _optional(fields, "seq", seq)
    return _guard_size(ApiRequest("idcardlivedetectfour", tuple(fields), (video_part(video),)))
