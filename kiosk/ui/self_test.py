"""The operator's self-test: the checks of ``kiosk doctor``, run one by one off the GUI thread.

A camera frame and a microphone level take seconds, a network check up to its timeouts: the
checks run on a thread of their own and each result comes to the GUI thread as a signal, in the
order ``kiosk doctor`` prints them. Each run has a number; results of an older run are dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from kiosk.config import Paths, Settings, doctor
from kiosk.errors import KioskError
from kiosk.ui.screens.self_test import SelfTestPage

log = logging.getLogger("kiosk.ui")

Group = tuple[str, Callable[[], doctor.Check | list[doctor.Check]]]
Groups = Callable[[], list[Group]]


class SelfTest(QObject):
    """Runs the doctor's groups on a worker; ``check_done`` per check, ``finished`` at the end.

    Both are emitted on the GUI thread: the worker emits private signals to this object's slots
    (queued, as the object lives on the GUI thread), which drop the results of abandoned runs.
    """

    started = Signal()
    check_done = Signal(object)  # doctor.Check
    finished = Signal()
    _found = Signal(int, object)
    _ended = Signal(int)

    def __init__(self, groups: Groups, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups = groups
        self._run = 0
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._found.connect(self._on_found)
        self._ended.connect(self._on_ended)

    def running(self) -> bool:
        """Whether a run is under way."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Begin a run (the one under way is abandoned: its results are dropped)."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._run += 1
        self.started.emit()
        self._thread = threading.Thread(target=self._work, args=(self._run, self._cancel),
                                        name="kiosk-self-test", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Abandon the run under way without waiting: no further check starts, no result arrives.

        The check in progress ends by its own timeouts (a camera frame within 5 s), so the
        camera is free again before a person can have reached the capture screen.
        """
        self._cancel.set()
        self._run += 1

    def stop(self, timeout: float = 10.0) -> None:
        """Abandon the run under way and wait a little for its thread (a check ends by its timeouts)."""
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @Slot(int, object)
    def _on_found(self, run: int, check: doctor.Check) -> None:
        if run == self._run:
            self.check_done.emit(check)

    @Slot(int)
    def _on_ended(self, run: int) -> None:
        if run == self._run:
            self.finished.emit()

    def _work(self, run: int, cancel: threading.Event) -> None:
        try:
            groups = self._groups()
        except KioskError as exc:  # the settings cannot even be read: that is the one result
            groups = [("settings", _raise(exc))]
        for name, call in groups:
            if cancel.is_set():
                return
            try:
                found = doctor.run_group(name, call)
            except Exception as exc:  # a bug in one check must not hide the others
                log.exception("self-test check %s failed", name)
                found = [doctor.Check(name, doctor.FAIL, type(exc).__name__, type(exc).__name__)]
            for check in found:
                self._found.emit(run, check)
        self._ended.emit(run)


def _raise(exc: KioskError) -> Callable[[], doctor.Check]:
    def again() -> doctor.Check:
        raise exc
    return again


def doctor_groups(paths: Paths, *, camera: Callable[[], str], mic: Callable[[], str],
                  connection: Callable[[], dict[str, Any]] | None = None) -> Groups:
    """The doctor's groups on the settings as they are now, with the sources a verification opens.

    ``connection``: the demo emulator's (base_url, appid, secret_id, secret_key), which stands in
    for the service in demo mode; the endpoint, TLS, clock and signature checks then test it.
    """
    def groups() -> list[Group]:
        flags: dict[str, Any] = {"camera": camera(), "mic": mic()}
        if connection is not None:
            c = connection()
            flags.update(endpoint=c["base_url"], appid=c["appid"], secret_id=c["secret_id"],
                         secret_key=c["secret_key"])
        return doctor.groups(Settings(paths, flags=flags))
    return groups


def attach(runner: SelfTest, page: SelfTestPage, requests: Iterable[SignalInstance]) -> None:
    """Show ``runner``'s results on ``page``; each of ``requests`` starts a run."""
    runner.started.connect(page.begin)
    runner.check_done.connect(page.add)
    runner.finished.connect(page.done)
    for signal in requests:
        signal.connect(runner.start)


def report_to(runner: SelfTest, done: Callable[[list[doctor.Check]], None]) -> None:
    """Hand each finished run's checks to ``done`` on the GUI thread (the fleet's heartbeat:
    kiosk.cli.gui passes it in, so the window does not import the fleet)."""
    found: list[doctor.Check] = []
    runner.started.connect(found.clear)
    runner.check_done.connect(found.append)
    runner.finished.connect(lambda: done(list(found)))


__all__ = ["SelfTest", "attach", "doctor_groups", "report_to"]
