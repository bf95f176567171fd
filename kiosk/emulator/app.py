"""The emulator's HTTP app (Starlette): ``POST /face/<call>`` as the service answers it.

Per request: the body limit from Content-Length (23), the Authorization header (4, 5), the body
streamed into a private temporary folder (23 again while streaming, 21 when unreadable), the
rest of the signature (6 9 10 11 12 14 13), then the call itself on a worker thread so media
work never blocks the event loop (its face work in a process pool when one is given:
kiosk.emulator.facework). Every reply is strict JSON with HTTP 200, as the service sends
its codes in the body. The folder is removed when the request ends, whatever happened. A reply
sent before the body was read to its end carries ``Connection: close``: the server then stops
reading instead of receiving (and discarding) the rest of a huge body.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kiosk.checks.thresholds import BODY_LIMIT_BYTES
from kiosk.config.masking import mask_id
from kiosk.emulator.auth import Authenticator
from kiosk.emulator.body import BodyMalformedError, BodyTooLargeError, drain, read_body
from kiosk.emulator.calls import CALLS, FILE_FIELDS, Calls, Reply, refusal
from kiosk.emulator.faces import FaceEngine
from kiosk.emulator.facework import FaceWork, LocalFaceWork
from kiosk.emulator.fetch import make_fetcher
from kiosk.emulator.scratch import RequestFolders
from kiosk.emulator.store import Store

log = logging.getLogger("kiosk.emulator")

# "每个请求的包体大小限制为6MB" — the whole body, multipart framing included (docs/protocol.md), read
# as the kiosk's checks read it (10^6 bytes), so the two never disagree about a body.
BODY_LIMIT = BODY_LIMIT_BYTES


class StrictJSON(JSONResponse):
    """JSON that refuses NaN and keeps Chinese text readable."""

    def render(self, content: Any) -> bytes:
        import json

        return json.dumps(content, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


class OneLength:
    """HTTP 400 for a body framed two ways, by Transfer-Encoding and by Content-Length.

    HTTP/1.1 lets Transfer-Encoding win, but a proxy in front may have used the other one (the
    request smuggling trick); a real client never sends both, so neither is guessed.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            names = {name.lower() for name, _ in scope["headers"]}
            if b"transfer-encoding" in names and b"content-length" in names:
                log.info("refused a request with both Transfer-Encoding and Content-Length")
                reply = StrictJSON({"code": 3, "message": "bad request: both Transfer-Encoding "
                                    "and Content-Length", "data": {}},
                                   status_code=400, headers={"Connection": "close"})
                await reply(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    store: Store,
    *,
    clock: Callable[[], float] = time.time,
    checks: Any = None,
    faces: FaceWork | FaceEngine | None = None,
    fetch: Callable[[str], bytes] | None = None,
    body_limit: int = BODY_LIMIT,
    scratch_dir: Path | None = None,
) -> Starlette:
    """The ASGI app over ``store``; ``checks`` defaults to the ``kiosk.checks`` package.

    Uploaded files wait in a folder per request inside ``scratch_dir`` (default: the system's
    temporary folder) while they are judged, and are deleted with the reply. ``faces`` does the
    face work (kiosk.emulator.facework): default in the request's thread; the caller that passes a
    process pool closes it.
    """
    if checks is None:
        import kiosk.checks as checks
    # The multipart parser logs a warning per stray byte; the reader turns its refusal into 21.
    logging.getLogger("python_multipart").setLevel(logging.ERROR)
    auth = Authenticator(store, clock)
    folders = RequestFolders(scratch_dir)
    calls = Calls(
        store,
        clock=clock,
        checks=checks,
        faces=faces if isinstance(faces, FaceWork) else LocalFaceWork(faces),
        fetch=fetch or make_fetcher(store, limit=body_limit),
    )

    async def face_call(request: Request) -> StrictJSON:
        call = request.path_params["call"]
        if call not in CALLS:
            raise HTTPException(404, f"no call named {call!r}")
        started = time.perf_counter()
        try:
            reply, appid, size, unread = await _answer(request, call, auth, calls, body_limit,
                                                      folders)
        except ClientDisconnect:
            log.info("%s: the client disconnected before sending its whole body", call)
            return StrictJSON({"code": 3, "message": "client disconnected", "data": {}})
        except OSError as exc:
            # The machine, not the client: out of descriptors or disk space. Transient, and a
            # line in the log says it; a traceback would add nothing.
            log.warning("%s: cannot keep the upload (%s)", call, exc.strerror or exc)
            reply, appid, size, unread = refusal(-5802, "the emulator is out of resources"), "", 0, True
        except Exception:
            # A bug of the emulator, not the client's fault: the service's "internal error".
            log.exception("%s failed inside the emulator", call)
            reply, appid, size, unread = refusal(-5802, "the emulator failed; see its log"), "", 0, True
        log.info(
            "%s appid=%s id=%s bytes=%d code=%d %.0f ms",
            call, appid or "-", mask_id(reply.id_number) if reply.id_number else "-",
            size, reply.code, (time.perf_counter() - started) * 1000,
        )
        if reply.code != 0:
            log.debug("%s refused: %s", call, reply.message)
        return StrictJSON(reply.to_json(), headers={"Connection": "close"} if unread else None)

    async def index(request: Request) -> StrictJSON:
        return StrictJSON({"service": "kiosk emulator of the face-verification API v1",
                           "calls": [f"POST /face/{c}" for c in CALLS]})

    async def http_error(request: Request, exc: Exception) -> StrictJSON:
        status = getattr(exc, "status_code", 500)
        detail = getattr(exc, "detail", "error")
        return StrictJSON({"code": 3, "message": f"bad request: {detail}", "data": {}},
                          status_code=status)

    app = Starlette(
        routes=[Route("/face/{call}", face_call, methods=["POST"]), Route("/", index)],
        exception_handlers={HTTPException: http_error},
        middleware=[Middleware(OneLength)],
    )
    app.state.calls = calls
    app.state.auth = auth
    return app


async def _answer(request: Request, call: str, auth: Authenticator, calls: Calls,
                  limit: int, folders: RequestFolders) -> tuple[Reply, str, int, bool]:
    """Run one request through the checks in order.

    Returns the reply, the appid, the body size and whether part of the body was left unread.
    """
    stream = request.stream()
    declared = request.headers.get("content-length", "")
    # ASCII digits only ("²".isdigit() is true), and no int() of thousands of digits.
    if declared.isascii() and declared.isdigit() and (len(declared) > 15 or int(declared) > limit):
        # Refused on the header alone; what is read now is only discarded, never kept.
        await drain(stream)
        shown = declared if len(declared) <= 15 else f"{declared[:15]}... ({len(declared)} digits)"
        size = int(declared) if len(declared) <= 15 else 0
        return refusal(23, f"{shown} bytes, the limit is {limit}"), "", size, True
    header_result, parsed = auth.check_header(request.headers.get("authorization"))
    with folders.new() as folder:
        try:
            body = await read_body(
                stream, request.headers.get("content-type", ""), folder.path,
                limit=limit, file_fields=FILE_FIELDS[call], created=folder.created,
            )
        except BodyTooLargeError as exc:
            await drain(stream)
            return refusal(23, f"over {limit} bytes"), "", int(exc.args[0]), True
        except BodyMalformedError as exc:
            if parsed is None:
                return refusal(header_result.code, header_result.reason), "", 0, True
            return refusal(21, str(exc)), parsed.appid, 0, True
        if parsed is None:
            return refusal(header_result.code, header_result.reason), "", body.size, False
        result = auth.verify(parsed, body.fields.get("appid"))
        if result.code != 0:
            return refusal(result.code, result.reason), result.appid, body.size, False
        reply = await run_in_threadpool(calls.handle, call, result.appid, body)
        return reply, result.appid, body.size, False
