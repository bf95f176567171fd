"""The secret key: in the system keyring when one works, else in a file only the user can read."""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import tomli_w

from kiosk import inputs
from kiosk.config import messages
from kiosk.config.atomic import write_atomic
from kiosk.config.paths import private_dir
from kiosk.errors import ConfigError

_WHAT = (messages.SECRET_FILE.en, messages.SECRET_FILE.zh)
SERVICE = "face-kiosk"
ACCOUNT = "secret_key"
FLEET_ACCOUNT = "fleet_key"
# The one-time "kept in a file" warning names the secret it is about.
_IN_FILE = {ACCOUNT: messages.SECRET_IN_FILE, FLEET_ACCOUNT: messages.FLEET_KEY_IN_FILE}

log = logging.getLogger("kiosk.config.secrets")


def usable_keyring(backend: Any = None) -> Any | None:
    """The keyring backend to use, or None when only the fail/null/empty-chainer ones exist."""
    from keyring.backends import chainer, fail, null

    kr = backend if backend is not None else keyring.get_keyring()
    if isinstance(kr, fail.Keyring | null.Keyring):
        return None
    if isinstance(kr, chainer.ChainerBackend) and not kr.backends:
        return None
    return kr


class SecretStore:
    """Get, set and delete the secret key; never logs or shows its value."""

    def __init__(
        self,
        secret_file: Path,
        *,
        backend: Any = None,
        warn: Callable[[str, str], None] | None = None,
        account: str = ACCOUNT,
    ) -> None:
        self.secret_file = secret_file
        self.account = account  # another secret kept the same way: the fleet key (kiosk.fleet)
        self._backend = usable_keyring(backend)
        self._warn = warn or (lambda en, zh: log.warning("%s", en))

    @property
    def uses_keyring(self) -> bool:
        """True when the keyring, not the file, holds new secrets."""
        return self._backend is not None

    def location(self) -> str:
        """Where the secret lives, for ``kiosk config path`` (never the value)."""
        if self._backend is not None:
            return f"keyring: {type(self._backend).__module__}.{type(self._backend).__name__}"
        return f"file: {self.secret_file}"

    def get(self) -> str | None:
        """The stored secret key, or None."""
        if self._backend is not None:
            try:
                value = self._backend.get_password(SERVICE, self.account)
            except keyring.errors.KeyringError as exc:
                raise ConfigError(messages.KEYRING_CANNOT_READ(kind=type(exc).__name__)) from None
            if value:
                return str(value)
        return self._read_file()

    def set(self, value: str) -> str:
        """Store ``value``; returns where it went. Falls back to the file if the keyring fails."""
        if self._backend is not None:
            try:
                self._backend.set_password(SERVICE, self.account, value)
            except keyring.errors.KeyringError as exc:
                log.warning("keyring refused the secret (%s); using the file instead",
                            type(exc).__name__)
            else:
                self._delete_file()  # one copy only
                return self.location()
        created = not self.secret_file.exists()
        self._write_file(value)
        if created:  # the one-time warning: the file exists from now on
            warning = _IN_FILE.get(self.account, messages.SECRET_IN_FILE)(path=self.secret_file)
            self._warn(warning.en, warning.zh)
        return f"file: {self.secret_file}"

    def delete(self) -> None:
        """Remove the secret from the keyring and the file."""
        if self._backend is not None:
            try:
                self._backend.delete_password(SERVICE, self.account)
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as exc:
                raise ConfigError(messages.KEYRING_CANNOT_DELETE(kind=type(exc).__name__)) from None
        self._delete_file()

    def _read_file(self) -> str | None:
        path = self.secret_file
        try:
            # Never through a link (O_NOFOLLOW): tightening the mode would change its target.
            with inputs.open_input(path, limit=inputs.SECRET_LIMIT, what=_WHAT,
                                   follow_links=False) as opened:
                mode = opened.mode & 0o777
                if os.name == "posix" and mode & 0o077:
                    os.fchmod(opened.fd, 0o600)  # someone loosened it: tighten the file we hold
                    log.warning("secret file %s was readable by others (mode %o); set to 0600",
                                path, mode)
                raw = opened.read()
            data = tomllib.loads(raw.decode("utf-8"))
        except inputs.FileRefused as exc:
            if exc.reason == "missing":
                return None
            raise _refused(exc) from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            # The message of TOMLDecodeError quotes no content, only a position: safe to show.
            raise ConfigError(messages.SECRET_FILE_UNREADABLE(
                path=path, kind=type(exc).__name__, error=exc)) from None
        value = data.get(self.account)
        return str(value) if value else None

    def _write_file(self, value: str) -> None:
        path = self.secret_file
        if path.is_symlink():  # replacing it would silently cut the link: say so instead
            raise _refused(inputs.FileRefused(path, "link", _WHAT))
        private_dir(path.parent)
        write_atomic(path, tomli_w.dumps({self.account: value}).encode("utf-8"))

    def _delete_file(self) -> None:
        self.secret_file.unlink(missing_ok=True)


def _refused(exc: inputs.FileRefused) -> ConfigError:
    """The secret file is not an ordinary file of its own: why, and what to do."""
    path = exc.path
    if exc.reason == "link":
        return ConfigError(messages.SECRET_FILE_IS_LINK(path=path))
    fix = messages.REMOVE_SECRET_FILE()  # the refusal says what is wrong
    return ConfigError(exc.en, exc.zh, fix_en=fix.en, fix_zh=fix.zh)
