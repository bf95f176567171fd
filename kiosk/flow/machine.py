"""The Flow: commands from any thread, one worker thread per run, events to a listener, one Result."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from kiosk.config.audit import AuditRecord
from kiosk.errors import KioskError
from kiosk.flow import verdict
from kiosk.flow.audiences import verdict_of
from kiosk.flow.events import Details, Finished, Listener, Result, Step, StepChanged, mask_id
from kiosk.flow.inbox import Inbox, Wait, wait_real
from kiosk.flow.ports import (
    AttemptsPort,
    AuditPort,
    CapturePort,
    ChecksPort,
    ClientPort,
    PendingPort,
    RealChecks,
    WorkspacePort,
)
from kiosk.flow.run import Aborted, GuidanceTimeoutError, Run
from kiosk.flow.settings import FlowSettings

log = logging.getLogger("kiosk.flow")

# Audit outcomes are named as kiosk.config.audit names them.
_AUDIT_OUTCOME = {"passed": "pass", "failed": "fail"}


class Flow:
    """One verification at a time: ``start`` it, steer it with ``ready``/``cancel``, read events.

    Commands return at once; the work runs on a worker thread this object starts, and the
    listener is called on that thread (see :mod:`kiosk.flow.events`). Commands reach the worker
    as messages in its inbox (see :mod:`kiosk.flow.inbox`); ``wait`` is how it waits on them
    (tests pass one that moves a fake ``clock`` instead).
    """

    def __init__(
        self,
        client: ClientPort,
        capture_factory: Callable[[], CapturePort],
        workspace_factory: Callable[[], WorkspacePort],
        settings: FlowSettings,
        listener: Listener,
        *,
        checks_factory: Callable[[], ChecksPort] = RealChecks,
        audit: AuditPort | None = None,
        pending: PendingPort | None = None,
        attempts: AttemptsPort | None = None,
        demo: bool = False,
        owns_client: bool = False,
        clock: Callable[[], float] = time.monotonic,
        wait: Wait = wait_real,
    ) -> None:
        self.client = client
        # close() closes the client too: the GUI makes one per flow and replaces flows; a caller
        # that passes a client it closes itself (kiosk demo) leaves this False.
        self.owns_client = owns_client
        self.capture_factory = capture_factory
        self.workspace_factory = workspace_factory
        self.settings = settings
        self.listener = listener
        self.checks_factory = checks_factory
        self.audit = audit
        self.pending = pending
        self.attempts = attempts  # the attempt limit; None: no limit (the command line)
        self.demo = demo  # rows marked demo: the service is the emulator
        self._seq = ""  # the run whose pending marker is written
        self.clock = clock
        self._wait = wait
        self._lock = threading.Lock()
        self._inbox = Inbox(wait)  # the current run's; commands before the first start go nowhere
        self._thread: threading.Thread | None = None
        self._running = False
        self._details: Details | None = None
        self._step: Step | None = None
        self._result: Result | None = None

    # ---- commands -----------------------------------------------------------------------

    def start(self, details: Details) -> str | None:
        """Begin a verification: its run id (every event of it carries it as ``seq``).

        None (and nothing happens) when one is already running.
        """
        with self._lock:
            if self._running:
                log.warning("start ignored: a verification is running")
                return None
            self._running = True
            self._details = details
            self._result = None
            self._step = None
            seq = details.seq or uuid.uuid4().hex
            self._inbox = inbox = Inbox(self._wait)
            self._thread = threading.Thread(target=self._work, args=(details, inbox, seq),
                                            name="kiosk-flow", daemon=True)
            self._thread.start()
        return seq

    def ready(self) -> None:
        """Leave the guidance step now (the person is placed)."""
        self._inbox.ready()

    def snap(self) -> None:
        """Photo mode: take the still now (the same as ready())."""
        self.ready()

    def retake(self) -> None:
        """Card by camera: drop the still shown and film the card again."""
        self._inbox.retake()

    def cancel(self) -> None:
        """Stop the running step, delete the media, end in a 'cancelled' Result."""
        with self._lock:
            if not self._running:
                return
            self._inbox.cancel()
        # The worker stops waiting for a call in flight at once (the code, a compare, the reply to
        # an upload); cutting its connection ends the call too, not its 60 s read timeout.
        self.client.abort()

    def retry(self) -> str | None:
        """Run again with the last details: the new run's id; None when running or nothing ran."""
        details = self._details
        if details is None:
            return None
        return self.start(details)

    def close(self, timeout: float | None = 30.0) -> None:
        """Cancel what runs, wait for the worker to finish its cleanup, close an owned client."""
        self.cancel()
        self.wait(timeout)
        if self.owns_client:
            self.client.close()  # its session and pooled sockets; closing twice is harmless

    def wait(self, timeout: float | None = None) -> Result | None:
        """Block until the current run finished (for the CLI and tests); its Result."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        return self._result

    # ---- state --------------------------------------------------------------------------

    @property
    def step(self) -> Step | None:
        """The step the current or last run is in (RESULT once finished)."""
        return self._step

    @property
    def running(self) -> bool:
        """True from start() until the Finished event."""
        return self._running

    @property
    def result(self) -> Result | None:
        """The last run's Result, None while running."""
        return self._result

    # ---- the worker ---------------------------------------------------------------------

    def _emit(self, event: Any) -> None:
        # A listener's bug must not leave the camera on or the media on disk.
        try:
            self.listener(event)
        except Exception:
            log.exception("flow listener failed on %s", type(event).__name__)

    def _set_step(self, step: Step) -> None:
        self._step = step
        self._mark("step", self._seq, step.value)

    def _mark(self, what: str, seq: str, *args: str) -> None:
        """Update the run's pending marker; a failure costs the crash row only, never the run."""
        if self.pending is None or not seq:
            return
        try:
            marks: dict[str, Callable[..., None]] = {
                "begin": self.pending.begin, "step": self.pending.step, "end": self.pending.end}
            marks[what](seq, *args)
        except Exception:
            log.warning("pending marker not updated (%s)", what, exc_info=True)

    def _work(self, details: Details, inbox: Inbox, seq: str) -> None:
        def emit(event: Any) -> None:  # every event says which run it belongs to
            self._emit(dataclasses.replace(event, seq=seq))

        threshold = self.settings.threshold
        run: Run | None = None
        result: Result
        try:
            run = Run(details, client=self.client, capture_factory=self.capture_factory,
                      workspace_factory=self.workspace_factory, checks=self.checks_factory(),
                      settings=self.settings, emit=emit, inbox=inbox, clock=self.clock,
                      on_step=self._set_step, seq=seq)
            self._seq = run.seq
            self._mark("begin", run.seq, details.mode.value,
                       mask_id(details.id_number) if details.id_number else "")
            result = self._before_capture(details, run) or run.execute()
        except Aborted:
            result = verdict.cancelled(details.mode, threshold, **_extra(run))
        except GuidanceTimeoutError as exc:
            result = verdict.timed_out(details.mode, threshold, exc.waited, **_extra(run))
        except KioskError as exc:
            if inbox.cancelled:  # e.g. the upload failed because cancel cut it
                result = verdict.cancelled(details.mode, threshold, **_extra(run))
            else:  # INFO: the Result carries it to the screen or console, and to the audit
                log.info("verification failed at %s: %s", self._step, exc.text("en"))
                result = verdict.from_error(details.mode, exc, threshold, **_extra(run))
        except Exception:
            log.exception("verification failed at %s", self._step)
            result = verdict.internal_error(details.mode, threshold, **_extra(run))
        finally:
            if run is not None:
                run.cleanup()
        if run is not None:
            run.finish_timing()
            result = dataclasses.replace(result, durations=dict(run.durations))
        result = self._count_attempt(details, result)
        if not self._write_audit(details, result):  # the verdict stands, marked not recorded
            result = dataclasses.replace(result, recorded=False, exit_code=2)
        seq, self._seq = self._seq, ""
        self._mark("end", seq)
        log.info("verification %s ended: %s (code %s)", result.seq[:8] or "-", result.outcome,
                 result.code)
        previous = self._step
        with self._lock:
            self._result = result
            self._step = Step.RESULT
            self._running = False
        emit(StepChanged(Step.RESULT, previous))
        emit(Finished(result))

    def _before_capture(self, details: Details, run: Run) -> Result | None:
        """A declined consent or the attempt limit: a Result now, before any camera is opened."""
        threshold = self.settings.threshold
        if details.consent == "no":
            return verdict.declined(details.mode, threshold, **run.extra())
        lockout = self.attempts.check(details.person()) if self.attempts is not None else None
        if lockout is not None:
            log.info("verification %s: attempt limit reached (%d recent)", run.seq[:8],
                     lockout.failures)
            return verdict.limited(details.mode, threshold, lockout.failures,
                                   lockout.seconds_left(time.time()), **run.extra())
        return None

    def _count_attempt(self, details: Details, result: Result) -> Result:
        """Count a not-verified result; the one that reaches the limit says so (no retry)."""
        if self.attempts is None or verdict_of(result) != "not_verified":
            return result
        lockout = self.attempts.failed(details.person())
        if lockout is None:
            return result
        log.info("verification %s: attempt limit reached now", result.seq[:8])
        return dataclasses.replace(result, locked=True)

    def _write_audit(self, details: Details, result: Result) -> bool:
        """Write (or queue) the row before the verdict is announced; False when nowhere took it."""
        if self.audit is None:
            return True
        try:
            self.audit.record(AuditRecord(
                mode=details.mode.value,
                outcome=_AUDIT_OUTCOME.get(result.outcome, result.outcome),
                code=result.code,
                predicted=result.outcome == "blocked",
                similarity=result.similarity,
                live_status=result.live_status,
                compare_status=result.compare_status,
                session_id=result.session_id,
                seq=result.seq,
                id_masked=mask_id(details.id_number) if details.id_number else "",
                durations={s.value: round(v, 3) for s, v in result.durations.items()},
                demo=self.demo,
                consent=details.consent,
                notice=details.notice,
            ))
        except KioskError as exc:  # INFO: the Result, marked not recorded, carries it to the screen
            log.info("audit row not written: %s", exc.text("en"))
            return False
        except Exception:
            log.exception("audit row not written")
            return False
        return True


def _extra(run: Run | None) -> dict[str, Any]:
    return run.extra() if run is not None else {}


__all__ = ["Flow"]
