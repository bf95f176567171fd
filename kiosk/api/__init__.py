"""The v1 face-verification API: signed calls, lenient replies, typed results, honest errors.

No Qt, no capture, no files but the ones it is given. The public surface is what ``__all__``
lists; the modules starting with ``_`` are private. ``codes``, ``signature`` and ``limits`` are
public modules of their own (the emulator and the checks share them).
"""

from kiosk.api._client import Client, Progress, Reply
from kiosk.api._exceptions import (
    AnimatedImageError,
    BodyTooLargeError,
    ConnectionLostError,
    ConnectTimeoutError,
    DeadlineError,
    DNSError,
    HTTPStatusError,
    MissingFieldError,
    NotJSONError,
    RateLimitedError,
    ReadTimeoutError,
    RefusedError,
    StalledError,
    TruncatedError,
)
from kiosk.api._replies import CompareResult, LiveResult, four_digits, is_four_digits, parse_reply
from kiosk.api._requests import ApiRequest, measure
from kiosk.api._retry import Backoff, may_retry, retry_after
from kiosk.api._transport import (
    Deadline,
    MockTransport,
    RequestsTransport,
    Transport,
    WireRequest,
    WireResponse,
)
from kiosk.api.codes import CATALOG, Category, CodeEntry, lookup
from kiosk.api.limits import DEFAULT_THRESHOLD, MAX_BODY_BYTES, STRICT_THRESHOLD
from kiosk.images import image_kind, is_animated  # the one judgement, shared with kiosk.checks

__all__ = [
    "AnimatedImageError",
    "ApiRequest",
    "Backoff",
    "BodyTooLargeError",
    "CATALOG",
    "Category",
    "Client",
    "CodeEntry",
    "CompareResult",
    "ConnectTimeoutError",
    "ConnectionLostError",
    "RefusedError",
    "StalledError",
    "DEFAULT_THRESHOLD",
    "Deadline",
    "DeadlineError",
    "HTTPStatusError",
    "LiveResult",
    "MAX_BODY_BYTES",
    "MissingFieldError",
    "MockTransport",
    "DNSError",
    "NotJSONError",
    "Progress",
    "RateLimitedError",
    "ReadTimeoutError",
    "Reply",
    "RequestsTransport",
    "STRICT_THRESHOLD",
    "Transport",
    "TruncatedError",
    "WireRequest",
    "WireResponse",
    "four_digits",
    "image_kind",
    "is_four_digits",
    "is_animated",
    "lookup",
    "may_retry",
    "measure",
    "parse_reply",
    "retry_after",
]
