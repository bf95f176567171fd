"""Random and mutated requests for the emulator, and what every reply must satisfy.

Shared by the fuzz test (tests/unit/emulator/test_emulator_fuzz.py, a few hundred examples in
CI) and the benchmark (tests/benchmarks/fuzz_emulator.py, 10,000). Each request starts as one of
the document's sample requests, validly signed, and is then mutated: headers, the signature's
fields, multipart parts and boundaries, JSON bodies (depth, huge numbers, wrong types, invalid
UTF-8, missing fields), the chunking of the body. The oracle: an HTTP status below 500, a strict
JSON reply whose code is in the catalog and is never a "server failed" code, and a one-line
message; the log is checked by the caller.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import resource
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from hypothesis import strategies as st

from kiosk.api.codes import CATALOG
from kiosk.emulator.store import Store

APPID, SECRET_ID, KEY = "1000001", "AKIDdemo", "demo-key-0123456789"
OTHER_APPID, OTHER_SECRET_ID, OTHER_KEY = "2000002", "AKIDother", "other-key-0123456789"
ID_NUMBER, NAME = "11010519491231002X", "王芳"  # the standard's valid example, enrolled below
CALLS = ("livegetfour", "idcardcompare", "livedetectfour", "idcardlivedetectfour")
# Codes that mean "the server failed, try again": a client mistake must never get one.
SERVER_CODES = frozenset({-5802, 213, 107, 108})
STATUSES = frozenset({200, 400, 404, 405})


def tiny_jpeg(width: int = 64, height: int = 48) -> bytes:
    """A small, faceless JPEG: decodable, so the image checks run on it."""
    ok, data = cv2.imencode(".jpg", np.full((height, width, 3), 128, np.uint8))
    assert ok
    return bytes(data)


def fill_store(store: Store) -> None:
    """The two accounts and one enrolled person the requests are made for."""
    store.add_account(APPID, SECRET_ID, KEY)
    store.add_account(OTHER_APPID, OTHER_SECRET_ID, OTHER_KEY)
    store.enroll(ID_NUMBER, NAME, tiny_jpeg(320, 480))


@dataclass
class Request:
    """One request as the app receives it: path, raw headers and the body in chunks."""

    call: str
    path: str
    headers: list[tuple[bytes, bytes]]
    chunks: list[bytes]
    notes: list[str] = field(default_factory=list)  # the mutations applied, for a failure report


# ---- pieces -------------------------------------------------------------------------------

header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)
digits = st.integers(1, 6000).map(lambda n: "9" * n)
odd_values = st.one_of(
    st.text(max_size=40), digits, st.integers().map(str), st.just(""), st.just("-1"),
    st.just("1e999"), st.just("\u202e\x00\x1b[2J"), st.just("&"), st.just("="),
)
json_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=30), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def signature(fields: list[tuple[str, str]], key: str, *, raw: bytes | None = None) -> str:
    plain = raw if raw is not None else "&".join(f"{k}={v}" for k, v in fields).encode("utf-8")
    return base64.b64encode(hmac.new(key.encode(), plain, hashlib.sha1).digest() + plain).decode()


@st.composite
def authorization(draw: st.DrawFn, now: int, body_appid: str) -> tuple[str | None, list[str]]:
    """A signature for ``body_appid``: valid, or with its fields or encoding mutated."""
    notes: list[str] = []
    appid, secret_id, key = draw(st.sampled_from([
        (APPID, SECRET_ID, KEY), (OTHER_APPID, OTHER_SECRET_ID, OTHER_KEY)]))
    if body_appid != appid and draw(st.booleans()):
        appid = body_appid
    rand = draw(st.integers(0, 999_999_999))
    fields = [("a", appid), ("b", ""), ("k", secret_id), ("e", str(now + 60)), ("t", str(now)),
              ("r", str(rand)), ("f", "")]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["value", "drop", "shuffle", "extra", "expiry", "key"]))
        notes.append(f"sig:{kind}")
        if kind == "value":
            i = draw(st.integers(0, len(fields) - 1))
            fields[i] = (fields[i][0], draw(odd_values))
        elif kind == "drop" and fields:
            fields.pop(draw(st.integers(0, len(fields) - 1)))
        elif kind == "shuffle":
            fields = draw(st.permutations(fields))
        elif kind == "extra":
            fields.append((draw(st.text("xyzu", min_size=1, max_size=3)), draw(odd_values)))
        elif kind == "expiry":
            fields = [(k, str(now + draw(st.integers(-10**30, 10**30)))) if k == "e" else (k, v)
                      for k, v in fields]
        elif kind == "key":
            key = draw(st.text(min_size=1, max_size=20))
    encoding = draw(st.sampled_from(["ok"] * 6 + ["none", "empty", "garbage", "latin", "short",
                                                  "binary"]))
    if encoding != "ok":
        notes.append(f"auth:{encoding}")
    if encoding == "none":
        return None, notes
    if encoding == "empty":
        return draw(st.sampled_from(["", "   "])), notes
    if encoding == "garbage":
        return draw(header_text), notes
    if encoding == "latin":
        return draw(header_text) + "é", notes
    if encoding == "short":
        return base64.b64encode(draw(st.binary(max_size=20))).decode(), notes
    if encoding == "binary":
        return signature(fields, key, raw=draw(st.binary(min_size=1, max_size=60))), notes
    return signature(fields, key), notes


def sample_fields(call: str, draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The document's sample request for ``call``: text fields and file parts."""
    jpeg = draw(st.sampled_from([b"x" * 46, tiny_jpeg(), b"GIF89a" + b"\0" * 40, b""]))
    if call == "livegetfour":
        return {"appid": APPID, "seq": "1"}, {}
    if call == "idcardcompare":
        text = {"appid": APPID, "idcard_number": ID_NUMBER, "idcard_name": NAME}
        if draw(st.booleans()):
            text["url"] = draw(st.sampled_from(["http://127.0.0.1:9/none.jpg", "ftp://x", "",
                                                "file:///etc/passwd", "http://[::1",
                                                "http://127.0.0.1:99999/x", "registry:x"]))
            return text, {}
        return text, {"image": jpeg}
    video = draw(st.sampled_from([b"y" * 46, b"\0" * 10, b""]))
    code = draw(st.sampled_from(["9532", "0000", "", "95321", "abcd"]))
    if call == "livedetectfour":
        text = {"appid": APPID, "validate_data": code,
                "compare_flag": draw(st.sampled_from(["true", "false", "TRUE", "1", ""]))}
        return text, {"video": video, "card": jpeg}
    return ({"appid": APPID, "validate_data": code, "idcard_number": ID_NUMBER,
             "idcard_name": NAME}, {"video": video})


@st.composite
def json_body(draw: st.DrawFn, text: dict[str, Any], notes: list[str]) -> bytes:
    """``text`` as JSON, with its fields, types, depth, numbers or bytes mutated."""
    doc: dict[str, Any] = dict(text)
    raw_tail = b""
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["drop", "type", "deep", "number", "utf8", "top", "const",
                                     "trailing"]))
        notes.append(f"json:{kind}")
        if kind == "drop" and doc:
            doc.pop(draw(st.sampled_from(sorted(doc))))
        elif kind == "type":
            doc[draw(st.sampled_from([*doc, "x"]))] = draw(json_values)
        elif kind == "deep":
            depth = draw(st.sampled_from([10, 1000, 5000, 100_000]))
            raw_tail += b', "seq": ' + b"[" * depth + b"]" * depth
        elif kind == "number":
            raw_tail += b', "seq": ' + b"7" * draw(st.integers(1, 6000))
        elif kind == "utf8":
            raw_tail += b', "idcard_name": "\xff\xfe\xc3"'
        elif kind == "top":
            return draw(st.sampled_from([b"[]", b"1", b'"x"', b"null", b"{", b"[" * 50_000]))
        elif kind == "const":
            raw_tail += b', "seq": ' + draw(st.sampled_from([b"NaN", b"Infinity", b"-Infinity"]))
        elif kind == "trailing":
            raw_tail += b","
    encoded = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8")
    if raw_tail:
        inner = encoded[1:-1]
        tail = raw_tail if inner.strip() else raw_tail.lstrip(b", ")
        encoded = b"{" + inner + tail + b"}"
    return encoded


@st.composite
def multipart_body(draw: st.DrawFn, text: dict[str, Any], files: dict[str, bytes],
                   notes: list[str]) -> tuple[bytes, str]:
    """``text`` and ``files`` as multipart/form-data, mutated; returns the body and its boundary."""
    boundary = "--------------acebdf13572468"
    parts: list[tuple[bytes, bytes]] = []  # (headers, content)
    for name, value in text.items():
        filename = f'; filename="{name}"' if draw(st.booleans()) else ""  # requests adds one
        parts.append((f'Content-Disposition: form-data; name="{name}"{filename}'.encode(),
                      str(value).encode("utf-8")))
    for name, content in files.items():
        parts.append((f'Content-Disposition: form-data; name="{name}"; filename="{name}.bin"\r\n'
                      "Content-Type: application/octet-stream".encode(), content))
    body_boundary = boundary
    closing = True
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["drop", "dup", "long", "mismatch", "utf8", "nodisp",
                                     "headers", "bigtext", "unclosed", "splice", "odd"]))
        notes.append(f"mp:{kind}")
        if kind == "drop" and parts:
            parts.pop(draw(st.integers(0, len(parts) - 1)))
        elif kind == "dup" and parts:
            parts.append(parts[draw(st.integers(0, len(parts) - 1))])
        elif kind == "long":
            boundary = body_boundary = "b" * draw(st.sampled_from([70, 71, 256, 257, 5000]))
        elif kind == "mismatch":
            body_boundary = draw(st.text("abc-", min_size=1, max_size=20))
        elif kind == "utf8" and parts:
            i = draw(st.integers(0, len(parts) - 1))
            parts[i] = (parts[i][0], b"\xff\xfe" + parts[i][1])
        elif kind == "nodisp" and parts:
            i = draw(st.integers(0, len(parts) - 1))
            parts[i] = (draw(st.sampled_from([b"X-Y: z", b"Content-Disposition: inline",
                                              b"Content-Disposition: form-data"])), parts[i][1])
        elif kind == "headers" and parts:
            parts[0] = (parts[0][0] + b"".join(b"\r\nX-%d: y" % i for i in range(40)), parts[0][1])
        elif kind == "bigtext":
            parts.append((b'Content-Disposition: form-data; name="seq"', b"s" * 300_000))
        elif kind == "unclosed":
            closing = False
        elif kind == "splice":
            parts.append((draw(st.binary(max_size=40)), draw(st.binary(max_size=40))))
        elif kind == "odd":
            boundary = body_boundary = draw(st.sampled_from(['"quoted"', "a b", "é", ";", "x" * 70]))
    sep = body_boundary.encode("utf-8")
    out = b"".join(b"--" + sep + b"\r\n" + h + b"\r\n\r\n" + c + b"\r\n" for h, c in parts)
    out += b"--" + sep + b"--\r\n" if closing else b""
    return out, boundary


@st.composite
def requests(draw: st.DrawFn, now: int) -> Request:
    """One request: a document sample, validly signed, then mutated."""
    call = draw(st.sampled_from(CALLS))
    notes: list[str] = []
    text, files = sample_fields(call, draw)
    use_json = call == "livegetfour" or (call == "idcardcompare" and not files)
    if rare(draw, 10):  # the wrong body format for the call
        use_json = not use_json
        notes.append("format")
    content_type: str | None
    if use_json:
        body = draw(json_body(text, notes))
        content_type = "application/json"
    else:
        body, boundary = draw(multipart_body(text, files, notes))
        content_type = f"multipart/form-data;boundary={boundary}"
    auth, auth_notes = draw(authorization(now, str(text.get("appid", APPID))))
    notes += auth_notes
    if rare(draw, 8):
        body = mutate_bytes(draw, body)
        notes.append("bytes")
    headers: dict[bytes, bytes] = {b"host": b"service.image.myqcloud.com"}
    if auth is not None:
        headers[b"authorization"] = auth.encode("latin-1", "replace")
    if content_type is not None:
        headers[b"content-type"] = content_type.encode("utf-8")
    headers[b"content-length"] = str(len(body)).encode()
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["ctype", "length", "chunked", "extra", "nohost"]))
        notes.append(f"hdr:{kind}")
        if kind == "ctype":
            headers[b"content-type"] = draw(st.sampled_from([
                b"", b"text/plain", b"multipart/form-data", b"multipart/form-data; boundary=",
                b"application/json; charset=latin-1", b"multipart/mixed; boundary=x",
                b"multipart/form-data; boundary=" + b"z" * 5000])) or draw(header_text).encode(
                    "latin-1")
        elif kind == "length":
            headers[b"content-length"] = draw(st.sampled_from([
                b"0", b"-1", b"abc", b"99999999999999999999", b"6000001", b"1" * 5000,
                str(len(body) // 2).encode()]))
        elif kind == "chunked":
            headers[b"transfer-encoding"] = b"chunked"
        elif kind == "extra":
            headers[draw(st.text("abcxyz-", min_size=1, max_size=8)).encode()] = draw(
                header_text).encode("latin-1")
        elif kind == "nohost":
            headers.pop(b"host", None)
    path_call = draw(st.sampled_from(["", "x", "../etc"])) if rare(draw, 20) else call
    # Byte by byte only for small bodies: 300,000 one-byte events cost a second.
    size = draw(st.sampled_from([1, 7, 1024, 65536] if len(body) < 8192 else [1024, 65536]))
    chunks = [body[i:i + size] for i in range(0, len(body), size)] if body else []
    return Request(call, f"/face/{path_call}", list(headers.items()), chunks, notes)


def rare(draw: st.DrawFn, n: int) -> bool:
    """True once in ``n`` draws (not on the value Hypothesis shrinks towards, which it favours)."""
    return bool(draw(st.sampled_from(range(n))) == n - 1)


def mutate_bytes(draw: st.DrawFn, body: bytes) -> bytes:
    """Flip, cut or insert bytes somewhere in ``body``."""
    if not body:
        return draw(st.binary(max_size=64))
    at = draw(st.integers(0, len(body) - 1))
    kind = draw(st.sampled_from(["flip", "cut", "insert"]))
    if kind == "flip":
        return body[:at] + bytes([body[at] ^ 0xFF]) + body[at + 1:]
    if kind == "cut":
        return body[:at]
    return body[:at] + draw(st.binary(min_size=1, max_size=64)) + body[at:]


# ---- the oracle ----------------------------------------------------------------------------


def check_reply(status: int, body: bytes, request: Request) -> int:
    """Assert what every reply must be; returns its code."""
    where = f"{request.call} {request.notes}"
    assert status in STATUSES, f"HTTP {status} for {where}"

    def refuse(name: str) -> None:
        raise AssertionError(f"non-standard JSON constant {name} for {where}")

    doc = json.loads(body, parse_constant=refuse)
    assert set(doc) == {"data", "code", "message"}, f"fields {sorted(doc)} for {where}"
    code, message = doc["code"], doc["message"]
    assert isinstance(code, int) and code in CATALOG, f"undocumented code {code!r} for {where}"
    assert code not in SERVER_CODES, f"server-failure code {code} ({message}) for {where}"
    assert isinstance(message, str) and "\n" not in message and len(message) < 1000, where
    return code


def reset_peak_rss() -> None:
    """Start measuring the peak resident memory afresh (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss() -> int:
    """The process's peak resident memory in bytes since :func:`reset_peak_rss` (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss() -> int:
    """The process's resident memory now, in bytes (Linux; 0 elsewhere)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


class LogWatch(logging.Handler):
    """Collects records with a traceback or at ERROR and above, from every logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.bad: list[str] = []
        self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.bad.append(f"{record.levelname} {record.name}: {record.getMessage()[:200]}")
        elif record.levelno >= logging.WARNING:
            self.warnings += 1
