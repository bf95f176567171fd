"""Benchmarks of the API client, each beside a baseline (not collected by pytest).

    .venv/bin/python tests/benchmarks/bench_api_client.py

1. Reading a reply with a trailing comma and a base64 best frame (~60 KB): the client's
   ``parse_reply`` (strict ``json``, then ``pyjson5``) against pure-Python ``json5``.
2. The pre-send guard: the exact multipart size of a 5.5 MB video plus card (``measure``).
3. Uploading a 5.5 MB video to a local server on 127.0.0.1: the client (streamed multipart,
   progress callback, overall deadline) against a bare ``requests.post`` of the same bytes.
4. Signing: one Authorization header.
"""

from __future__ import annotations

import base64
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import json5
import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.api import Client, measure, parse_reply, signature  # noqa: E402
from tests.support.fault_server import FaultServer, reply  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def row(what: str, ours: float, base: float, unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1e6
    print(f"{what:<52} {ours * scale:>9.2f} {unit}   baseline {base * scale:>9.2f} {unit}   "
          f"speed-up x{base / ours:,.1f}")


def main() -> None:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; figures are medians and "
          "noisy on a shared machine\n")
    photo = base64.b64encode(os.urandom(45_000)).decode()
    body = ('{\n  "data":{\n    "live_status":0,\n    "live_msg":"OK",\n    "compare_status":0,\n'
            f'    "compare_msg":"OK",\n    "sim":90,\n    "video_photo":"{photo}",\n  }},\n'
            '  "code":0,\n  "message":"OK"\n}').encode()
    ours = timed(lambda: parse_reply(body), 50)
    base = timed(lambda: json5.loads(body.decode()), 3)
    row(f"lenient reply, {len(body) // 1000} KB, trailing comma", ours, base)

    with tempfile.TemporaryDirectory() as folder, FaultServer([reply(0, {"live_status": 0})]) as srv:
        video = Path(folder) / "clip.mp4"
        video.write_bytes(os.urandom(5_500_000))
        card = os.urandom(200_000)
        card = b"\xff\xd8\xff\xe0" + card
        client = Client(srv.url, "1000001", "AKIDbench", "bench-secret-key", retries=0)
        request = client.build_request("livedetectfour", video=video, validate_data="1357",
                                       card=card)
        guard = timed(lambda: measure(request), 20)
        read = timed(video.read_bytes, 5)
        row("size guard, 5.7 MB body (vs reading the file)", guard, read)

        calls: list[int] = []
        upload = timed(lambda: client.livedetectfour(
            video, "1357", card=card, progress=lambda sent, total: calls.append(sent)), 5)
        data = video.read_bytes() + card
        with requests.Session() as session:
            plain = timed(lambda: session.post(srv.url + "/face/livedetectfour", data=data,
                                               timeout=30).content, 5)
        row("upload 5.7 MB to 127.0.0.1 (vs bare requests.post)", upload, plain)
        print(f"{'':<52} client {5.7 / upload:,.0f} MB/s, bare {5.7 / plain:,.0f} MB/s, "
              f"{len(calls) // 5} progress calls per upload")
        client.close()

    ours = timed(lambda: signature.sign("1000001", "AKIDbench", "bench-secret-key",
                                        now=1_700_000_000, rand=42), 2000)
    print(f"{'sign one request':<52} {ours * 1e6:>10.2f} us")


if __name__ == "__main__":
    main()
