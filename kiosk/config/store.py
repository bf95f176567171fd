"""The settings file (TOML) and how a value is found: flag, then KIOSK_* variable, then file."""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import tomli_w

from kiosk import inputs
from kiosk.config import messages, schema
from kiosk.config.atomic import write_atomic
from kiosk.config.paths import Paths, private_dir
from kiosk.config.pin import hash_pin, is_hashed
from kiosk.config.secrets import SecretStore
from kiosk.errors import ConfigError
from kiosk.texts import Message

log = logging.getLogger("kiosk.config")
_WHAT = (messages.SETTINGS_FILE.en, messages.SETTINGS_FILE.zh)

_THRESHOLDS = "thresholds"


class SettingsFile:
    """The TOML file: read strictly (a damaged file is reported, never replaced), written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Any]:
        """Every stored value by key (``thresholds.NAME`` for overrides); {} when there is no file."""
        try:  # a pipe or a device in its place is refused at once (kiosk.inputs)
            raw = inputs.read_input(self.path, limit=inputs.SETTINGS_LIMIT, what=_WHAT)
            text = raw.decode("utf-8")
        except inputs.FileRefused as exc:
            if exc.reason == "missing":
                return {}
            fix = messages.MOVE_ODD_SETTINGS_FILE()  # the refusal says what is wrong
            raise ConfigError(exc.en, exc.zh, fix_en=fix.en, fix_zh=fix.zh) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(messages.SETTINGS_UNREADABLE(
                where=self._where(None), kind=type(exc).__name__)) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            # The message names the line and column ("... (at line 3, column 7)").
            at = _line_of(str(exc)) or max(1, len(text.splitlines()))  # "at end of document"
            raise ConfigError(messages.SETTINGS_NOT_TOML(where=self._where(at), error=exc)) from None
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key == _THRESHOLDS and isinstance(value, dict):
                flat.update({f"{schema.THRESHOLD_PREFIX}{k}": v for k, v in value.items()})
            else:
                flat[key] = value
        values: dict[str, Any] = {}
        for key, value in flat.items():
            line = _find_line(text, key)
            if key == "secret_key":
                raise ConfigError(messages.SETTINGS_HOLD_SECRET(where=self._where(line)))
            try:
                setting = schema.find(key)
            except ConfigError:
                log.warning("settings file %s: unknown key %r ignored", self.path, key)
                continue
            if setting.hashed:
                if not isinstance(value, str) or not is_hashed(value):
                    raise ConfigError(messages.SETTINGS_NOT_A_HASH(where=self._where(line), key=key))
                values[key] = value
                continue
            try:
                values[key] = setting.parse(value)
            except ConfigError as exc:
                raise ConfigError(messages.SETTINGS_BAD_VALUE(where=self._where(line),
                                                              error=exc)) from None
        return values

    def save(self, values: Mapping[str, Any]) -> None:
        """Write ``values`` atomically (temporary file, then rename), readable by the user only."""
        top = {k: v for k, v in sorted(values.items()) if not k.startswith(schema.THRESHOLD_PREFIX)}
        thresholds = {k[len(schema.THRESHOLD_PREFIX):]: v for k, v in sorted(values.items())
                      if k.startswith(schema.THRESHOLD_PREFIX)}
        doc: dict[str, Any] = dict(top)
        if thresholds:
            doc[_THRESHOLDS] = thresholds
        private_dir(self.path.parent)
        text = "# kiosk settings: edit with 'kiosk config set KEY VALUE'\n" + tomli_w.dumps(doc)
        write_atomic(self.path, text.encode("utf-8"))

    def _where(self, line: int | None) -> Message | SimpleNamespace:
        """The file, and the line when known: ``{where}`` of the messages about a damaged file."""
        if line:
            return messages.AT_LINE(path=self.path, line=line)
        return SimpleNamespace(en=str(self.path), zh=str(self.path))


def _line_of(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def _find_line(text: str, key: str) -> int | None:
    bare = key.split(".")[-1]
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(bare)}\s*=", line):
            return number
    return None


@dataclass(frozen=True)
class Resolved:
    """A setting's value and where it came from (flag, env, file, keyring, secret file, default)."""

    key: str
    value: Any
    source: str
    secret: bool = False


class Settings:
    """The effective settings: flags win over KIOSK_* variables, which win over the file."""

    def __init__(
        self,
        paths: Paths,
        *,
        flags: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        secrets: SecretStore | None = None,
    ) -> None:
        self.paths = paths
        self.file = SettingsFile(paths.settings_file)
        self.flags = {k: v for k, v in (flags or {}).items() if v not in (None, "")}
        self.env = os.environ if env is None else env
        self.secrets = secrets or SecretStore(paths.secret_file)
        self._stored: dict[str, Any] | None = None

    def stored(self) -> dict[str, Any]:
        """The file's values (read once)."""
        if self._stored is None:
            self._stored = self.file.load()
        return self._stored

    def resolve(self, key: str) -> Resolved:
        """The value of ``key`` and its source; ConfigError when a flag or variable is invalid."""
        setting = schema.find(key)
        key = setting.key
        if setting.dest in self.flags:
            return Resolved(key, _parse_override(setting, self.flags[setting.dest], setting.flag),
                            "flag", setting.secret)
        env = self.env.get(setting.env)
        if env not in (None, ""):
            return Resolved(key, _parse_override(setting, env, setting.env), "env", setting.secret)
        if key == "secret_key":
            value = self.secrets.get()
            where = "keyring" if self.secrets.uses_keyring and value else "secret file"
            return Resolved(key, value or "", where if value else "default", True)
        stored = self.stored()
        if key in stored:
            return Resolved(key, stored[key], "file", setting.secret)
        return Resolved(key, setting.default, "default", setting.secret)

    def get(self, key: str) -> Any:
        """The effective value of ``key``."""
        return self.resolve(key).value

    def all(self) -> list[Resolved]:
        """Every declared setting, then every threshold override in use."""
        keys = [s.key for s in schema.SETTINGS]
        extra = {k for k in self.stored() if k.startswith(schema.THRESHOLD_PREFIX)}
        extra |= {f"{schema.THRESHOLD_PREFIX}{name}" for name in schema.threshold_names()
                  if self.env.get(f"KIOSK_THRESHOLDS_{name.upper()}")}
        return [self.resolve(k) for k in keys + sorted(extra)]

    def threshold_overrides(self) -> dict[str, float]:
        """Overrides of kiosk.checks.thresholds constants, by upper-case constant name."""
        return {r.key[len(schema.THRESHOLD_PREFIX):].upper(): float(r.value) for r in self.all()
                if r.key.startswith(schema.THRESHOLD_PREFIX) and r.source != "default"}

    def assign(self, key: str, text: str) -> str:
        """Validate and store ``key``; returns where it was stored. Secrets never reach the file."""
        setting = schema.find(key)
        value = setting.parse(text)
        if setting.key == "secret_key":
            return self.secrets.set(value)
        stored = dict(self.stored())
        stored[setting.key] = hash_pin(value) if setting.hashed else value
        self.file.save(stored)
        self._stored = stored
        return str(self.file.path)

    def update(self, changes: Mapping[str, str | None]) -> None:
        """Store several values at once: all are validated first, then the file is written once.

        None removes a key from the file. A refusal (ConfigError) leaves everything as it was; the
        secret key goes to its own store after the file.
        """
        parsed: dict[str, Any] = {}
        for key, text in changes.items():
            setting = schema.find(key)
            parsed[setting.key] = None if text is None else setting.parse(text)
        has_secret = "secret_key" in parsed
        secret = parsed.pop("secret_key", None)
        stored = dict(self.stored())
        for key, value in parsed.items():
            if value is None:
                stored.pop(key, None)
            else:
                stored[key] = hash_pin(value) if schema.find(key).hashed else value
        if stored != self.stored():
            self.file.save(stored)
            self._stored = stored
        if has_secret:
            if secret is None:
                self.secrets.delete()
            else:
                self.secrets.set(secret)

    def unset(self, key: str) -> bool:
        """Remove ``key`` from the file (or the secret store); True when something was removed."""
        setting = schema.find(key)
        if setting.key == "secret_key":
            had = self.secrets.get() is not None
            self.secrets.delete()
            return had
        stored = dict(self.stored())
        if setting.key not in stored:
            return False
        del stored[setting.key]
        self.file.save(stored)
        self._stored = stored
        return True


def _parse_override(setting: schema.Setting, raw: Any, origin: str) -> Any:
    try:
        return setting.parse(raw)
    except ConfigError as exc:
        exc.en = f"{origin}: {exc.en}"
        exc.zh = f"{origin}：{exc.zh}"
        exc.args = (exc.en,)
        raise

