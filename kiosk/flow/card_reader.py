"""The ID-card reader plug-in: one call gives the name and ID number on the card (docs/card-reader.md).

Real readers come with vendor SDKs, so the kiosk ships none: the ``card_reader`` setting names a
factory, ``module:factory``, that builds an object with ``read()``. ``sim`` is a built-in
simulated reader for tests and demos. A reader's failures reach the person as CardReaderError
in plain words (no card, reader unplugged, timed out); any other exception from a vendor's code
becomes "the card reader failed", its type logged and nothing of the card.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

from kiosk import inputs
from kiosk.checks.idcard import normalize_id_number, normalize_name
from kiosk.errors import ConfigError, KioskError
from kiosk.flow import messages
from kiosk.texts import Text

log = logging.getLogger("kiosk.flow")

SAMPLE_ID = "11010519491231002X"  # the emulator's sample person (assets/, docs/emulator.md)
SIM = "sim"
_FACTORY = re.compile(r"(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):(?P<factory>[A-Za-z_]\w*)")
CARD_FILE_LIMIT = 64 * 1024  # a simulated card's JSON file: a few lines


class Card(NamedTuple):
    """What a reader gives: the ID number (18 characters) and the name, as printed on the card."""

    id_number: str
    name: str


@runtime_checkable
class CardReader(Protocol):
    """The plug-in interface: one blocking call per card, made off the GUI thread, one at a time.

    ``read()`` returns (id_number, name) — a Card or any 2-tuple of strings — within about
    10 seconds, or raises CardReaderError (``CardReaderError.no_card()``, ``.unplugged()``,
    ``.timed_out()``). Anything else it raises is shown as "the card reader failed".
    """

    def read(self) -> tuple[str, str]: ...


class CardReaderError(KioskError):
    """A card could not be read: the message says why in plain words and what to do."""

    @classmethod
    def no_card(cls) -> CardReaderError:
        """No card on the reader (or it was taken away while being read)."""
        return cls(messages.CARD_NONE())

    @classmethod
    def unplugged(cls) -> CardReaderError:
        """The reader is not connected or not powered."""
        return cls(messages.CARD_READER_UNPLUGGED())

    @classmethod
    def timed_out(cls) -> CardReaderError:
        """The reader did not answer in time."""
        return cls(messages.CARD_READ_TIMED_OUT())

    @classmethod
    def failed(cls) -> CardReaderError:
        """Anything else: the card or the reader could not be used."""
        return cls(messages.CARD_READ_FAILED())


# The failures a simulated reader can be told to play: ``sim:no_card`` and so on.
SIM_ERRORS: dict[str, Callable[[], CardReaderError]] = {
    "no_card": CardReaderError.no_card, "unplugged": CardReaderError.unplugged,
    "timeout": CardReaderError.timed_out, "failed": CardReaderError.failed,
}


class SimulatedReader:
    """A reader for tests and demos: a fixed card, a JSON file read at each call, or a failure.

    The file (``{"id_number": ..., "name": ...}`` or ``{"error": "no_card"}``) is read at every
    call, so a demo can change the card on the reader while the kiosk runs; no file is no card.
    """

    def __init__(self, card: Card | None = None, *, file: Path | None = None,
                 error: str = "") -> None:
        self.card = card
        self.file = file
        self.error = error
        self.reads = 0

    def read(self) -> tuple[str, str]:
        """The card, or the failure this reader plays."""
        self.reads += 1
        if self.error:
            raise SIM_ERRORS[self.error]()
        if self.file is None:
            return self.card or Card(SAMPLE_ID, messages.SAMPLE_NAME.zh)
        if not self.file.is_file():
            raise CardReaderError.no_card()
        try:
            data = json.loads(inputs.read_input(self.file, limit=CARD_FILE_LIMIT))
            error = str(data.get("error") or "")
            card = Card(str(data.get("id_number") or ""), str(data.get("name") or ""))
        except (KioskError, OSError, ValueError, AttributeError):  # not a card's JSON object
            raise CardReaderError.failed() from None
        if error:
            raise SIM_ERRORS.get(error, CardReaderError.failed)()
        return card


def simulated(arg: str) -> SimulatedReader:
    """The reader ``sim:ARG`` names: a failure, ``ID,NAME``, or a JSON file's path."""
    if not arg:
        return SimulatedReader()
    if arg in SIM_ERRORS:
        return SimulatedReader(error=arg)
    if "," in arg:
        number, name = (part.strip() for part in arg.split(",", 1))
        return SimulatedReader(Card(number, name))
    return SimulatedReader(file=Path(arg).expanduser())


def _refuse(text: Text, spec: str, **params: object) -> ConfigError:
    return ConfigError(text(spec=spec, **params))


def load_reader(spec: str) -> CardReader | None:
    """The reader the ``card_reader`` setting names (None when empty); ConfigError saying why not."""
    spec = spec.strip()
    if not spec:
        return None
    if spec == SIM or spec.startswith(SIM + ":"):
        return simulated(spec[len(SIM) + 1:].strip())
    m = _FACTORY.fullmatch(spec)
    if m is None:
        raise _refuse(messages.CARD_READER_SPEC_BAD, spec)
    try:
        module = importlib.import_module(m["module"])
    except ImportError as exc:
        raise _refuse(messages.CARD_READER_NO_MODULE, spec, module=m["module"],
                      error=f"{type(exc).__name__}: {exc}") from None
    factory = getattr(module, m["factory"], None)
    if not callable(factory):
        raise _refuse(messages.CARD_READER_NO_FACTORY, spec, module=m["module"],
                      factory=m["factory"])
    try:
        reader = factory()
    except Exception as exc:  # a vendor SDK that cannot start: say so at start-up, not at a customer
        raise _refuse(messages.CARD_READER_FACTORY_FAILED, spec,
                      error=f"{type(exc).__name__}: {exc}") from None
    if not isinstance(reader, CardReader):
        raise _refuse(messages.CARD_READER_NOT_A_READER, spec, kind=type(reader).__name__)
    return reader


def read_card(reader: CardReader) -> Card:
    """One read, normalised (trimmed ID, upper-case X; the name's middle dot); errors made plain."""
    try:
        got = reader.read()
    except KioskError:
        raise
    except Exception as exc:  # a vendor's own exception: its type in the log, never the card
        log.warning("card reader failed: %s", type(exc).__name__)
        raise CardReaderError.failed() from None
    try:
        number, name = got
    except (TypeError, ValueError):
        log.warning("card reader returned %s, not (id_number, name)", type(got).__name__)
        raise CardReaderError.failed() from None
    if not isinstance(number, str) or not isinstance(name, str):
        log.warning("card reader returned non-text fields")
        raise CardReaderError.failed()
    card = Card(normalize_id_number(number), normalize_name(name))
    if not card.id_number or not card.name:
        raise CardReaderError.failed()
    return card


__all__ = ["Card", "CardReader", "CardReaderError", "SimulatedReader", "load_reader", "read_card",
           "simulated"]
