"""Writing a file whole or not at all: a temporary file beside it, renamed into place.

The settings, the secret file, a run's pending marker, an audit export and the demo's best frame
are written this way, so a crash or a full disk leaves the old file or the new one, never half.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE = 0o600  # faces, keys, settings: the user only
SHARED = 0o666  # what the user's umask allows (an export they asked for)


def write_atomic(path: Path, data: bytes, *, mode: int = PRIVATE, sync: bool = True) -> None:
    """Put ``data`` at ``path`` in one rename; OSError when it cannot be (nothing is left behind).

    The temporary file is created afresh (a crash's leftover is removed first: reusing it would
    keep its old mode) and never through a symbolic link. ``sync``: on disk before the rename, so
    a power cut too leaves one of the two.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(tmp, flags | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


__all__ = ["PRIVATE", "SHARED", "write_atomic"]
