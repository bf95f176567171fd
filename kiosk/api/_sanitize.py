"""Making what a server sends safe to show: no control characters, a bounded length.

Every string in a reply reaches a terminal (``kiosk code`` prints the digits, errors quote the
server's message), the log, a Qt label and the audit database. A terminal acts on escape
sequences (``ESC [2J`` clears the screen, ``ESC ] 0;...BEL`` retitles the window), a bidi
override (U+202E) reorders what follows it, a line separator breaks the one-line error, and a
lone surrogate (``"\\ud800"`` is legal JSON) cannot even be encoded to UTF-8. So strings are
cleaned once, where replies are parsed, and everything after sees only clean text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from kiosk.api import messages
from kiosk.errors import ProtocolError

# The longest text the document's replies carry is a short message ("account abnormal,errorno
# is:2"); 200 characters hold any real message, in Chinese or English, and still fit an error
# line, a GUI label and an audit column, while a megabyte "message" cannot fill the log.
MAX_TEXT = 200
MAX_KEY = 64
# A reply is two levels deep; 32 leaves room for any extension and stops a reply nested
# 100,000 deep (which makes the parser or the cleaner overflow the stack).
MAX_DEPTH = 32
# Integers beyond 64 bits are no count, status or similarity; they also make json.dumps fail
# (Python refuses to print an int over 4300 digits).
MAX_INT = 2**63
# Fields that carry base64 (a JPEG): kept whole (the transport caps a reply at 16 MB), but only
# their base64 characters.
BASE64_FIELDS = frozenset({"photo", "video_photo"})

_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor, clear screen
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC DCS ...
    r"|\x1b[ -/]*[0-~]?"  # two- and three-byte escapes (ESC c resets the terminal)
)
_SPACES = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
_UNSAFE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
MARK = "\ufffd"  # the replacement character: "something unprintable was here"
_MARKS = re.compile("\ufffd{2,}")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=_-]+")


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """``value`` with line breaks as spaces, each escape sequence or run of control, format,
    surrogate or separator characters as one U+FFFD, at most ``limit`` characters (an ellipsis
    marks a cut).

    The mark, rather than silent removal, shows the operator that the server sent something odd,
    and makes ``"12\x1b[2J34"`` fail the four-digit check instead of passing as ``1234``.
    """
    text = _SPACES.sub(" ", value)
    if not text.isprintable():
        text = _ESCAPES.sub(MARK, text)
        text = "".join(MARK if unicodedata.category(c) in _UNSAFE else c for c in text)
        text = _MARKS.sub(MARK, text)
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_reply(value: Any) -> Any:
    """The parsed reply with every string cleaned, odd numbers nulled, nesting bounded."""
    return _clean(value, 0, "")


def _clean(value: Any, depth: int, key: str) -> Any:
    if isinstance(value, str):
        if key in BASE64_FIELDS:
            return _NOT_BASE64.sub("", value)
        return clean_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if -MAX_INT < value < MAX_INT else None
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    if depth >= MAX_DEPTH:
        raise ProtocolError(messages.REPLY_TOO_DEEP(depth=MAX_DEPTH))
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            name = clean_text(str(k), MAX_KEY)
            out[name] = _clean(v, depth + 1, name)
        return out
    if isinstance(value, list | tuple):
        return [_clean(v, depth + 1, "") for v in value]
    return clean_text(str(value))
