"""The kiosk's one exception hierarchy.

Every failure a person or operator can meet is one of these, carrying a message in Chinese and
English and what to do about it. The CLI prints ``error: <what> — <what to do>`` from them and
exits with ``exit_code``; the GUI shows the same two texts. Foreign exceptions (requests, OSError,
PortAudioError, ...) are mapped to these at the one place each package talks to the outside.

    KioskError                       exit 2 unless said otherwise
    ├── UsageError                   bad flag or argument
    ├── ConfigError                  missing credentials, bad settings file, bad value
    ├── InputError                   unreadable, missing or wrong-kind input file
    ├── ApiError                     anything from talking to the service
    │   ├── TransportError           the request may not have reached the server
    │   │   ├── ConnectError         connection refused, DNS failure (never reached the server)
    │   │   ├── TimeoutError_        connect or read timeout, overall deadline
    │   │   └── TLSError             certificate or handshake failure
    │   ├── ProtocolError            HTTP 5xx, body not JSON, truncated body
    │   ├── RequestRefused           exit 1: a guard predicted a refusal, nothing was sent (23, GIF)
    │   └── ServiceError             exit 1: the service answered with a non-zero code
    ├── MediaError                   cameras, microphones, ffmpeg, disk
    ├── NotRecorded                  a verdict's audit row reached neither the log nor its journal
    └── Cancelled                    exit 1: the person or operator cancelled
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from kiosk import core_messages as messages
from kiosk.texts import Message


class KioskError(Exception):
    """Base of every kiosk error: two languages, a fix, an exit status.

    Raised with a catalog message (``MediaError(messages.NO_PICTURE(seconds=5))``), which gives
    the four texts and keeps its id and parameters, or with the texts themselves.
    """

    exit_code = 2

    def __init__(
        self,
        en: str | Message,
        zh: str | None = None,
        *,
        fix_en: str = "",
        fix_zh: str = "",
        code: int | None = None,
    ) -> None:
        self.msg_id = ""
        self.params: Mapping[str, Any] = {}
        if isinstance(en, Message):
            message = en
            self.msg_id, self.params = message.id, message.params
            en, zh, fix_en, fix_zh = message.en, message.zh, message.fix_en, message.fix_zh
        super().__init__(en)
        self.en = en
        self.zh = zh or en
        self.fix_en = fix_en
        self.fix_zh = fix_zh or fix_en
        self.code = code

    def text(self, lang: str = "en") -> str:
        """One line: what went wrong — what to do."""
        what, fix = (self.zh, self.fix_zh) if lang == "zh" else (self.en, self.fix_en)
        return f"{what} — {fix}" if fix else what

    def __str__(self) -> str:
        return self.text("en")


class UsageError(KioskError):
    """A flag or argument is wrong."""


class ConfigError(KioskError):
    """Configuration is missing or invalid (credentials, endpoint, settings file)."""


class InputError(KioskError):
    """An input file is missing, unreadable or of the wrong kind."""


class ApiError(KioskError):
    """Base for failures talking to the service."""

    attempts: int = 1  # how many times kiosk.api.Client tried before giving up


class TransportError(ApiError):
    """The network failed; the request may not have reached the server."""


class ConnectError(TransportError):
    """The connection could not be made (refused, DNS): the server never saw the request."""


class TimeoutError_(TransportError):  # noqa: N801 - avoid shadowing the builtin
    """A connect or read timeout, or the overall deadline, passed."""


class TLSError(TransportError):
    """The TLS handshake or certificate check failed."""


class ProtocolError(ApiError):
    """The server answered, but not with a readable reply (5xx, not JSON, truncated)."""


class RequestRefused(ApiError):
    """A guard refused the request before sending it; ``code`` is the refusal it predicts."""

    exit_code = 1


class ServiceError(ApiError):
    """The service answered with a non-zero code; ``entry`` is its catalog entry.

    Exit 1 when the code is a "no" the person can change (liveness, comparison, the details
    given); exit 2 when no verdict was made (the service's trouble, configuration, signature,
    a staff matter): the CLI's three outcomes, as the GUI shows them (docs/outcomes.md).
    """

    exit_code = 1

    def __init__(self, code: int, message: str, entry: Any, reply: Any = None) -> None:
        super().__init__(messages.SERVICE_REFUSED(code=code, entry=entry, message=message),
                         code=code)
        self.exit_code = 1 if getattr(entry, "person_can_fix", True) else 2
        self.server_message = message
        self.entry = entry
        self.reply = reply


class MediaError(KioskError):
    """A camera, microphone, ffmpeg or the disk failed during capture or encoding."""


class NotRecorded(KioskError):
    """A verdict stands but its audit row could be written nowhere (database and journal failed).

    Raised after the verdict is known and shown beside it, never instead of it; exit status 2.
    ``why`` is a Message, or the reason's texts (English, and Chinese when it differs).
    """

    def __init__(self, why_en: str | Message = "", why_zh: str = "") -> None:
        why = (why_en if isinstance(why_en, Message)
               else SimpleNamespace(en=why_en, zh=why_zh or why_en))
        super().__init__(messages.NOT_RECORDED_BECAUSE(why=why) if why.en
                         else messages.NOT_RECORDED())


class Cancelled(KioskError):
    """The person or operator cancelled."""

    exit_code = 1

    def __init__(self, en: str | Message = "", zh: str = "") -> None:
        if isinstance(en, Message):
            super().__init__(en)
        else:
            said = messages.CANCELLED()
            super().__init__(en or said.en, zh or said.zh)
