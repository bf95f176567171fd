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
        """Check every value first, so a refusal leaves nothing half-saved; then store them."""
        current = self.values()
        todo = {k: v for k, v in changes.items()
                if k in ("secret_key", "operator_pin") or str(current.get(k, "")) != v}
        for key, text in todo.items():
            setting = schema.find(key)
            if not (text == "" and not setting.secret and setting.kind == "str"):
                setting.parse(text)
        for key, text in todo.items():
            if text == "" and key not in ("secret_key", "operator_pin"):
                self._s.unset(key)
            else:
                self._s.assign(key, text)

    def has_pin(self) -> bool:
        """Whether an operator PIN is set (in the file or KIOSK_OPERATOR_PIN)."""
        return bool(self._s.get("operator_pin"))

    def check_pin(self, pin: str) -> bool:
        """Constant-time check against the stored hash."""
        return bool(pin) and verify_pin(pin, str(self._s.get("operator_pin") or ""))
