"""What the kiosk takes as the service's address: an http(s) URL with a host name.

The settings check it when a value is set or read (flag, KIOSK_ENDPOINT, file), the API client when
it is built. This module depends on :mod:`kiosk.errors` only, so both layers use the one rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kiosk import core_messages as messages
from kiosk.errors import ConfigError

DEFAULT_ENDPOINT = "https://service.image.myqcloud.com"
# What is wrong with a refused one, for messages of other forms (the settings' "KEY = VALUE refused").
NOT_AN_ENDPOINT = messages.NOT_AN_ENDPOINT


def is_endpoint(url: str) -> bool:
    """True for an http or https URL that names a host."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "http://[::1" and the like
        return False


def endpoint_url(url: str) -> str:
    """``url`` without surrounding blanks or a trailing slash; ConfigError when it is no endpoint."""
    if not is_endpoint(url):
        raise ConfigError(messages.ENDPOINT_REFUSED(url=url, example=DEFAULT_ENDPOINT))
    return url.strip().rstrip("/")


__all__ = ["DEFAULT_ENDPOINT", "NOT_AN_ENDPOINT", "endpoint_url", "is_endpoint"]
