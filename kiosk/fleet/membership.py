"""This kiosk's place in a fleet: the service's URL, its id and branch (fleet.toml), and its key
(kept like the secret key: the system keyring, else a file only the user can read)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import tomli_w

from kiosk import __version__
from kiosk.config import Paths, SecretStore
from kiosk.config.atomic import write_atomic
from kiosk.config.paths import private_dir
from kiosk.config.secrets import FLEET_ACCOUNT
from kiosk.errors import ConfigError, UsageError
from kiosk.fleet import messages, protocol
from kiosk.fleet.outbox import Outbox

KEY_ACCOUNT = FLEET_ACCOUNT
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Membership:
    """Where to report and as whom."""

    url: str
    kiosk_id: str
    branch: str
    key: str
    heartbeat_s: float = 60.0

    def __repr__(self) -> str:  # never the key
        return f"Membership(url={self.url!r}, kiosk_id={self.kiosk_id!r}, branch={self.branch!r})"


def _file(paths: Paths) -> Path:
    return paths.config_dir / "fleet.toml"


def key_store(paths: Paths, warn: Callable[[str, str], None] | None = None) -> SecretStore:
    """Where the kiosk's fleet key lives; ``warn(en, zh)`` hears that no keyring could take it."""
    return SecretStore(paths.config_dir / "fleet-key.toml", account=KEY_ACCOUNT, warn=warn)


def check_url(url: str) -> str:
    """The service's base URL: HTTPS, or HTTP to this machine only; UsageError otherwise."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return url
    raise UsageError(messages.BAD_URL(url=url))


def load(paths: Paths) -> Membership | None:
    """The membership, or None when this kiosk has not joined (or its key is gone)."""
    try:
        data = tomllib.loads(_file(paths).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    key = key_store(paths).get()
    if not key or not all(isinstance(data.get(k), str) for k in ("url", "kiosk_id", "branch")):
        return None
    return Membership(data["url"], data["kiosk_id"], data["branch"], key,
                      float(data.get("heartbeat_s", 60)))


def save(paths: Paths, member: Membership, warn: Callable[[str, str], None] | None = None) -> None:
    """Write fleet.toml and store the key."""
    key_store(paths, warn).set(member.key)
    private_dir(paths.config_dir)
    write_atomic(_file(paths), tomli_w.dumps({
        "url": member.url, "kiosk_id": member.kiosk_id, "branch": member.branch,
        "heartbeat_s": member.heartbeat_s}).encode())


def join(paths: Paths, url: str, token: str, *, session: Any = None, timeout: float = 15.0,
         warn: Callable[[str, str], None] | None = None) -> Membership:
    """Register with the service using a single-use token; creates the outbox."""
    url = check_url(url)
    session = session or requests.Session()
    try:
        reply = session.post(url + protocol.API + "/join",
                             json={"token": token.strip(), "version": __version__}, timeout=timeout)
    except requests.RequestException as exc:
        raise ConfigError(messages.JOIN_UNREACHABLE(url=url, kind=type(exc).__name__)) from None
    if reply.status_code != 200:
        try:
            reason = str(reply.json().get("reason", reply.status_code))
        except ValueError:
            reason = f"HTTP {reply.status_code}"
        raise ConfigError(messages.JOIN_REFUSED(reason=reason))
    data = reply.json()
    member = Membership(url, str(data["kiosk_id"]), str(data["branch"]), str(data["key"]),
                        float(data.get("heartbeat_s", 60)))
    save(paths, member, warn)
    Outbox(paths.audit_db).create()
    return member
