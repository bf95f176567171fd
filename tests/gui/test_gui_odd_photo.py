"""The card or face photo chosen in the window: a pipe or a device is refused at once, and said so."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.flow.events import Mode
from tests.gui.conftest import MemorySettings


def _unblock(fifo: Path) -> None:
    """Open the pipe for writing and close it, so a reader blocked on it sees the end."""
    os.close(os.open(fifo, os.O_WRONLY))


@pytest.mark.timing
def test_a_pipe_or_a_device_is_not_a_photo(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    w = make_window(settings=MemorySettings(mode=Mode.CARD.value))
    fifo = tmp_path / "card.jpg"
    os.mkfifo(fifo)
    unblock = threading.Timer(3.0, _unblock, (fifo,))  # a blocked open becomes a failure
    unblock.start()
    start = time.monotonic()
    try:
        assert not w.load_photo(fifo)
    finally:
        unblock.cancel()
    assert time.monotonic() - start < 1.0
    assert "管道" in w.details.feedback.text() or "named pipe" in w.details.feedback.text()
    zero = tmp_path / "x.jpg"
    zero.symlink_to("/dev/zero")
    assert not w.load_photo(zero)
    assert "设备" in w.details.feedback.text() or "a device" in w.details.feedback.text()
