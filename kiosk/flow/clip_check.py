"""The recorded clip's checks in a child process, so the window's process never holds their models.

The liveness measures (kiosk.checks.liveness) need dlib's 68-point landmark model: about 100 MB
resident once loaded, and ~0.7 s holding the interpreter lock while it loads. In the GUI's process
that put the window over its 300 MB budget and stalled the GUI thread; in a child started for the
check (spawned: the window's process runs Qt threads, which must not be forked) it costs the
session about a second instead, and nothing stays behind after it. Where the child cannot run
(a broken interpreter, a killed child), the check runs here, as it did before.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from kiosk.checks.findings import Finding

log = logging.getLogger("kiosk.flow")


def _check(path: str, extra_body_bytes: int) -> list[Finding]:
    from kiosk.checks import check_clip

    return list(check_clip(Path(path), extra_body_bytes=extra_body_bytes))


def check_clip_apart(path: Path, extra_body_bytes: int) -> list[Finding]:
    """kiosk.checks.check_clip(path) in a fresh child process; its findings, or its error."""
    try:
        with ProcessPoolExecutor(max_workers=1,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            return pool.submit(_check, str(path), extra_body_bytes).result()
    except (BrokenProcessPool, OSError) as exc:
        log.warning("clip check child failed (%s); checking in this process", type(exc).__name__)
        return _check(str(path), extra_body_bytes)


__all__ = ["check_clip_apart"]
