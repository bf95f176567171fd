"""Settings (TOML), the secret key, the private session workspace, the audit log, log setup.

Nothing here is global: build a :class:`Paths` (``Paths.default()`` for the user's folders) and
pass it, or objects made from it, to whoever needs them.
"""

from kiosk.config.audit import AuditLog, AuditRecord, StepTimer
from kiosk.config.masking import Redactor, mask_id, mask_name
from kiosk.config.paths import Paths
from kiosk.config.pin import hash_pin, verify_pin
from kiosk.config.schema import SETTINGS, Setting
from kiosk.config.secrets import SecretStore
from kiosk.config.store import Resolved, Settings, SettingsFile
from kiosk.config.workspace import Workspace

__all__ = [
    "SETTINGS",
    "AuditLog",
    "AuditRecord",
    "Paths",
    "Redactor",
    "Resolved",
    "SecretStore",
    "Setting",
    "Settings",
    "SettingsFile",
    "StepTimer",
    "Workspace",
    "hash_pin",
    "mask_id",
    "mask_name",
    "verify_pin",
]
