"""The welcome screen says whether the service answers, before the first customer."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.api.codes import lookup
from kiosk.config import Paths, Settings
from kiosk.errors import ConfigError, ConnectError, ProtocolError, ServiceError, TLSError
from kiosk.ui.service_probe import ServiceProbe, ServiceState, classify
from kiosk.ui.session import assemble
from tests.gui.conftest import FixedDevices
from tests.support.fault_server import FaultServer, reply


@pytest.mark.parametrize(("exc", "state"), [
    (None, ServiceState.OK),
    (ConnectError("refused"), ServiceState.UNREACHABLE),
    (TLSError("bad certificate"), ServiceState.UNREACHABLE),
    (ProtocolError("HTTP 503"), ServiceState.UNREACHABLE),
    (ServiceError(-5802, "busy", lookup(-5802)), ServiceState.UNREACHABLE),
    (ServiceError(14, "bad signature", lookup(14)), ServiceState.MISCONFIGURED),
    (ServiceError(11, "no such secret id", lookup(11)), ServiceState.MISCONFIGURED),
    (ConfigError("missing credentials"), ServiceState.MISCONFIGURED),
])
def test_each_probe_outcome_is_one_state(exc: BaseException | None, state: ServiceState) -> None:
    assert classify(exc) is state


class Switchable:
    """A probe call that fails until told otherwise; counts its calls."""

    def __init__(self) -> None:
        self.error: BaseException | None = ConnectError("cannot connect to 127.0.0.1: refused")
        self.calls = 0
        self.called = threading.Event()

    def __call__(self) -> None:
        self.calls += 1
        self.called.set()
        if self.error is not None:
            raise self.error


def test_the_welcome_screen_says_so_and_recovers(qtbot: Any, make_window: Any) -> None:
    call = Switchable()
    probe = ServiceProbe(call, ok_every=3600, fail_every=3600)
    w = make_window(probe=probe)
    try:
        probe.start()
        qtbot.waitUntil(lambda: w.welcome.service.isVisible(), timeout=5000)
        text = w.welcome.service.text()
        assert "工作人员" in text and w.welcome.service.property("role") == "warning"
        assert w.welcome.service.contentsRect().left() > 0, "the warning box has its padding"
        assert "127.0.0.1" not in text, "the customer is not shown the technical detail"
        assert w.welcome.start.isEnabled(), "a try stays possible: the network may be back"
        call.error = None
        probe.recheck()  # as after the operator saved new settings
        qtbot.waitUntil(lambda: w.welcome.service.property("role") == "ok", timeout=5000)
        assert w.welcome.service.text() == "核验服务已连接。"
        call.error = ServiceError(14, "signature check failed", lookup(14))
        probe.recheck()
        qtbot.waitUntil(lambda: "尚未设置" in w.welcome.service.text(), timeout=5000)
    finally:
        probe.stop()
    assert probe._thread is None, "the thread ended"


def _assembled_probe(tmp_path: Path, endpoint: str) -> Any:
    paths = Paths.under(tmp_path / "kiosk")
    settings = Settings(paths, env={})
    for key, value in (("endpoint", endpoint), ("appid", "1000001"), ("secret_id", "AKIDx"),
                       ("secret_key", "s3cret")):
        settings.assign(key, value)
    parts = assemble(settings, paths, FixedDevices([]))
    assert not parts.demo and parts.probe is not None
    return parts.probe


def test_the_real_probe_tells_a_closed_port_from_a_refused_signature(tmp_path: Path) -> None:
    with pytest.raises(Exception) as closed:
        _assembled_probe(tmp_path, "http://127.0.0.1:9")()
    assert classify(closed.value) is ServiceState.UNREACHABLE
    with FaultServer([reply(14, message="signature check failed")]) as server:
        with pytest.raises(ServiceError) as refused:
            _assembled_probe(tmp_path, server.url)()
        assert classify(refused.value) is ServiceState.MISCONFIGURED
        assert len(server.received) == 1, "one call, no retries"
    with FaultServer([reply(0, data={"validate_data": "1234"})]) as ok:
        _assembled_probe(tmp_path, ok.url)()  # no error: the service answers
        assert ok.received[0].path.endswith("/livegetfour")
