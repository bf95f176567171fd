"""Random and mutated replies for the client, and what must hold for every one (issue 14).

Shared by the CI fuzz test (tests/contract/test_client_fuzz.py) and the benchmark
(tests/benchmarks/fuzz_client.py). A reply is the document's own sample for a call, mutated
(wrong types, missing fields, huge numbers, deep nesting, control characters, invalid UTF-8,
trailing commas, cut short, another content type, another HTTP status), or plain random bytes.

The invariant: each call either returns its typed result with clean text fields, or raises one of
the documented errors (ProtocolError and its subclasses, ServiceError with its catalog entry),
whose message is one line without control characters. Anything else (a KeyError, a
RecursionError, a UnicodeEncodeError ...) is a bug the fuzz test reports with its reply.
"""

from __future__ import annotations

import json
import random
import unicodedata
from email.utils import formatdate
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from kiosk.api import (
    CATALOG,
    Client,
    CompareResult,
    LiveResult,
    MockTransport,
    WireResponse,
    lookup,
)
from kiosk.errors import KioskError, ProtocolError, ServiceError

CALLS = ("livegetfour", "idcardcompare", "livedetectfour", "idcardlivedetectfour")
DATA = Path(__file__).resolve().parents[1] / "unit" / "api" / "data"
SAMPLES = {call: json.loads((DATA / f"reply_{call}.txt").read_text(encoding="utf-8")
                            .replace(",\n  }", "\n  }")) for call in CALLS}
ALLOWED = (ProtocolError, ServiceError)  # what a reply alone may make the client raise
MAX_ERROR_CHARS = 1200  # both languages' texts of one error: what fits on a few terminal lines

EVIL = ["\u001b[2J", "\u001b]0;pwned\u0007", "\u001b]8;;http://x\u001b\\", "\u009b31m", "\u202e",
        "\u2066", "\u200b", "\ud800", "\x00", "\x7f", "\r\n", "\u2028", "\u0085", "\ufeff", "\t",
        "张三", "é", "\U0001f600"]
NUMBERS = [0, -1, 1, 90, 2**31, -(2**31) - 1, 2**63, 2**64, 10**30, 1e308, -1e308, 0.5, -0.0,
           float("nan"), float("inf"), float("-inf")]
STATUSES = [200, 200, 200, 200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 405, 413, 418, 429,
            429, 500, 502, 503, 504, 599]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/html",
                 "text/plain", "application/octet-stream", "multipart/form-data", "", "\u00ff/x"]

json_scalars = st.one_of(st.none(), st.booleans(), st.sampled_from(NUMBERS),
                         st.integers(), st.floats(), st.text(max_size=30),
                         st.sampled_from(EVIL), st.lists(st.sampled_from(EVIL)).map("".join))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@st.composite
def mutated_tree(draw: st.DrawFn, call: str) -> Any:
    """The call's sample reply with a few fields replaced, removed, added or nested deep."""
    reply: dict[str, Any] = json.loads(json.dumps(SAMPLES[call]))
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.sampled_from(["top", "data"]))
        target = reply if where == "top" or not isinstance(reply.get("data"), dict) else reply["data"]
        keys = list(target) or ["code"]
        key = draw(st.one_of(st.sampled_from(keys), st.sampled_from(
            ["code", "message", "data", "validate_data", "live_status", "sim", "photo",
             "video_photo", "similarity", "session_id", "compare_status", "live_msg"]),
            st.text(max_size=6)))
        action = draw(st.sampled_from(["set", "set", "delete", "evil", "deep"]))
        if action == "delete":
            target.pop(key, None)
        elif action == "evil":
            target[key] = draw(st.sampled_from(EVIL)) + str(target.get(key, "")) + draw(
                st.sampled_from(EVIL))
        elif action == "deep":
            depth = draw(st.sampled_from([5, 33, 200]))  # deeper: as text ("nest-text")
            value: Any = draw(json_scalars)
            for _ in range(depth):
                value = [value] if depth % 2 else {"a": value}
            target[key] = value
        else:
            target[key] = draw(json_values)
    if draw(st.booleans()):
        reply = draw(st.sampled_from([reply, [reply], reply.get("data"), "text", 0, None]))
    return reply


def _dumps(tree: Any, ensure_ascii: bool) -> str:
    return json.dumps(tree, ensure_ascii=ensure_ascii, allow_nan=True)


@st.composite
def body_bytes(draw: st.DrawFn, call: str) -> bytes:
    """A mutated sample (then maybe broken as text or bytes), or random bytes."""
    kind = draw(st.sampled_from(["tree", "tree", "tree", "code", "code", "sample", "random",
                                 "huge-number"]))
    if kind == "code":  # a refusal: a catalog code or any other, with an odd message
        tree = json.loads(json.dumps(SAMPLES[call]))
        tree["code"] = draw(st.one_of(st.sampled_from(sorted(CATALOG)), st.integers(-10**6, 10**6),
                                      st.sampled_from(NUMBERS), st.integers().map(str)))
        tree["message"] = draw(st.one_of(json_values, st.sampled_from(EVIL)))
        return _dumps(tree, draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == "random":
        return draw(st.binary(max_size=300))
    if kind == "sample":
        text = (DATA / f"reply_{call}.txt").read_text(encoding="utf-8")
    elif kind == "huge-number":
        digits = "9" * draw(st.sampled_from([20, 400, 5000, 20000]))
        code = draw(st.sampled_from(["0", digits, "-" + digits, "1e999", digits + ".5"]))
        text = f'{{"code":{code},"message":"OK","data":{{"sim":{digits},"live_status":0}}}}'
    else:
        text = _dumps(draw(mutated_tree(call)), draw(st.booleans()))
    edit = draw(st.sampled_from(["none", "none", "trailing-comma", "cut", "raw-control",
                                 "nest-text", "duplicate"]))
    if edit == "trailing-comma":
        text = text.replace("}", ",}", 1).replace("]", ",]", 1)
    elif edit == "cut":
        text = text[: draw(st.integers(0, max(0, len(text) - 1)))]
    elif edit == "raw-control":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(EVIL)) + text[at:]
    elif edit == "nest-text":
        depth = draw(st.sampled_from([50, 1000, 100_000]))
        text = '{"code":0,"data":' + "[" * depth + "]" * depth + "}"
    elif edit == "duplicate":
        text = text.replace("{", '{"code":"x",', 1)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 5)) == 0:  # invalid UTF-8 somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"])) + data[at:]
    return data


@st.composite
def wire_responses(draw: st.DrawFn, call: str) -> WireResponse:
    """One HTTP answer: a status, headers (type, Retry-After, Date) and a body."""
    headers: dict[str, str] = {"Content-Type": draw(st.sampled_from(CONTENT_TYPES))}
    if draw(st.booleans()):
        headers["Retry-After"] = draw(st.one_of(
            st.integers(-10, 10**13).map(str), st.sampled_from(["", "soon", "1e9", "-0", " 5 "]),
            st.integers(0, 4_000_000_000).map(lambda t: formatdate(t, usegmt=True))))
    if draw(st.booleans()):
        headers["Date"] = draw(st.one_of(st.integers(0, 4_000_000_000).map(
            lambda t: formatdate(t, usegmt=True)), st.text(max_size=12)))
    status = draw(st.one_of(st.sampled_from(STATUSES), st.integers(100, 999)))
    return WireResponse(status, headers, draw(body_bytes(call)))


def unsafe(text: str) -> list[str]:
    """Characters a terminal, a log or a label would act on instead of showing."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


class Clock:
    """A fake monotonic clock that the client's sleep advances."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def run_case(call: str, response: WireResponse, video: Path, retries: int = 1) -> str:
    """Send ``call`` against ``response`` (every attempt gets it) and check the outcome.

    Returns the outcome's name ("ok" or the error's class); raises AssertionError when an
    invariant breaks, and lets any unexpected exception through.
    """
    clock = Clock()
    client = Client("https://service.image.myqcloud.com", "1251000000", "AKIDfuzz", "fuzz-key",
                    session=MockTransport(lambda request, body: response),
                    rng=random.Random(5), clock=lambda: 1_700_000_000.0,
                    monotonic=clock, sleep=clock.sleep, retries=retries)
    try:
        result = call_it(client, call, video)
    except KioskError as error:
        assert isinstance(error, ALLOWED), f"{type(error).__name__}: {error}"
        check_error(error)
        return type(error).__name__
    check_result(result)
    return "ok"


def call_it(client: Client, call: str, video: Path) -> Any:
    if call == "livegetfour":
        return client.livegetfour()
    if call == "idcardcompare":
        return client.idcardcompare("11010519491231002X", "王芳", url="http://127.0.0.1/x.jpg")
    if call == "livedetectfour":
        return client.livedetectfour(video, "1357", compare_flag=True,
                                     card=b"\xff\xd8\xff\xe0fake-jpeg")
    return client.idcardlivedetectfour(video, "1357", "11010519491231002X", "王芳")


def check_error(error: KioskError) -> None:
    for lang in ("en", "zh"):
        text = error.text(lang)
        assert text and "\n" not in text and unsafe(text) == [], repr(text)
        assert "Traceback" not in text
    assert len(error.text("en")) + len(error.text("zh")) <= MAX_ERROR_CHARS, error.text("en")
    assert error.fix_en and error.fix_zh, error.text("en")
    if isinstance(error, ServiceError):
        assert isinstance(error.code, int) and abs(error.code) < 2**31
        assert error.entry == lookup(error.code) and error.code != 0
        json.dumps(error.reply, allow_nan=False)


def check_result(result: Any) -> None:
    if isinstance(result, str):  # livegetfour
        assert len(result) == 4 and result.isascii() and result.isdigit(), repr(result)
        return
    assert isinstance(result, CompareResult | LiveResult)
    texts = [result.message] + ([result.session_id] if isinstance(result, CompareResult)
                                else [result.live_msg, result.compare_msg])
    for text in texts:
        assert isinstance(text, str) and unsafe(text) == [] and len(text) <= 200, repr(text)
    result.passed()
    result.problems()
    json.dumps(result.raw, allow_nan=False)  # what `--json` prints
