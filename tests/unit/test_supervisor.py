"""The supervisor's rules, with small Python children instead of the GUI (fast)."""

from __future__ import annotations

import signal
import sys
import threading
import time
import types

import pytest

from kiosk import supervisor
from kiosk.supervisor import CrashLoopError, Supervisor, child_command

pytestmark = pytest.mark.skipif(not supervisor.supported(), reason="POSIX supervision")

# A child that says it is up, then does what its start number asks: "exit:N", "kill", "hang".
CHILD = """
import os, signal, sys, time
plan = sys.argv[1].split(",")
n = int(os.environ["KIOSK_WINDOW_START"])
what = plan[min(n, len(plan)) - 1]
fd = int(os.environ["KIOSK_HEARTBEAT_FD"])
if what.startswith("early:"):
    sys.exit(int(what[6:]))
os.write(fd, b"R")
if what.startswith("exit:"):
    sys.exit(int(what[5:]))
if what == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
if what == "beat":
    while True:
        os.write(fd, b"."); time.sleep(0.2)
time.sleep(60)  # hang: no more beats
"""


def _run(plan: str, **kw: float) -> tuple[int, Supervisor]:
    sup = Supervisor([plan], command=[sys.executable, "-c", CHILD], **kw)
    return sup.run(), sup


def test_a_normal_exit_ends_the_supervisor_with_0() -> None:
    status, sup = _run("exit:0")
    assert status == 0 and sup.starts == 1


def test_a_window_that_cannot_start_is_not_restarted() -> None:
    status, sup = _run("early:2")  # e.g. no display, no operator PIN in kiosk mode
    assert status == 2 and sup.starts == 1


def test_crashes_restart_the_window_until_it_exits_normally() -> None:
    status, sup = _run("kill,exit:3,exit:0")
    assert status == 0 and sup.starts == 3


def test_a_crash_loop_stops_with_a_bilingual_error(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    monkeypatch.setattr(supervisor, "BACKOFF_S", (0.0,))
    with caplog.at_level("ERROR"), pytest.raises(CrashLoopError) as caught:
        _run("kill")
    assert caught.value.exit_code != 0
    assert "crashed 5 times" in caught.value.text("en") and "崩溃 5 次" in caught.value.text("zh")
    assert "崩溃" in caplog.text and "crashed" in caplog.text


def test_a_hung_window_is_restarted_after_the_hang_time(caplog) -> None:
    start = time.monotonic()
    with caplog.at_level("INFO"):
        status, sup = _run("hang,exit:0", hang_s=1.0)
    assert status == 0 and sup.starts == 2
    assert 1.0 <= time.monotonic() - start < 15
    assert "has not answered for 1." in caplog.text


def test_a_beating_window_is_not_taken_for_hung() -> None:
    sup = Supervisor(["beat"], command=[sys.executable, "-c", CHILD], hang_s=1.0)
    threading.Timer(3.0, lambda: signal.raise_signal(signal.SIGTERM)).start()
    assert sup.run() == 128 + signal.SIGTERM
    assert sup.starts == 1


def test_the_child_command_is_the_bundle_itself_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert child_command() == [sys.executable]
    monkeypatch.delattr(sys, "frozen")
    assert child_command(types.ModuleType("pytest")) == [sys.executable, "-m", "kiosk"]
    entry = types.ModuleType("__main__")
    entry.__file__ = "/opt/kiosk/kiosk_entry.py"
    entry.KIOSK_ENTRY = True  # type: ignore[attr-defined]  # packaging/kiosk_entry.py
    assert child_command(entry) == [sys.executable, "/opt/kiosk/kiosk_entry.py"]
