"""The private per-session workspace: clips and photos live here and nowhere else, briefly."""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from kiosk.config import messages
from kiosk.config.paths import private_dir
from kiosk.errors import MediaError

log = logging.getLogger("kiosk.config.workspace")

MARKER = ".owner.json"
PREFIX = "session-"
CLIP_SUFFIXES = (".mp4", ".flv")
# A folder without a marker may be one another process is creating right now.
UNMARKED_GRACE_S = 60.0
DAY_S = 86400.0


class Workspace:
    """A 0700 folder for one session, deleted on close, at exit, or by the next start's sweep.

    With ``keep_days`` > 0 (the operator's dispute option), clips found at close are moved to
    ``retained_dir`` first; :meth:`prune_retained` removes them after that many days.
    """

    def __init__(
        self,
        root: Path,
        *,
        retained_dir: Path | None = None,
        keep_days: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.root = root
        self.retained_dir = retained_dir
        self.keep_days = keep_days if retained_dir is not None else 0
        self.clock = clock
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        """The session folder (opens the workspace on first use)."""
        if self._path is None:
            self.open()
        assert self._path is not None
        return self._path

    def file(self, name: str) -> Path:
        """A path for ``name`` inside the session folder."""
        if os.sep in name or (os.altsep and os.altsep in name) or name in ("", ".", ".."):
            raise ValueError(f"not a plain file name: {name!r}")
        return self.path / name

    def open(self) -> Workspace:
        """Create the folder and its owner marker; register the at-exit cleanup."""
        if self._path is not None:
            return self
        try:
            private_dir(self.root)
            path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.root))  # mode 0700
            marker = {"pid": os.getpid(), "start": _process_start(os.getpid()),
                      "created": self.clock()}
            (path / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        except OSError as exc:
            raise MediaError(messages.NO_SESSION_FOLDER(root=self.root,
                                                        kind=type(exc).__name__)) from None
        self._path = path
        atexit.register(self.close)
        log.debug("workspace %s opened", path.name)
        return self

    def close(self) -> None:
        """Retain clips if asked to, then delete the folder and everything in it. Idempotent."""
        path, self._path = self._path, None
        if path is None:
            return
        atexit.unregister(self.close)
        if self.keep_days > 0:
            self._retain(p for p in path.iterdir() if p.suffix.lower() in CLIP_SUFFIXES)
        _remove_tree(path)
        log.debug("workspace %s deleted", path.name)

    def __enter__(self) -> Workspace:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _retain(self, clips: Iterable[Path]) -> None:
        assert self.retained_dir is not None
        for clip in clips:
            try:
                private_dir(self.retained_dir)
                stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(self.clock()))
                target = self.retained_dir / f"{stamp}-{clip.parent.name}-{clip.name}"
                shutil.move(str(clip), target)
                os.chmod(target, 0o600)
                log.info("clip kept for %d days as %s", self.keep_days, target.name)
            except OSError as exc:  # keeping is a courtesy; deleting below is the duty
                log.warning("could not keep clip %s (%s)", clip.name, type(exc).__name__)

    @staticmethod
    def sweep_leftovers(root: Path, *, clock: Callable[[], float] = time.time) -> list[Path]:
        """Delete session folders under ``root`` whose owner process is gone; returns them."""
        removed: list[Path] = []
        try:
            entries = list(root.iterdir())
        except FileNotFoundError:
            return removed
        for entry in entries:
            if not entry.name.startswith(PREFIX) or not entry.is_dir() or entry.is_symlink():
                continue
            if _owner_alive(entry, clock):
                continue
            _remove_tree(entry)
            removed.append(entry)
            log.info("deleted leftover session folder %s", entry.name)
        return removed

    @staticmethod
    def prune_retained(
        retained_dir: Path, keep_days: int, *, clock: Callable[[], float] = time.time
    ) -> list[Path]:
        """Delete kept clips older than ``keep_days`` (all of them when keeping is off)."""
        removed: list[Path] = []
        limit = clock() - keep_days * DAY_S
        try:
            entries = list(retained_dir.iterdir())
        except FileNotFoundError:
            return removed
        for entry in entries:
            try:
                if entry.is_file() and (keep_days <= 0 or entry.stat().st_mtime < limit):
                    entry.unlink()
                    removed.append(entry)
            except OSError as exc:
                log.warning("could not delete kept clip %s (%s)", entry.name, type(exc).__name__)
        return removed


def _owner_alive(folder: Path, clock: Callable[[], float]) -> bool:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        pid = int(marker["pid"])
    except FileNotFoundError:
        try:
            return clock() - folder.stat().st_mtime < UNMARKED_GRACE_S
        except OSError:
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False  # an unreadable marker: nobody can be using this folder safely
    return process_alive(pid, marker.get("start"))


def process_alive(pid: int, start: str | None) -> bool:
    """True while ``pid`` runs and is the process that started at ``start`` (see _process_start).

    Shared with :mod:`kiosk.config.leases`: one notion of "the owner is gone" for every sweep.
    """
    if not _pid_alive(pid):
        return False
    # The PID may have been reused by an unrelated process since the crash.
    return start is None or start == _process_start(pid)


def process_stamp() -> dict[str, object]:
    """This process's pid and start time, as an owner marker or a lease records them."""
    return {"pid": os.getpid(), "start": _process_start(os.getpid())}


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # typeshed: Windows only
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    try:
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    finally:
        kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to detect PID reuse."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22, counted after the parenthesised command name (which may hold spaces).
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _remove_tree(path: Path) -> None:
    def onerror(func: Callable[..., object], name: str, exc_info: object) -> None:
        # A read-only file (Windows) or folder: make it writable and try once more.
        try:
            os.chmod(name, 0o700)
            func(name)
        except OSError:
            log.warning("could not delete %s", name)

    shutil.rmtree(path, onerror=onerror)
