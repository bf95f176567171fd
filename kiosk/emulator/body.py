"""Reading a request body as it streams in: a size limit, JSON or multipart, files to a folder.

The body is never held whole in memory: multipart file parts are written to the request's own
temporary folder as they arrive, and reading stops at the limit (code 23) whatever the
Content-Length said, so chunked bodies are bounded too. Text parts are read as fields by their
name even when their header carries a ``filename`` (the reference SDK, through requests, adds one).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from python_multipart.exceptions import FormParserError, MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

# Text fields are short (an ID number, a name, a URL); this bounds what is kept in memory.
MAX_TEXT_BYTES = 256 * 1024
# After a refusal for size, read and discard at most this much more, so a client that sends its
# whole body before reading (requests does) still reads the reply: closing a socket with unread
# data resets it, and the reset loses the reply (measured: a 30 MB body with a 16 MB cap lost it).
# Past this the server hangs up (the reply says Connection: close), so it never reads a huge
# body to its end; such a client sees a broken connection instead of code 23.
DRAIN_CAP = 64 * 1024 * 1024

# RFC 2046: a boundary is 1 to 70 characters.
MAX_BOUNDARY = 70

Kind = Literal["json", "multipart", "empty"]


class BodyTooLargeError(Exception):
    """The body went past the limit while streaming."""


class BodyMalformedError(Exception):
    """The body is not the JSON or multipart it claims to be."""


@dataclass
class Body:
    """A parsed request body: text fields by name and file parts saved in the request folder."""

    kind: Kind
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    size: int = 0


async def drain(stream: AsyncIterator[bytes], cap: int = DRAIN_CAP) -> None:
    """Read and discard what is left of a body, up to ``cap`` bytes."""
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > cap:
            return


async def read_body(
    stream: AsyncIterator[bytes],
    content_type: str,
    folder: Path,
    *,
    limit: int,
    file_fields: frozenset[str],
    created: list[Path] | None = None,
) -> Body:
    """Read a whole body from ``stream``; raises BodyTooLargeError or BodyMalformedError.

    Each file written in ``folder`` is appended to ``created`` before it is opened, so the
    caller can delete them without listing the folder (kiosk.emulator.scratch).
    """
    mime, params = parse_options_header(content_type or "")
    mime_text = mime.decode("latin-1").lower()
    if mime_text == "multipart/form-data":
        boundary = params.get(b"boundary")
        if not boundary:
            raise BodyMalformedError("multipart body without a boundary")
        if len(boundary) > MAX_BOUNDARY:
            raise BodyMalformedError(f"multipart boundary of {len(boundary)} characters "
                                     f"(at most {MAX_BOUNDARY})")
        parts = _Parts(folder, file_fields, created if created is not None else [])
        size = 0
        try:
            parser = MultipartParser(boundary, parts.callbacks(), max_header_count=16)
            async for chunk in stream:
                size += len(chunk)
                if size > limit:
                    raise BodyTooLargeError(size)
                parser.write(chunk)
            parser.finalize()
        except FormParserError as exc:  # MultipartParseError and the parser's other refusals
            raise BodyMalformedError(f"multipart body not readable: {exc}") from exc
        finally:
            parts.close()
        if not parts.ended:
            raise BodyMalformedError("multipart body ends before its closing boundary")
        return Body("multipart", parts.fields, parts.files, size)

    data = bytearray()
    async for chunk in stream:
        data += chunk
        if len(data) > limit:
            raise BodyTooLargeError(len(data))
    if not data.strip():
        return Body("empty", size=len(data))
    if mime_text not in ("application/json", "text/json", ""):
        raise BodyMalformedError(f"content type {mime_text!r} is neither JSON nor multipart/form-data")
    return Body("json", _json_fields(bytes(data)), {}, len(data))


def _json_fields(data: bytes) -> dict[str, str]:
    """A JSON object's values as text fields; nested values are refused."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        # ValueError: not JSON, not UTF-8, or a number past Python's 4300-digit limit;
        # RecursionError: arrays or objects nested thousands deep. All are the client's.
        raise BodyMalformedError(f"body is not valid JSON: {str(exc)[:120]}") from exc
    if not isinstance(doc, dict):
        raise BodyMalformedError("JSON body is not an object")
    fields: dict[str, str] = {}
    for key, value in doc.items():
        if isinstance(value, bool):
            fields[key] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            fields[key] = str(value)
        elif value is None:
            continue
        else:
            raise BodyMalformedError(f"field {key!r} is not a string")
    return fields


class _Parts:
    """Callbacks for python-multipart's streaming parser, collecting fields and files."""

    def __init__(self, folder: Path, file_fields: frozenset[str], created: list[Path]) -> None:
        self.folder = folder
        self.file_fields = file_fields
        self.created = created
        self.fields: dict[str, str] = {}
        self.files: dict[str, Path] = {}
        self.ended = False
        self._headers: dict[str, bytes] = {}
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._name = ""
        self._text: bytearray | None = None
        self._file: IO[bytes] | None = None
        self._text_total = 0
        self._count = 0

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self._headers = {}
        self._name = ""
        self._text = None
        self._file = None

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").strip().lower()] = bytes(
            self._header_value
        )
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get("content-disposition", b""))
        if disposition.lower() != b"form-data" or not options.get(b"name"):
            raise MultipartParseError("a part without Content-Disposition: form-data; name=...")
        self._name = options[b"name"].decode("utf-8", errors="replace")
        self._count += 1
        # The field's name decides whether it is a file: a text part with a filename is a field.
        if self._name in self.file_fields:
            if self._name not in self.files:  # the first of repeated file parts wins
                path = self.folder / f"part{self._count}-{self._name}"
                self.created.append(path)
                # A face or a voice: 0600 whatever the umask.
                self._file = open(path, "wb", opener=_private)  # noqa: SIM115 - closed at the part's end
                self.files[self._name] = path
        else:
            self._text = bytearray()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file.write(data[start:end])
        elif self._text is not None:
            self._text_total += end - start
            if self._text_total > MAX_TEXT_BYTES:
                raise MultipartParseError("text fields are too long")
            self._text += data[start:end]

    def _part_end(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        elif self._text is not None:
            try:
                value = self._text.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MultipartParseError(f"field {self._name!r} is not UTF-8 text") from exc
            # The first occurrence of a field wins, as it does for files.
            self.fields.setdefault(self._name, value)
            self._text = None

    def _end(self) -> None:
        self.ended = True

    def close(self) -> None:
        """Close a file part left open by an error."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)
