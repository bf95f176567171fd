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
from kiosk.api._exceptions import AnimatedImageError, BodyTooLargeError, MissingFieldError
from kiosk.api.limits import MAX_BODY_BYTES

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
        raise BodyTooLargeError(
            f"the request body would be {length:,} bytes, over the service's limit of "
            f"{MAX_BODY_BYTES:,} (it would answer code 23); nothing was sent",
            f"请求包体将为 {length:,} 字节，超过服务上限 {MAX_BODY_BYTES:,} 字节（服务会返回错误码 23）；"
            "未发送任何内容",
            fix_en="record a shorter or smaller clip, or use a smaller photo",
            fix_zh="请缩短视频、降低分辨率或换用更小的照片",
            code=23,
        )
    return ApiRequest(request.call, request.fields, request.files, length)


def _require(value: str | None, field: str, code: int, zh: str, fix_en: str, fix_zh: str) -> str:
    if value is None or not str(value).strip():
        raise MissingFieldError(
            f"the field {field} is required and empty (the service would answer code {code}); "
            "nothing was sent",
            f"缺少必填字段 {zh}（服务会返回错误码 {code}）；未发送任何内容",
            fix_en=fix_en, fix_zh=fix_zh, code=code,
        )
    return str(value)


_PHOTO_LABELS = {"image": ("photo", "照片"), "card": ("card photo", "证件照")}


def image_part(name: str, image: bytes | Path, *, refusal_code: int) -> FilePart:
    """A photo part; refuses GIF and animated images by their bytes (``refusal_code`` predicted)."""
    label_en, label_zh = _PHOTO_LABELS.get(name, (f"{name} photo", f"照片（{name}）"))
    if isinstance(image, Path):
        # kiosk.inputs' rules: a regular, readable, non-empty file, read within a bound.
        data = inputs.read_input(image, limit=inputs.MEDIA_LIMIT, what=(label_en, label_zh),
                                 empty_ok=False)
        if len(data) > MAX_BODY_BYTES:
            raise BodyTooLargeError(
                f"the photo {image} is over the service's {MAX_BODY_BYTES:,}-byte body limit "
                "(it would answer code 23); nothing was sent",
                f"照片 {image} 超过服务的包体上限 {MAX_BODY_BYTES:,} 字节（会返回错误码 23）；未发送任何内容",
                fix_en="use a smaller photo", fix_zh="请换用更小的照片", code=23,
            )
    else:
        data = bytes(image)
    if not data:
        raise MissingFieldError(f"the {label_en} is empty; nothing was sent",
                                f"{label_zh}是空的；未发送任何内容",
                                fix_en="choose a JPEG or PNG photo",
                                fix_zh="请选择 JPEG 或 PNG 照片", code=refusal_code)
    if images.is_animated(data):
        kind = images.image_kind(data).upper()
        what_en = "a GIF" if kind == "GIF" else f"an animated image ({kind})"
        what_zh = "GIF 图片" if kind == "GIF" else f"动图（{kind}）"
        raise AnimatedImageError(
            f"the {label_en} is {what_en}, which the service does not accept; nothing was sent",
            f"{label_zh}是{what_zh}，服务不支持；未发送任何内容",
            fix_en="use a still JPEG or PNG photo", fix_zh="请使用静态的 JPEG 或 PNG 照片",
            code=refusal_code,
        )
    suffix = {"jpeg": "jpg"}.get(images.image_kind(data), images.image_kind(data))
    return FilePart(name, f"{name}.{suffix}", images.content_type(data), data)


def video_part(video: Path) -> FilePart:
    """The video part, streamed from disk; the file must exist, be readable and not empty.

    Streamed, never held in memory: the body's own limit (code 23) bounds it, not a read limit.
    """
    inputs.check_input(video, limit=inputs.SOURCE_LIMIT, what=("video", "视频"), empty_ok=False)
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
    fields.append(("idcard_number", _require(number, "idcard_number", -5801, "身份证号码",
                                             "enter the ID number", "请输入身份证号码")))
    fields.append(("idcard_name", _require(name, "idcard_name", -5801, "身份证姓名",
                                           "enter the name on the ID card", "请输入身份证姓名")))


def _validate_data(fields: list[tuple[str, str]], value: str | None) -> None:
    fields.append(("validate_data", _require(
        value, "validate_data", 21, "唇语验证数字",
        "fetch four digits with livegetfour ('kiosk code') first", "请先获取四位数字（kiosk code）")))


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
        _require(None, "image or url", -5805, "照片或图片地址",
                 "give a photo file or an image URL", "请提供照片文件或图片地址")
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
        raise MissingFieldError(
            "compare_flag is true but no card photo was given; nothing was sent",
            "compare_flag 为 true 但未提供证件照；未发送任何内容",
            fix_en="give a card photo, or compare_flag=False for liveness only",
            fix_zh="请提供证件照，或仅做活体检测（compare_flag=False）", code=21)
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
