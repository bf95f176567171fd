"""Is the service there, and do the credentials work? Asked before the first customer, and again.

A kiosk that cannot reach the service, or whose credentials the service refuses, says so on the
welcome screen before anyone starts, instead of letting a customer find out after a recording.
The probe is the cheapest signed call, ``livegetfour`` (the same call every verification begins
with), on a thread of its own: every ``ok_every`` seconds while it works, every ``fail_every``
while it does not (docs/outcomes.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from kiosk.api.codes import STAFF_ONLY
from kiosk.errors import ApiError, ConfigError, KioskError, ServiceError

log = logging.getLogger("kiosk.ui")

OK_EVERY_S = 300.0  # about 300 calls a day: the service's free quota is not touched noticeably
FAIL_EVERY_S = 30.0


class ServiceState(StrEnum):
    """What the welcome screen says about the service."""

    UNKNOWN = "unknown"  # not asked yet
    OK = "ok"
    UNREACHABLE = "unreachable"  # network, TLS, timeouts, 5xx, the service's own trouble
    MISCONFIGURED = "misconfigured"  # the credentials or the endpoint: staff must fix them


def classify(exc: BaseException | None) -> ServiceState:
    """The state a probe's outcome (None: it worked) stands for."""
    if exc is None:
        return ServiceState.OK
    if isinstance(exc, ConfigError) or (isinstance(exc, ServiceError) and exc.code in STAFF_ONLY):
        return ServiceState.MISCONFIGURED
    return ServiceState.UNREACHABLE


class ServiceProbe(QObject):
    """Calls ``probe`` on its own thread now and then; ``changed`` carries the state and detail."""

    changed = Signal(str, str)  # ServiceState value, the operator's detail (English)

    def __init__(self, probe: Callable[[], None], *, ok_every: float = OK_EVERY_S,
                 fail_every: float = FAIL_EVERY_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._probe = probe
        self._ok_every, self._fail_every = ok_every, fail_every
        self._stop = threading.Event()
        self._again = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = ServiceState.UNKNOWN

    def start(self) -> None:
        """Begin probing (the first call at once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="kiosk-service-probe",
                                        daemon=True)
        self._thread.start()

    def recheck(self) -> None:
        """Probe again now (after the operator changed the settings)."""
        self._again.set()

    def stop(self, timeout: float = 5.0) -> None:
        """End the thread (a call in flight ends with its own timeouts)."""
        self._stop.set()
        self._again.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            state, detail = self._once()
            if self._stop.is_set():
                return
            if state is not self.state:
                log.info("service probe: %s%s", state.value, f" ({detail})" if detail else "")
            self.state = state
            self.changed.emit(state.value, detail)
            self._again.wait(self._ok_every if state is ServiceState.OK else self._fail_every)
            self._again.clear()

    def _once(self) -> tuple[ServiceState, str]:
        try:
            self._probe()
        except (ApiError, KioskError) as exc:
            return classify(exc), exc.text("en")
        except Exception as exc:  # a bug in making the client: say unreachable, log it
            log.exception("service probe failed")
            return ServiceState.UNREACHABLE, type(exc).__name__
        return ServiceState.OK, ""


__all__ = ["FAIL_EVERY_S", "OK_EVERY_S", "ServiceProbe", "ServiceState", "classify"]
