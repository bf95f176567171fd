"""Between the details and the camera: the consent screen, the guardian's PIN, the way to staff.

The window hands the details here instead of starting the flow. The person agrees (the run
starts with consent "yes"), a guardian agrees for a child under 14 (staff confirm with the PIN;
"guardian"), or the person declines (a run that captures nothing records "no"; the screen sends
them to the counter). See docs/consent.md.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date

from kiosk.config.consent import Notice, load_notice, needs_guardian
from kiosk.errors import KioskError
from kiosk.flow.events import Details
from kiosk.ui.screens.consent import ConsentScreen

log = logging.getLogger("kiosk.ui")


class ConsentGate:
    """Shows the notice for one person's details and starts their run with the answer."""

    def __init__(
        self,
        screen: ConsentScreen,
        *,
        notice_path: Callable[[], str],
        show: Callable[[str], None],
        start: Callable[[Details], None],
        ask_pin: Callable[[Callable[[], None], Callable[[], None]], bool],
        failed: Callable[[Details, KioskError], None],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.screen = screen
        self._notice_path = notice_path
        self._show, self._start, self._ask_pin, self._failed = show, start, ask_pin, failed
        self._today = today
        self._details: Details | None = None
        self._notice: Notice | None = None
        screen.agreed.connect(self._agreed)
        screen.declined.connect(self._declined)

    def open(self, details: Details) -> None:
        """Ask ``details``' person for consent (the operator's notice file, else the built-in)."""
        try:
            notice = load_notice(self._notice_path())
        except KioskError as exc:  # the operator's file is broken: no verification on other words
            log.error("consent notice not usable: %s", exc.text("en"))
            self._failed(details, exc)
            return
        self._details, self._notice = details, notice
        guardian = bool(details.id_number) and needs_guardian(details.id_number, self._today())
        self.screen.open(notice, guardian=guardian)
        self._show("consent")

    def _agreed(self) -> None:
        if self._details is None:
            return
        if not self.screen.needs_guardian:
            self._begin("yes")
            return
        # A guardian's consent is confirmed by staff; without a PIN set nobody can confirm it.
        if not self._ask_pin(lambda: self._begin("guardian"), lambda: self._show("consent")):
            self.screen.show_no_staff()

    def _declined(self) -> None:
        self._begin("no")  # the run records the answer and captures nothing

    def _begin(self, consent: str) -> None:
        details, self._details = self._details, None
        if details is None or self._notice is None:
            return
        self._start(dataclasses.replace(details, consent=consent, notice=self._notice.version))

    def clear(self) -> None:
        """Forget the person."""
        self._details = self._notice = None


__all__ = ["ConsentGate"]
