"""A field agent's link (tests.support.throttle_proxy): stalls end the call, nothing is resent.

The stall limit is a parameter, so a stall is found in about a second here, not in 15 s.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.api._exceptions import StalledError
from kiosk.errors import TimeoutError_
from kiosk.flow.verdict import from_error
from tests.support.fault_server import FaultServer, hang, reply
from tests.support.throttle_proxy import ThrottleProxy

LIVE_OK = {"live_status": 0, "live_msg": "OK", "compare_status": 0, "compare_msg": "OK", "sim": 91}


def upload(client: Any, video: Path, progress: list[tuple[float, int]] | None = None) -> Any:
    seen = progress if progress is not None else []
    return client.livedetectfour(video, "1234", card=None, compare_flag=False,
                                 progress=lambda sent, total: seen.append((time.monotonic(), sent)))


def test_a_stall_mid_upload_ends_in_could_not_check_within_the_stall_limit(
        make_client: Any, video: Path) -> None:
    with FaultServer([reply(0, LIVE_OK)]) as server, \
            ThrottleProxy(server.port, rate=128_000, latency_s=0.05) as proxy:
        proxy.stall(after_bytes=64_000, seconds=30.0)
        client = make_client(proxy.url, stall_s=1.0, deadline=None, read_timeout=60.0)
        started = time.monotonic()
        with pytest.raises(StalledError) as info:
            upload(client, video)
        spent = time.monotonic() - started
        assert proxy.stalled_at is not None
        assert time.monotonic() - proxy.stalled_at < 3.0  # found within about a second, not 30
        assert spent < 5.0, spent
        assert proxy.completed(video.stat().st_size) == 0 and len(proxy.up_bytes) == 1  # not resent
    error = info.value
    assert isinstance(error, TimeoutError_)
    assert "stalled" in error.en and "carried nothing for 1 s" in error.en
    assert "停滞" in error.zh and "signal" in error.fix_en
    result = from_error("live", error, 70.0)
    assert result.outcome == "error" and result.cause == "network" and result.exit_code == 2


def test_a_slow_link_is_not_a_stall_and_progress_follows_the_wire(make_client: Any, video: Path) -> None:
    # 256 KiB at 128 kB/s: ~2 s of upload; the kiosk's socket buffers would swallow it at once,
    # so progress must come from what the link took, in steps, not one jump to the end.
    with FaultServer([reply(0, LIVE_OK)]) as server, \
            ThrottleProxy(server.port, rate=128_000, latency_s=0.05) as proxy:
        client = make_client(proxy.url, stall_s=1.0, deadline=None)
        ticks: list[tuple[float, int]] = []
        started = time.monotonic()
        result = upload(client, video, ticks)
        spent = time.monotonic() - started
    assert result.live_status == 0
    total = video.stat().st_size
    half = next(t for t, sent in ticks if sent >= total // 2) - started
    assert 0.5 < half < spent - 0.4, (half, spent)  # halfway was reached about halfway through
    gaps = [b[0] - a[0] for a, b in zip(ticks, ticks[1:], strict=False) if b[1] < total]
    assert max(gaps) < 0.75, gaps  # the bar kept moving
    # The link's rate as measured, for the next call's timeouts: what the upload really took.
    assert client.meter.measured is not None
    assert 0.8 * total / spent < client.meter.measured < 1.5 * total / spent < 160_000


def test_a_finished_upload_whose_answer_never_comes_is_not_resent(make_client: Any, video: Path) -> None:
    with FaultServer([hang()]) as server, ThrottleProxy(server.port, rate=400_000) as proxy:
        client = make_client(proxy.url, stall_s=0.5, read_timeout=1.0, deadline=3.0, retries=3)
        with pytest.raises(TimeoutError_) as info:
            upload(client, video)
        assert not isinstance(info.value, StalledError)  # the body went; the answer did not come
        assert len(server.received) == 1 and server.received[0].complete
        assert len(proxy.up_bytes) == 1  # one connection: no second upload
