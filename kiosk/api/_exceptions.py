"""The client's own subclasses of the kiosk errors, one per failure a test or a person can tell apart.

Foreign exceptions (requests, urllib3, ssl, socket) become these in ``_transport.py`` only.

    kiosk.errors.TransportError
    ├── ConnectError                 never reached the server: safe to resend anything
    │   ├── RefusedError
    │   ├── DNSError          DNS failure
    │   └── ConnectTimeoutError           also a TimeoutError_
    ├── TimeoutError_
    │   ├── ReadTimeoutError              the server took longer than the read timeout to answer
    │   ├── DeadlineError         the whole request took longer than its overall deadline
    │   └── StalledError          the network took no byte of the body for the stall limit
    ├── TLSError                     certificate or handshake failure
    └── ConnectionLostError               the connection broke after the request started
    kiosk.errors.ProtocolError
    ├── HTTPStatusError              an HTTP error status without a service reply (5xx, 404, ...)
    │   └── RateLimitedError         HTTP 429: the service limits the rate; when to try again
    ├── NotJSONError                 e.g. a captive portal's HTML page
    └── TruncatedError               the body ended before the reply did
    kiosk.errors.RequestRefused      a guard refused before sending: BodyTooLargeError (23),
                                     AnimatedImageError, MissingFieldError
"""

from __future__ import annotations

from kiosk.errors import (
    ConnectError,
    ProtocolError,
    RequestRefused,
    TimeoutError_,
    TransportError,
)
from kiosk.texts import Message


class RefusedError(ConnectError):
    """Nothing listens at the endpoint's address and port."""


class DNSError(ConnectError):
    """The endpoint's host name could not be resolved (DNS)."""


class ConnectTimeoutError(ConnectError, TimeoutError_):
    """No connection within the connect timeout; the server never saw the request."""


class ReadTimeoutError(TimeoutError_):
    """The server did not answer within the read timeout."""


class DeadlineError(TimeoutError_):
    """The request as a whole took longer than its overall deadline (a trickling transfer)."""


class StalledError(TimeoutError_):
    """No byte of the upload was taken by the network for the stall limit: the link is dead,
    not slow. The outcome is unknown as after any timeout, so an upload is not resent."""


class ConnectionLostError(TransportError):
    """The connection broke after the request was (partly) sent; the outcome is unknown."""


class HTTPStatusError(ProtocolError):
    """The server answered with an HTTP error status and no service reply."""

    def __init__(self, status: int, en: str | Message, zh: str | None = None, *,
                 fix_en: str = "", fix_zh: str = "") -> None:
        super().__init__(en, zh, fix_en=fix_en, fix_zh=fix_zh)
        self.status = status


class RateLimitedError(HTTPStatusError):
    """HTTP 429: the service is limiting the rate; ``retry_after`` is its Retry-After in seconds
    (bounded), None when it gave none or none that could be read."""

    def __init__(self, message: Message, *, retry_after: float | None) -> None:
        super().__init__(429, message)
        self.retry_after = retry_after


class NotJSONError(ProtocolError):
    """The body is not JSON at all (an HTML page from a captive portal or proxy, ...)."""


class TruncatedError(ProtocolError):
    """The body ended early: shorter than its Content-Length, or JSON cut off."""


class BodyTooLargeError(RequestRefused):
    """The exact request body would be over the 6 MB limit (the service answers 23)."""


class AnimatedImageError(RequestRefused):
    """A GIF or another animated image, which the service does not accept."""


class MissingFieldError(RequestRefused):
    """A required field is empty; ``code`` is the refusal the service would give."""
