"""The flow's hold on the network: the sockets it leaves behind (issue 15).

A real client against a server on 127.0.0.1; the flow's worker and media parts are never started.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client
from kiosk.flow import Flow, FlowSettings
from tests.support.fault_server import FaultServer, delayed, hang, reply

from .conftest import APPID, SECRET_ID, SECRET_KEY

pytestmark = pytest.mark.timeout(60)

# keep-alive: the client pools the connection, as it does with the real service
OK_FOUR = reply(0, {"validate_data": "1357"}, extra={"Connection": "keep-alive"})


def open_sockets() -> int:
    """Sockets this process holds open (its own, the server's included)."""
    fds = Path("/proc/self/fd")
    count = 0
    for fd in fds.iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:  # closed while listed
            continue
    return count


def settles(cond: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``cond`` (the server's threads close their ends on their own time)."""
    deadline = time.monotonic() + timeout
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.02)
    return cond()


def unused(*_: Any) -> Any:
    raise AssertionError("no run is started in these tests")


def make_flow(client: Any, **kw: Any) -> Flow:
    return Flow(client, unused, unused, FlowSettings(), lambda event: None, **kw)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts sockets in /proc")
def test_replacing_flows_leaves_no_session_open() -> None:
    with FaultServer([OK_FOUR]) as server:
        before = open_sockets()
        kept = []  # the old flows stay referenced, as a reference cycle would keep them
        for _ in range(5):
            flow = make_flow(Client(server.url, APPID, SECRET_ID, SECRET_KEY), owns_client=True)
            assert flow.client.livegetfour() == "1357"  # a pooled connection now
            flow.close()
            kept.append(flow)
        assert settles(lambda: open_sockets() <= before), (open_sockets(), before)


def test_the_gui_flows_own_their_lazy_client(tmp_path: Path) -> None:
    from kiosk.config import Paths, Settings
    from kiosk.ui.session import assemble

    class NoDevices:
        def cameras(self) -> list[str]:
            return []

        def mics(self) -> list[str]:
            return []

    with FaultServer([OK_FOUR]) as server:
        env = {"KIOSK_ENDPOINT": server.url, "KIOSK_APPID": APPID, "KIOSK_SECRET_ID": SECRET_ID,
               "KIOSK_SECRET_KEY": SECRET_KEY}
        parts = assemble(Settings(Paths.under(tmp_path / "kiosk"), env=env),
                         Paths.under(tmp_path / "kiosk"), NoDevices())  # type: ignore[arg-type]
        try:
            assert not parts.demo
            before = open_sockets()
            for _ in range(3):  # as MainWindow.flow() does after a settings change
                flow = parts.flow_factory(lambda event: None)
                assert flow.client.livegetfour() == "1357"  # type: ignore[attr-defined]
                flow.close()
            assert settles(lambda: open_sockets() <= before), (open_sockets(), before)
        finally:
            parts.close()


# ---- cancel cuts the call in flight (issue 15) ---------------------------------------------------

ID, NAME = "11010519491231002X", "王芳"
ASSETS = Path(__file__).resolve().parents[2] / "assets"


def slow_client(url: str) -> Client:
    """The real timeouts: a cancel that waited for the reply would take 60 s."""
    return Client(url, APPID, SECRET_ID, SECRET_KEY, connect_timeout=5.0, read_timeout=60.0)


def received(server: FaultServer, count: int = 1) -> bool:
    return settles(lambda: len(server.received) >= count)


def test_abort_ends_a_call_waiting_for_its_reply_at_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.errors import Cancelled

    clip = ASSETS / "sample_clip.mp4"
    calls: dict[str, Callable[[Client], Any]] = {
        "livegetfour": lambda c: c.livegetfour(),
        "idcardcompare": lambda c: c.idcardcompare(ID, NAME, image=ASSETS / "card_photo.jpg"),
        "idcardlivedetectfour": lambda c: c.idcardlivedetectfour(clip, "1357", ID, NAME),
    }
    for name, call in calls.items():
        with FaultServer([hang(), delayed(30, OK_FOUR)]) as server, \
                ThreadPoolExecutor(1) as pool:
            client = slow_client(server.url)
            pending = pool.submit(call, client)
            assert received(server), name  # the request is in: now the wait for the reply
            started = time.monotonic()
            client.abort()
            with pytest.raises(Cancelled):
                pending.result(timeout=5)
            assert time.monotonic() - started < 1.0, name
            assert len(server.received) == 1, name  # not retried
            client.close()


def test_the_client_works_again_after_an_abort() -> None:
    with FaultServer([hang(), OK_FOUR]) as server:
        client = slow_client(server.url)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(client.livegetfour)
            assert received(server)
            client.abort()
            with pytest.raises(Exception):  # noqa: B017 - Cancelled, tested above
                pending.result(timeout=5)
        assert client.livegetfour() == "1357"  # the next person's call
        client.close()


@pytest.mark.parametrize("mode", ["idcard", "photo"])
def test_cancel_during_a_hanging_call_gives_a_cancelled_result_within_a_second(
        tmp_path: Path, mode: str) -> None:
    from kiosk.flow import Details, GuidancePolicy, Mode
    from tests.unit.flow.fakes import FakeCapture, FakeChecks, FakeClock, FakeWorkspace

    clock = FakeClock()
    details = (Details(Mode.IDCARD, ID, NAME) if mode == "idcard"  # hangs in livegetfour
               else Details(Mode.PHOTO, ID, NAME, photo=ASSETS / "card_photo.jpg"))  # idcardcompare
    with FaultServer([hang()]) as server:
        flow = Flow(slow_client(server.url), lambda: FakeCapture(clock),
                    lambda: FakeWorkspace(tmp_path), FlowSettings(guidance=GuidancePolicy.headless()),
                    lambda event: None, checks_factory=FakeChecks, owns_client=True)
        assert flow.start(details)
        assert received(server)
        started = time.monotonic()
        flow.cancel()
        result = flow.wait(5)
        assert result is not None and result.outcome == "cancelled", result
        assert time.monotonic() - started < 1.0
        flow.close()


def test_cancel_while_waiting_for_the_reply_to_an_upload_ends_within_a_second(
        tmp_path: Path) -> None:
    from kiosk.flow import Details, GuidancePolicy, Mode, Step
    from tests.unit.flow.fakes import FakeCapture, FakeChecks, FakeClock, FakeWait, FakeWorkspace

    clock = FakeClock()  # the preview, countdown and recording in fake time; the network is real
    settings = FlowSettings(guidance=GuidancePolicy.headless(), countdown_seconds=0,
                            clip_seconds=1.0)
    with FaultServer([OK_FOUR, hang()]) as server:
        flow = Flow(slow_client(server.url), lambda: FakeCapture(clock),
                    lambda: FakeWorkspace(tmp_path), settings, lambda event: None,
                    checks_factory=FakeChecks, owns_client=True, clock=clock,
                    wait=FakeWait(clock))
        assert flow.start(Details(Mode.IDCARD, ID, NAME))
        assert received(server, 2)  # the code, then the upload
        assert settles(lambda: server.received[1].complete)  # the body is in: the reply wait
        assert flow.step is Step.UPLOAD
        started = time.monotonic()
        flow.cancel()
        result = flow.wait(5)
        assert result is not None and result.outcome == "cancelled", result
        assert time.monotonic() - started < 1.0
        assert len(server.received) == 2, "not retried"
        assert list(tmp_path.iterdir()) == [], "the clip is deleted"
        flow.close()
