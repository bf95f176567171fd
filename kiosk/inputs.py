"""Reading a path the user gave: only a regular file within its size limit, and never blocking.

Every file the kiosk reads as input (photos and clips to check, verify or enroll, the card photo,
a ``file:`` camera, the settings file, the secret file) goes through here. A path that names a
device (``/dev/zero`` never ends), a named pipe (its open waits for a writer for ever), a socket or
a folder is refused at once, as is a file over its limit; so is a symbolic link where links are not
followed (the secret file). See docs/config.md, "Files that are not files".

How: ``stat`` first, so a device is never opened (opening some devices does something); then
``open`` with O_NONBLOCK (a pipe swapped in meanwhile cannot block) and O_NOCTTY, and ``fstat`` on
the open descriptor, which is what is then read, so nothing can be swapped in between; then read
at most ``limit + 1`` bytes, so a file that grows while being read is still refused, not loaded.

This module depends on :mod:`kiosk.errors` only, so every layer may use it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from kiosk import core_messages as messages
from kiosk.errors import InputError, KioskError
from kiosk.texts import Message

# A photo or clip: above the service's 6 MB body limit (api/limits.py), so a file a little too
# large is still read and answered with the service's own code 23 by the checks; far below what
# strains memory. Anything larger can never be sent and is refused as input.
MEDIA_LIMIT = 10_000_000
# The settings file holds a dozen short lines.
SETTINGS_LIMIT = 1_000_000
# The secret file holds one key.
SECRET_LIMIT = 64_000
# A ``file:`` camera or microphone: played in real time and never held in memory, so only a bound
# against the absurd (an hour of 1080p is about 2 GB).
SOURCE_LIMIT = 4_000_000_000

_CHUNK = 1 << 20

# reason -> what the path is.
_WHAT_IT_IS = {
    "device": messages.IS_DEVICE,
    "pipe": messages.IS_PIPE,
    "socket": messages.IS_SOCKET,
    "folder": messages.IS_FOLDER,
    "other": messages.IS_NOT_REGULAR,
    "link": messages.IS_LINK,
    "missing": messages.IS_MISSING,
    "denied": messages.IS_DENIED,
    "empty": messages.IS_EMPTY,
}
# What to do about a file over each limit, unless the caller says.
_FIX_LARGE_BY_LIMIT = {MEDIA_LIMIT: messages.USE_SMALLER_MEDIA}

Label = tuple[str, str]  # (English, Chinese)
_FILE: Label = (messages.FILE.en, messages.FILE.zh)  # what a file is called when the caller says not


def _both(label: Label) -> SimpleNamespace:
    """A label as a message parameter: ``{what.en}``, ``{what.zh}``."""
    return SimpleNamespace(en=label[0], zh=label[1])


def _mb(n: int) -> str:
    if n >= 1_000_000_000:
        return f"{n / 1_000_000_000:.0f} GB"
    return f"{n / 1_000_000:.0f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} KB"


class FileRefused(InputError):
    """A path the kiosk will not read; ``reason`` names the rule it broke.

    Reasons: device, pipe, socket, folder, other, link, missing, denied, empty, too_large,
    unreadable.
    """

    def __init__(self, path: Path, reason: str, what: Label, *, size: int | None = None,
                 limit: int | None = None, detail: str = "", fix: Label | None = None) -> None:
        why: Message | SimpleNamespace
        todo: Message | SimpleNamespace
        if reason == "too_large":
            why = (messages.IS_TOO_LARGE_AT(limit=_mb(limit or 0), size=_mb(size)) if size
                   else messages.IS_TOO_LARGE(limit=_mb(limit or 0)))
            todo = (_both(fix) if fix
                    else _FIX_LARGE_BY_LIMIT.get(limit or 0, messages.USE_A_SMALLER_FILE)())
        elif reason in _WHAT_IT_IS:
            why = _WHAT_IT_IS[reason]()
            if reason in ("missing", "denied", "empty"):
                todo = messages.CHECK_THE_FILE()
            else:
                todo = (messages.GIVE_A_FILE() if what == _FILE
                        else messages.GIVE_A_KIND_OF_FILE(what=_both(what)))
        else:
            why = _both((detail or reason, detail or reason))
            todo = messages.CHECK_THE_FILE()
        super().__init__(messages.CANNOT_READ_INPUT(what=_both(what), path=path, why=why,
                                                    fix=todo))
        self.path = path
        self.reason = reason
        self.why_en, self.why_zh = why.en, why.zh  # what it is, for callers with their own wording
        self.size = size
        self.limit = limit

    def as_error(self, cls: type[KioskError]) -> KioskError:
        """The same texts as another kiosk error (the settings and secret files are ConfigError)."""
        return cls(self.en, self.zh, fix_en=self.fix_en, fix_zh=self.fix_zh)


def _kind(mode: int) -> str | None:
    """Why a file of this mode is refused, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        return "link"
    return "other"


def _os_error(path: Path, exc: OSError, what: Label, follow_links: bool) -> FileRefused:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return FileRefused(path, "missing", what)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return FileRefused(path, "denied", what)
    if exc.errno == errno.ELOOP and not follow_links:
        return FileRefused(path, "link", what)
    if exc.errno == errno.ENXIO:  # opening a socket, or a device with nothing behind it
        try:
            reason = _kind(os.stat(path).st_mode)
        except OSError:
            reason = None
        if reason:
            return FileRefused(path, reason, what)
    return FileRefused(path, "unreadable", what, detail=exc.strerror or type(exc).__name__)


@dataclass
class Opened:
    """An input file open for reading: its descriptor, its size when opened, and a bounded read."""

    path: Path
    fd: int
    size: int
    mode: int
    limit: int
    what: Label
    _fix_large: Label | None = None
    _read_so_far: int = 0

    def read(self, n: int | None = None) -> bytes:
        """Up to ``n`` bytes (all that is left when None); FileRefused past the limit."""
        want = self.limit + 1 - self._read_so_far if n is None else n
        chunks: list[bytes] = []
        while want > 0:
            chunk = os.read(self.fd, min(want, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            want -= len(chunk)
            self._read_so_far += len(chunk)
            if self._read_so_far > self.limit:  # it grew since it was opened
                raise FileRefused(self.path, "too_large", self.what, limit=self.limit,
                                  fix=self._fix_large)
        return b"".join(chunks)


@contextmanager
def open_input(path: Path | str, *, limit: int, what: Label = _FILE,
               follow_links: bool = True, fix_large: Label | None = None) -> Iterator[Opened]:
    """Open ``path`` for reading if it is a regular file of at most ``limit`` bytes.

    Raises FileRefused (an InputError, exit 2) naming the file, what it is and what to do. With
    ``follow_links=False`` a symbolic link is refused (O_NOFOLLOW), never resolved.
    """
    path = Path(path)
    try:
        # Refuse by stat first: some devices act when opened (a tape rewinds, a watchdog starts).
        first = os.stat(path) if follow_links else os.lstat(path)
    except OSError as exc:
        raise _os_error(path, exc, what, follow_links) from None
    reason = _kind(first.st_mode)
    if reason:
        raise FileRefused(path, reason, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)  # Windows has neither of the first two, and needs this
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(path, exc, what, follow_links) from None
    try:
        st = os.fstat(fd)  # what was opened, whatever the path names by now
        reason = _kind(st.st_mode)
        if reason:
            raise FileRefused(path, reason, what)
        if st.st_size > limit:
            raise FileRefused(path, "too_large", what, size=st.st_size, limit=limit, fix=fix_large)
        yield Opened(path, fd, st.st_size, st.st_mode, limit, what, fix_large)
    finally:
        os.close(fd)


def read_input(path: Path | str, *, limit: int, what: Label = _FILE,
               follow_links: bool = True, empty_ok: bool = True,
               fix_large: Label | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; else FileRefused."""
    with open_input(path, limit=limit, what=what, follow_links=follow_links,
                    fix_large=fix_large) as opened:
        try:
            data = opened.read()
        except OSError as exc:  # an I/O error on a bad disk
            raise _os_error(opened.path, exc, what, follow_links) from None
    if not data and not empty_ok:
        raise FileRefused(Path(path), "empty", what)
    return data


def check_input(path: Path | str, *, limit: int, what: Label = _FILE,
                empty_ok: bool = True, fix_large: Label | None = None) -> int:
    """The size of ``path`` if it is a readable regular file within ``limit``; else FileRefused.

    For files a library opens by name (PyAV): the rules are checked without reading.
    """
    with open_input(path, limit=limit, what=what, fix_large=fix_large) as opened:
        size = opened.size
    if not size and not empty_ok:
        raise FileRefused(Path(path), "empty", what)
    return size


__all__ = [
    "MEDIA_LIMIT",
    "SECRET_LIMIT",
    "SETTINGS_LIMIT",
    "SOURCE_LIMIT",
    "FileRefused",
    "Opened",
    "check_input",
    "open_input",
    "read_input",
]
