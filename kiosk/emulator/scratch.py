"""One private folder per request for its uploads, removed without opening a file descriptor.

Removal by ``shutil.rmtree`` (and so ``tempfile.TemporaryDirectory``) opens the folder to list
it; when the process has run out of descriptors that fails, and the folder stays (186 were left
at a limit of 1024). Here the folder's files are registered as they are created, so removal is
``os.unlink`` of known paths and ``os.rmdir``, which need no descriptor. A folder that still
cannot be removed is remembered and tried again after the next request.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("kiosk.emulator")

PREFIX = "kiosk-emulator-"


class RequestFolder:
    """A request's folder and the files created in it (registered before each is opened)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.created: list[Path] = []

    def remove(self) -> bool:
        """Unlink the registered files, then the folder; True when the folder is gone."""
        for file in self.created:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                os.unlink(file)
        try:
            os.rmdir(self.path)
        except FileNotFoundError:
            return True
        except OSError:
            # Something unregistered is inside: the listing way, which needs descriptors.
            shutil.rmtree(self.path, ignore_errors=True)
            return not os.path.lexists(self.path)
        return True


class RequestFolders:
    """Makes and removes the request folders inside ``parent`` (None: the temporary folder)."""

    def __init__(self, parent: Path | None) -> None:
        self.parent = parent
        self._left: set[Path] = set()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def new(self) -> Iterator[RequestFolder]:
        """A fresh 0700 folder (``mkdir`` only), removed when the block ends, whatever happened."""
        folder = RequestFolder(Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.parent)))
        try:
            yield folder
        finally:
            self._remove(folder)

    def _remove(self, folder: RequestFolder) -> None:
        gone = folder.remove()
        with self._lock:
            retry, self._left = self._left, set()
        if not gone:
            log.warning("could not delete the request folder %s yet; trying again after the "
                        "next request", folder.path.name)
            retry.add(folder.path)
        for path in retry:
            if path != folder.path:
                shutil.rmtree(path, ignore_errors=True)
            if os.path.lexists(path):
                with self._lock:
                    self._left.add(path)

    @property
    def left_over(self) -> frozenset[Path]:
        """Folders whose removal failed and waits for a retry."""
        with self._lock:
            return frozenset(self._left)


__all__ = ["PREFIX", "RequestFolder", "RequestFolders"]
