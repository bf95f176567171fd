"""Calling an ASGI app in-process, without a socket or an HTTP client library.

The emulator's hostile-request and fuzz tests send thousands of requests; going through a real
server costs a connection and two threads each. Here the request is handed to the app as ASGI
events (the body in chunks, as uvicorn would), and the reply is collected from its events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class Answer:
    """What the app sent: status, headers (lower-case names) and the whole body."""

    status: int
    headers: dict[str, str]
    body: bytes


async def call(app: Any, method: str, path: str, headers: Sequence[tuple[bytes, bytes]],
               chunks: Iterable[bytes]) -> Answer:
    """One request through ``app``; ``headers`` are raw (name, value) pairs."""
    pending = list(chunks) or [b""]
    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1", "method": method, "scheme": "http", "path": path,
        "raw_path": path.encode("latin-1", "replace"), "query_string": b"", "root_path": "",
        "headers": [(k.lower(), v) for k, v in headers],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8787), "state": {},
    }
    sent: list[dict[str, Any]] = []
    index = 0

    async def receive() -> dict[str, Any]:
        nonlocal index
        if index < len(pending):
            chunk = pending[index]
            index += 1
            return {"type": "http.request", "body": chunk, "more_body": index < len(pending)}
        return {"type": "http.disconnect"}  # after the body: the client has gone

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    names = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
    return Answer(start["status"], names, body)


def run(app: Any, method: str, path: str, headers: Sequence[tuple[bytes, bytes]],
        chunks: Iterable[bytes]) -> Answer:
    """:func:`call` on a fresh event loop (for tests that are not async themselves)."""
    return asyncio.run(call(app, method, path, headers, chunks))
