"""The operator panel's view of kiosk.config: read values, validate and save changes, check the PIN."""

from __future__ import annotations

from typing import Any

from kiosk.config import schema
from kiosk.config.pin import verify_pin
from kiosk.config.store import Settings

SHOWN = ("mode", "camera", "mic", "endpoint", "appid", "secret_id", "idle_timeout", "language",
         "threshold", "clip_seconds", "clip_format", "bucket")


class StoredSettings:
    """SettingsPort over kiosk.config.store.Settings (flags > KIOSK_* > file > defaults)."""

    def __init__(self, settings: Settings) -> None:
        self._s = settings

    def values(self) -> dict[str, Any]:
        """The effective values; the secret key only as ``has_secret_key``."""
        out = {k: self._s.get(k) for k in SHOWN}
        out["has_secret_key"] = bool(self._s.get("secret_key"))
        return out

    def get(self, key: str) -> Any:
        """One effective value."""
        return self._s.get(key)

    def value(self, key: str) -> Any:
        """One effective value, never the secret key (values() asks the keyring; this does not)."""
        if key == "secret_key":
            raise KeyError("the secret key is never read through the GUI's settings")
        return self._s.get(key)

    def save(self, changes: dict[str, str]) -> None:
        """Validate every value, then store them all in one write (a refusal stores nothing).

        An empty text removes a plain setting from the file (its default applies again); the
        secret key and the PIN are only ever replaced, never emptied from here.
        """
        todo: dict[str, str | None] = {}
        for key, text in changes.items():
            if key in ("secret_key", "operator_pin"):
                if text:
                    todo[key] = text
            elif str(self._s.get(key)) != text:
                todo[key] = None if text == "" and schema.find(key).kind == "str" else text
        if todo:
            self._s.update(todo)

    def has_pin(self) -> bool:
        """Whether an operator PIN is set (in the file or KIOSK_OPERATOR_PIN)."""
        return bool(self._s.get("operator_pin"))

    def check_pin(self, pin: str) -> bool:
        """Constant-time check against the stored hash."""
        return bool(pin) and verify_pin(pin, str(self._s.get("operator_pin") or ""))
