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
from kiosk.config.atomic import write_atomic
from kiosk.config.paths import private_dir
from kiosk.errors import ConfigError

_WHAT = ("secret file", "密钥文件")
SERVICE = "face-kiosk"
ACCOUNT = "secret_key"

log = logging.getLogger("kiosk.config.secrets")

FILE_WARNING_EN = ("no usable system keyring: the secret key is kept in {path}, readable only by "
                   "this user (0600); install and unlock a keyring (Secret Service, KWallet, "
                   "Windows Credential Manager, macOS Keychain) to keep it there instead")
FILE_WARNING_ZH = "没有可用的系统密钥环：SecretKey 保存在 {path}（仅当前用户可读，0600）；建议安装并解锁系统密钥环"


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
    ) -> None:
        self.secret_file = secret_file
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
                value = self._backend.get_password(SERVICE, ACCOUNT)
            except keyring.errors.KeyringError as exc:
                raise _keyring_error("read", exc) from None
            if value:
                return str(value)
        return self._read_file()

    def set(self, value: str) -> str:
        """Store ``value``; returns where it went. Falls back to the file if the keyring fails."""
        if self._backend is not None:
            try:
                self._backend.set_password(SERVICE, ACCOUNT, value)
            except keyring.errors.KeyringError as exc:
                log.warning("keyring refused the secret (%s); using the file instead",
                            type(exc).__name__)
            else:
                self._delete_file()  # one copy only
                return self.location()
        created = not self.secret_file.exists()
        self._write_file(value)
        if created:  # the one-time warning: the file exists from now on
            self._warn(FILE_WARNING_EN.format(path=self.secret_file),
                       FILE_WARNING_ZH.format(path=self.secret_file))
        return f"file: {self.secret_file}"

    def delete(self) -> None:
        """Remove the secret from the keyring and the file."""
        if self._backend is not None:
            try:
                self._backend.delete_password(SERVICE, ACCOUNT)
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as exc:
                raise _keyring_error("delete", exc) from None
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
            raise ConfigError(
                f"the secret file {path} cannot be read ({type(exc).__name__}: {exc})",
                f"无法读取密钥文件 {path}（{exc}）",
                fix_en="store the key again with 'kiosk config set secret_key -'",
                fix_zh="请用 'kiosk config set secret_key -' 重新保存密钥",
            ) from None
        value = data.get(ACCOUNT)
        return str(value) if value else None

    def _write_file(self, value: str) -> None:
        path = self.secret_file
        if path.is_symlink():  # replacing it would silently cut the link: say so instead
            raise _refused(inputs.FileRefused(path, "link", _WHAT))
        private_dir(path.parent)
        write_atomic(path, tomli_w.dumps({ACCOUNT: value}).encode("utf-8"))

    def _delete_file(self) -> None:
        self.secret_file.unlink(missing_ok=True)


def _refused(exc: inputs.FileRefused) -> ConfigError:
    """The secret file is not an ordinary file of its own: why, and what to do."""
    path = exc.path
    if exc.reason == "link":
        return ConfigError(
            f"the secret file {path} is a symbolic link; the kiosk does not follow it, because "
            "making the secret private (0600) would change the permissions of the file it points to",
            f"密钥文件 {path} 是符号链接；程序不会跟随它，因为把密钥设为仅本人可读（0600）会改变链接所指文件的权限",
            fix_en=f"put the file itself at {path} (move the link's target there), or remove the "
            "link and store the key again with 'kiosk config set secret_key -'",
            fix_zh=f"请把文件本身放在 {path}（将链接所指的文件移到该处），或删除该链接后用 "
            "'kiosk config set secret_key -' 重新保存密钥",
        )
    return ConfigError(exc.en, exc.zh,
                       fix_en="remove it and store the key again with 'kiosk config set secret_key -'",
                       fix_zh="请删除它，并用 'kiosk config set secret_key -' 重新保存密钥")


def _keyring_error(action: str, exc: Exception) -> ConfigError:
    return ConfigError(
        f"the system keyring could not {action} the secret key ({type(exc).__name__})",
        "系统密钥环无法" + ("读取" if action == "read" else "删除") + "SecretKey",
        fix_en="unlock the keyring (log in to the desktop session) or set KIOSK_SECRET_KEY",
        fix_zh="请解锁系统密钥环（登录桌面会话）或设置环境变量 KIOSK_SECRET_KEY",
    )
