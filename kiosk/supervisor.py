"""Keeps the kiosk's window up: runs the GUI as a child process and starts it again when it dies.

A counter kiosk that crashes must be back on its welcome screen within seconds, however it was
started (``kiosk``, ``kiosk gui``, the bundle, systemd, XDG autostart). This process is the
parent of the window and does nothing else, so it stays small (no Qt, no OpenCV, no NumPy: see
the import-linter contract in pyproject.toml) and is not taken down by what kills the window:

- the child exits 0 (the operator quit behind the PIN): the supervisor ends with 0;
- the child exits non-zero before its window ever showed (no display, no PIN in kiosk mode):
  that is a configuration problem a restart cannot fix; its status is passed on;
- the child dies by a signal or exits non-zero later: it is started again at once, a little
  later after repeated crashes, and after ``CRASH_LIMIT`` crashes within ``CRASH_WINDOW_S`` the
  supervisor gives up with a CrashLoopError (exit 2), leaving the outer restart policy (systemd's
  Restart= and start limit) to decide;
- the child's GUI thread stops answering: it writes a heartbeat byte on an inherited pipe every
  second (kiosk.ui.lifeline); after ``HANG_S`` without one the child gets SIGABRT (faulthandler
  writes every thread's stack to the log), then SIGKILL, and is started again;
- SIGTERM, SIGINT or SIGHUP to the supervisor are passed to the child; both end.

The child learns it is supervised from ``KIOSK_SUPERVISED`` (the supervisor's pid), runs the
window directly, and asks the kernel to kill it when the supervisor dies (Linux), so a SIGKILLed
supervisor leaves no window behind. Each child runs in a process group of its own, so whatever
it started (the demo emulator, ffmpeg) is ended with it if it has not ended by itself.

POSIX only; elsewhere the window runs in the process that was started (see ``supported``).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType, ModuleType
from typing import Any

from kiosk import core_messages as messages
from kiosk.errors import KioskError

# What signal.signal takes and gives back: a function, SIG_DFL/SIG_IGN, or None (not set from Python).
_Handler = Callable[[int, FrameType | None], Any] | int | None

log = logging.getLogger("kiosk.supervisor")

ENV_SUPERVISED = "KIOSK_SUPERVISED"  # in the child: the supervisor's pid
ENV_HEARTBEAT_FD = "KIOSK_HEARTBEAT_FD"  # in the child: the write end of the heartbeat pipe
ENV_START = "KIOSK_WINDOW_START"  # in the child: 1 for the first window, 2 after one restart...
READY = b"R"  # the window has painted (the welcome screen is visible)
BEAT = b"."  # the GUI thread is alive

HANG_S = 10.0  # no heartbeat for this long: the window is frozen
START_TIMEOUT_S = 90.0  # no window this long after a start: the start hangs
ABORT_GRACE_S = 2.0  # after SIGABRT (the stack dump), before SIGKILL
STOP_GRACE_S = 15.0  # after a forwarded SIGTERM, before SIGKILL (the flow deletes its media)
STRAGGLER_GRACE_S = 8.0  # a dead child's group (demo emulator, ffmpeg) may end by itself
CRASH_LIMIT = 5
CRASH_WINDOW_S = 120.0
BACKOFF_S = (0.0, 0.0, 0.5, 1.0)  # before restarting after the 1st, 2nd... recent crash (< 5 s)
PR_SET_PDEATHSIG = 1


class CrashLoopError(KioskError):
    """The window crashed too often in a short time: a restart will not help."""


def supported() -> bool:
    """Whether this platform can supervise the window (POSIX: signals, pipes, process groups)."""
    return os.name == "posix"


def supervisor_pid() -> int | None:
    """The supervisor's pid when this process is a supervised window, else None."""
    value = os.environ.get(ENV_SUPERVISED, "")
    return int(value) if value.isdigit() else None


def die_with_parent(parent: int | None, sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies; exit if it already has.

    prctl(PR_SET_PDEATHSIG) fires when the thread that started this process ends, so the parent
    must start it from a thread that lives as long as the parent (its main thread here).
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        log.warning("cannot ask to end with the parent process (prctl unavailable)")
        return
    if parent is not None and os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


def child_command(main_module: ModuleType | None = None) -> list[str]:
    """How to start the window again: the bundle's executable, or this Python with the kiosk."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    main_module = main_module or sys.modules.get("__main__")
    entry = getattr(main_module, "__file__", None)
    if getattr(main_module, "KIOSK_ENTRY", False) and entry:  # packaging/kiosk_entry.py
        return [sys.executable, os.path.abspath(entry)]
    return [sys.executable, "-m", "kiosk"]


@dataclass
class Ended:
    """How one child ended."""

    status: int  # Popen.returncode: the exit status, or -signal
    ready: bool  # its window had shown
    reason: str  # "exit", "hang", "stop"
    ready_s: float | None = None  # seconds from its start to its window


def describe(status: int) -> str:
    """'exit status 3' or 'signal SIGSEGV'."""
    if status < 0:
        try:
            return f"signal {signal.Signals(-status).name}"
        except ValueError:
            return f"signal {-status}"
    return f"exit status {status}"


class Supervisor:
    """Runs ``command`` with ``args`` until it ends normally, restarting it after crashes."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        command: Sequence[str] | None = None,
        hang_s: float = HANG_S,
        start_timeout_s: float = START_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.argv = [*(command or child_command()), *args]
        self.hang_s = hang_s
        self.start_timeout_s = start_timeout_s
        self.clock = clock
        self._stop: int | None = None  # the signal that asked us to stop
        self._wake_r = self._wake_w = -1
        self._crashes: collections.deque[float] = collections.deque()
        self._stragglers: list[tuple[int, float]] = []  # (process group, kill after)
        self._died_at: float | None = None
        self.starts = 0

    # ---- the loop ---------------------------------------------------------------------------

    def run(self) -> int:
        """Supervise until a normal exit (0), a failed start, a stop signal or a crash loop."""
        previous = self._install_signals()
        try:
            while True:
                ended = self._run_once()
                if self._stop is not None:
                    log.info("supervisor stopping on %s; window ended with %s",
                             signal.Signals(self._stop).name, describe(ended.status))
                    return 128 + self._stop
                if ended.status == 0:
                    log.info("window closed normally; supervisor ends")
                    return 0
                if not ended.ready and ended.reason == "exit" and ended.status > 0:
                    log.info("window could not start (%s); not restarting",
                             describe(ended.status))
                    return ended.status
                self._died_at = self.clock()
                delay = self._count_crash()
                if delay > 0:
                    log.info("restarting the window in %.1f s", delay)
                    self._wait(delay)
                    if self._stop is not None:
                        return 128 + self._stop
        finally:
            self._end_stragglers(final=True)
            self._restore_signals(previous)

    def _count_crash(self) -> float:
        now = self.clock()
        self._crashes.append(now)
        while self._crashes and now - self._crashes[0] > CRASH_WINDOW_S:
            self._crashes.popleft()
        n = len(self._crashes)
        if n >= CRASH_LIMIT:
            error = CrashLoopError(messages.CRASH_LOOP(crashes=n, window=CRASH_WINDOW_S))
            log.error("%s / %s", error.text("en"), error.text("zh"))
            raise error
        return BACKOFF_S[min(n, len(BACKOFF_S)) - 1]

    def _run_once(self) -> Ended:
        beat_r, beat_w = os.pipe()
        self.starts += 1
        env = {**os.environ, ENV_SUPERVISED: str(os.getpid()), ENV_HEARTBEAT_FD: str(beat_w),
               ENV_START: str(self.starts)}
        started = self.clock()
        try:
            child = subprocess.Popen(self.argv, env=env, pass_fds=(beat_w,), process_group=0)
        except OSError:
            os.close(beat_r)
            raise
        finally:
            os.close(beat_w)
        log.info("window process %d started%s", child.pid, self._since_death(started))
        try:
            return self._watch(child, beat_r, started)
        finally:
            os.close(beat_r)
            if child.poll() is None:  # an exception in the loop: leave nothing running
                self._kill_group(child.pid)
                child.wait()
            self._stragglers.append((child.pid, self.clock() + STRAGGLER_GRACE_S))

    def _watch(self, child: subprocess.Popen[bytes], beat_r: int, started: float) -> Ended:
        ready_s: float | None = None
        last = started
        reading = [beat_r, self._wake_r]
        forwarded = False
        stop_by = 0.0
        while True:
            if self._stop is not None and not forwarded:
                self._signal(child, self._stop)
                forwarded = True
                stop_by = self.clock() + STOP_GRACE_S
            now = self.clock()
            deadline = stop_by if forwarded else (
                last + self.hang_s if ready_s is not None else started + self.start_timeout_s)
            self._end_stragglers()
            ready, _, _ = select.select(reading, [], [], max(0.0, min(deadline - now, 0.5)))
            if self._wake_r in ready:
                self._drain(self._wake_r)
            if beat_r in ready:
                data = self._drain(beat_r)
                if data:
                    last = self.clock()
                    if READY in data and ready_s is None:
                        ready_s = last - started
                        log.info("window %d is up %.2f s after its start%s", child.pid, ready_s,
                                 self._since_death(last))
                else:  # EOF: the child is gone, or closed the pipe; its status says which
                    reading = [self._wake_r]
            status = child.poll()
            if status is not None:
                reason = "stop" if forwarded or self._stop is not None else "exit"
                if reason == "exit" and status > 0 and ready_s is None:
                    # A start refused (no display, no PIN): the window printed why, in one line;
                    # the log keeps it without a second line on the terminal.
                    log.info("window %d ended before showing (%s)", child.pid, describe(status))
                elif reason == "exit" and status != 0:
                    log.error("window %d died (%s)%s", child.pid, describe(status),
                              "; restarting it" if ready_s is not None else "")
                return Ended(status, ready_s is not None, reason, ready_s)
            if self.clock() < deadline:
                continue
            if forwarded:
                log.warning("window %d did not stop in %.0f s: killing it", child.pid,
                            STOP_GRACE_S)
                self._signal(child, signal.SIGKILL)
                return Ended(child.wait(), ready_s is not None, "stop", ready_s)
            return self._end_hung(child, started, ready_s, last)

    def _end_hung(self, child: subprocess.Popen[bytes], started: float, ready_s: float | None,
                  last: float) -> Ended:
        if ready_s is None:
            log.error("window %d did not show within %.0f s of its start (不响应): "
                      "ending it with its stack in the log, then restarting it",
                      child.pid, self.clock() - started)
        else:
            log.error("window %d has not answered for %.1f s (窗口无响应): ending it with its "
                      "stack in the log, then restarting it", child.pid, self.clock() - last)
        self._signal(child, signal.SIGABRT)  # faulthandler dumps every thread's stack
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(ABORT_GRACE_S)
        if child.poll() is None:  # stopped (SIGSTOP) or stuck where SIGABRT cannot reach
            # The window only: the demo emulator it started then sees its pipe close and deletes
            # its data (the group is killed later if it does not end: _end_stragglers).
            self._signal(child, signal.SIGKILL)
        status = child.wait()
        return Ended(status if status != 0 else -int(signal.SIGKILL), ready_s is not None,
                     "hang", ready_s)

    # ---- helpers ----------------------------------------------------------------------------

    def _since_death(self, now: float) -> str:
        if self._died_at is None:
            return ""
        return f" ({now - self._died_at:.2f} s after the previous window died)"

    def _wait(self, seconds: float) -> None:
        end = self.clock() + seconds
        while self._stop is None and self.clock() < end:
            self._end_stragglers()
            ready, _, _ = select.select([self._wake_r], [], [], min(0.5, end - self.clock()))
            if ready:
                self._drain(self._wake_r)

    @staticmethod
    def _drain(fd: int) -> bytes:
        try:
            return os.read(fd, 4096)
        except BlockingIOError:
            return b"\0"  # nothing now, but not the end
        except OSError:
            return b""

    @staticmethod
    def _signal(child: subprocess.Popen[bytes], sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(sig)

    @staticmethod
    def _kill_group(pgid: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)

    def _end_stragglers(self, final: bool = False) -> None:
        """Kill what a dead window left running in its process group, once its grace is over."""
        keep = []
        for pgid, after in self._stragglers:
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                continue  # the group is empty
            if final:
                # Let the demo emulator delete its data (it stops when its pipe closes).
                end = self.clock() + min(STRAGGLER_GRACE_S, max(0.0, after - self.clock()))
                while self.clock() < end and _group_alive(pgid):
                    time.sleep(0.05)
            if final or self.clock() >= after:
                if _group_alive(pgid):
                    log.warning("process group %d outlived its window: killing it", pgid)
                    self._kill_group(pgid)
                continue
            keep.append((pgid, after))
        self._stragglers = keep

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if signum != signal.SIGCHLD and self._stop is None:
            self._stop = signum

    def _install_signals(self) -> dict[int, _Handler]:
        self._wake_r, self._wake_w = os.pipe()
        for fd in (self._wake_r, self._wake_w):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(self._wake_w, warn_on_full_buffer=False)
        previous: dict[int, _Handler] = {}
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGCHLD):
            previous[sig] = signal.signal(sig, self._on_signal)
        return previous

    def _restore_signals(self, previous: dict[int, _Handler]) -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(-1)
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def supervise(args: Sequence[str]) -> int:
    """Run the window as ``<kiosk> <args>`` under a Supervisor; the exit status to end with."""
    log.info("supervisor %d running the window: %s", os.getpid(), " ".join(args))
    return Supervisor(args).run()


__all__ = [
    "ENV_HEARTBEAT_FD", "ENV_START", "ENV_SUPERVISED", "BEAT", "READY", "CrashLoopError", "Supervisor",
    "child_command", "die_with_parent", "supervise", "supervisor_pid", "supported",
]
