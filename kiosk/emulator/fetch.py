"""Fetching the ``url`` of idcardcompare: only from this machine, so tests never leave loopback.

The real service downloads any URL; the emulator fetches only http(s) URLs whose host is a
loopback address (``127.0.0.0/8``, ``::1``, ``localhost``) and reads ``registry:<ID number>``
as the enrolled portrait of that number. Anything else fails as the service's failed download
(-5805), without a DNS lookup or a connection.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from kiosk.emulator.store import Store

FETCH_TIMEOUT_S = 5.0
REGISTRY_SCHEME = "registry"


class FetchError(Exception):
    """The URL was not fetched (refused, unreachable, not 200, too large)."""


def is_loopback_host(host: str | None) -> bool:
    """True for ``localhost`` and loopback IP literals; no name is ever resolved."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_fetcher(store: Store, *, limit: int) -> Callable[[str], bytes]:
    """A function fetching a URL's bytes by the rules above; raises FetchError."""

    def fetch(url: str) -> bytes:
        try:
            return fetch_checked(url)
        except ValueError as exc:  # "http://[::1", a port of 99999...: the client's URL
            raise FetchError(f"not a valid URL ({str(exc)[:80]})") from exc

    def fetch_checked(url: str) -> bytes:
        parts = urlsplit(url.strip())
        if parts.scheme == REGISTRY_SCHEME:
            person = store.person(parts.path or parts.netloc)
            if person is None:
                raise FetchError("no enrolled person with that ID number")
            return person.photo
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"scheme {parts.scheme!r} is not fetched")
        if not is_loopback_host(parts.hostname):
            raise FetchError("the emulator fetches only loopback addresses")
        with requests.Session() as session:
            session.trust_env = False  # no proxy from the environment for a loopback fetch
            try:
                with session.get(url, timeout=FETCH_TIMEOUT_S, stream=True,
                                 allow_redirects=False) as reply:
                    if reply.status_code != 200:
                        raise FetchError(f"HTTP {reply.status_code}")
                    data = bytearray()
                    for chunk in reply.iter_content(64 * 1024):
                        data += chunk
                        if len(data) > limit:
                            raise FetchError("the image is larger than the body limit")
                    return bytes(data)
            except requests.RequestException as exc:
                raise FetchError(type(exc).__name__) from exc

    return fetch
