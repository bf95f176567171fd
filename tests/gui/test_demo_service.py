"""The GUI's demo emulator runs in a child process: it answers, stops, and its failures are named."""

from __future__ import annotations

import os
import signal

import pytest

from kiosk.errors import ConfigError
from kiosk.ui.demo_service import DemoService, LazyClient

pytestmark = pytest.mark.slow


def test_serves_from_another_process_and_stops() -> None:
    from kiosk.api import Client  # type: ignore[attr-defined]

    service = DemoService()
    try:
        info = service.connection()
        assert service.pid not in (None, os.getpid())
        assert info["base_url"].startswith("http://127.0.0.1:")
        client = LazyClient(lambda: Client(info["base_url"], info["appid"], info["secret_id"],
                                           info["secret_key"]))
        code = client.livegetfour()
        assert len(code) == 4 and code.isdigit()
        client.close()
        assert service.connection() is info  # asked once, remembered
    finally:
        service.stop()
    assert not service._process.is_alive()
    service.stop()  # idempotent


def test_a_child_that_dies_is_a_clear_error() -> None:
    service = DemoService()
    try:
        assert service.pid is not None
        os.kill(service.pid, signal.SIGKILL)
        with pytest.raises(ConfigError) as info:
            service.connection()
        assert "did not start" in info.value.en and "模拟服务" in info.value.zh
        assert info.value.fix_en and info.value.fix_zh
        with pytest.raises(ConfigError):  # the same answer again, without waiting
            service.connection()
    finally:
        service.stop()


def test_a_slow_start_times_out_with_a_message() -> None:
    service = DemoService(start_timeout=0.0)
    try:
        with pytest.raises(ConfigError) as info:
            service.connection()
        assert "timed out" in info.value.en and "超时" in info.value.zh
        assert service.pid is not None
        os.kill(service.pid, signal.SIGKILL)  # no need to wait for the start it gave up on
    finally:
        service.stop()
    assert not service._process.is_alive()


def test_lazy_client_makes_its_client_once_on_first_call() -> None:
    made: list[object] = []

    class Fake:
        closed = False

        def livegetfour(self, seq: str | None = None) -> str:
            return "1357"

        def close(self) -> None:
            self.closed = True

    def make() -> Fake:
        made.append(Fake())
        return made[-1]  # type: ignore[return-value]

    lazy = LazyClient(make)
    assert made == []  # nothing waits for the service before the first call
    assert lazy.livegetfour() == "1357" and lazy.livegetfour() == "1357"
    assert len(made) == 1
    lazy.close()
    assert made[0].closed  # type: ignore[attr-defined]
