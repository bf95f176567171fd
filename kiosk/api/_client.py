"""The client: the four calls of the v1 API, signed afresh per attempt, retried only where safe."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from requests_toolbelt.multipart.encoder import MultipartEncoder, MultipartEncoderMonitor

from kiosk import __version__
from kiosk.api import _requests as build
from kiosk.api import messages
from kiosk.api._exceptions import HTTPStatusError, RateLimitedError, ReadTimeoutError, StalledError
from kiosk.api._replies import CompareResult, LiveResult, four_digits, parse_reply
from kiosk.api._requests import ApiRequest, open_body
from kiosk.api._retry import Backoff, may_retry, retry_after
from kiosk.api._timeouts import STALL_S, RateMeter, StallWatch, call_deadline, upload_seconds
from kiosk.api._transport import Deadline, RequestsTransport, Transport, WireRequest, WireResponse
from kiosk.api.codes import lookup
from kiosk.api.signature import DEFAULT_LIFETIME_S, RAND_MAX, sign
from kiosk.endpoint import endpoint_url
from kiosk.errors import (
    ApiError,
    Cancelled,
    ConfigError,
    KioskError,
    ProtocolError,
    ServiceError,
    TimeoutError_,
)
from kiosk.texts import Message

log = logging.getLogger("kiosk.api")

Progress = Callable[[int, int], None]
# A retry is made only when at least this much of the deadline (or a tenth of it) is left after
# the wait: an attempt with less time than that could only end in a deadline error.
MIN_ATTEMPT_S = 1.0


@dataclass(frozen=True)
class Reply:
    """A service reply that parsed: HTTP status and headers, the body, how many attempts it took."""

    status: int
    headers: Mapping[str, str] = field(repr=False)
    body: dict[str, Any]
    attempts: int = 1

    @property
    def data(self) -> dict[str, Any]:
        return self.body.get("data") or {}


class Client:
    """The v1 face-verification API: ``livegetfour``, ``idcardcompare``, ``livedetectfour``,
    ``idcardlivedetectfour``.

    ``session`` is a ``requests.Session`` or any ``Transport`` (``MockTransport`` in tests);
    ``clock`` (Unix seconds) signs, ``rng`` makes nonces, boundaries and jitter, ``sleep`` waits
    between attempts, so tests need neither a network nor real time. ``retries`` is the number of
    extra attempts after the first; ``deadline`` bounds the whole call, every attempt and the
    waits between them (default: from the body's size and the rate measured on earlier uploads,
    see _timeouts). ``stall_s``: an upload the network takes no byte of for this long ends with
    StalledError (None: never).
    """

    def __init__(
        self,
        endpoint: str,
        appid: str,
        secret_id: str,
        secret_key: str,
        *,
        bucket: str = "",
        host: str | None = None,
        session: requests.Session | Transport | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
        lifetime: int = DEFAULT_LIFETIME_S,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        retries: int = 3,
        deadline: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        backoff: Backoff | None = None,
        stall_s: float | None = STALL_S,
    ) -> None:
        endpoint = endpoint_url(endpoint)  # ConfigError when it is not one
        missing = [n for n, v in (("appid", appid), ("secret id", secret_id),
                                  ("secret key", secret_key)) if not v]
        if missing:
            raise ConfigError(messages.MISSING_CREDENTIALS(names=", ".join(missing)))
        self.endpoint = endpoint
        self.appid, self.bucket, self.host = appid, bucket, host
        self._secret_id, self._secret_key = secret_id, secret_key
        if session is None or isinstance(session, requests.Session):
            self.transport: Transport = RequestsTransport(session)
        else:
            self.transport = session
        self._clock, self._sleep, self._monotonic = clock, sleep, monotonic
        self._rng = rng if rng is not None else random.SystemRandom()
        self.lifetime, self.retries, self.deadline = lifetime, retries, deadline
        self.timeout = (connect_timeout, read_timeout)
        self.backoff = backoff or Backoff()
        self.stall_s = stall_s
        self.meter = RateMeter()  # this link's upload rate, from the uploads that finished
        self._aborts = 0  # abort() calls so far: a call that saw this change was cancelled
        self._aborts_lock = threading.Lock()

    def __repr__(self) -> str:  # the key never shows, not even in a traceback's locals
        return f"Client({self.endpoint!r}, appid={self.appid!r}, secret_key='***')"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session (when the client made it)."""
        self.transport.close()

    def abort(self) -> None:
        """Cancel the calls in flight, from any thread: each raises Cancelled at once.

        Their connections are cut (not waited out: a read timeout is 60 s) and they are not
        retried. Calls made afterwards are not affected.
        """
        with self._aborts_lock:
            self._aborts += 1
        self.transport.abort()

    # --- the four calls -------------------------------------------------------------------

    def livegetfour(self, seq: str | None = None) -> str:
        """Four digits for the person to read aloud."""
        reply = self.send(self.build_request("livegetfour", seq=seq))
        return four_digits(reply.data.get("validate_data"))

    def idcardcompare(self, idcard_number: str, idcard_name: str, *,
                      image: bytes | Path | None = None, url: str | None = None,
                      session_id: str | None = None) -> CompareResult:
        """Compare a photo (bytes, a file or a URL) with the registry's photo of that ID."""
        request = self.build_request("idcardcompare", idcard_number=idcard_number,
                                     idcard_name=idcard_name, image=image, url=url,
                                     session_id=session_id)
        return CompareResult.from_reply(self.send(request).body)

    def livedetectfour(self, video: Path, validate_data: str, *, card: bytes | Path | None = None,
                       compare_flag: bool = True, seq: str | None = None,
                       progress: Progress | None = None) -> LiveResult:
        """Liveness of the video and, with ``compare_flag``, its comparison with ``card``."""
        request = self.build_request("livedetectfour", video=Path(video),
                                     validate_data=validate_data, card=card,
                                     compare_flag=compare_flag, seq=seq)
        reply = self.send(request, progress=progress)
        return LiveResult.from_reply("livedetectfour", reply.body, compared=compare_flag)

    def idcardlivedetectfour(self, video: Path, validate_data: str, idcard_number: str,
                             idcard_name: str, *, seq: str | None = None,
                             progress: Progress | None = None) -> LiveResult:
        """Liveness of the video and its comparison with the registry's photo of that ID."""
        request = self.build_request("idcardlivedetectfour", video=Path(video),
                                     validate_data=validate_data, idcard_number=idcard_number,
                                     idcard_name=idcard_name, seq=seq)
        reply = self.send(request, progress=progress)
        return LiveResult.from_reply("idcardlivedetectfour", reply.body, compared=True)

    # --- building and sending -------------------------------------------------------------

    def build_request(self, call: str, **params: Any) -> ApiRequest:
        """A guarded request for ``call``; raises RequestRefused / InputError, sends nothing."""
        builders: dict[str, Callable[..., ApiRequest]] = {
            "livegetfour": build.build_livegetfour,
            "idcardcompare": build.build_idcardcompare,
            "livedetectfour": build.build_livedetectfour,
            "idcardlivedetectfour": build.build_idcardlivedetectfour,
        }
        if call not in builders:
            raise ValueError(f"unknown call {call!r}")
        return builders[call](self.appid, self.bucket, **params)

    def send(self, request: ApiRequest, *, progress: Progress | None = None) -> Reply:
        """Send with the retry rules; the reply when its code is 0, else ServiceError.

        Every attempt and every wait between attempts fits in one overall deadline (issue 14:
        four read timeouts and their backoff used to add up to 244 s): a retry that would not
        fit is not made, and the error says how long the call really took.
        """
        budget = self.deadline or call_deadline(request.body_length, self.meter,
                                                connect_s=self.timeout[0], read_s=self.timeout[1])
        deadline = Deadline(budget, self._monotonic)
        aborts = self._aborts
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(request, attempt, progress, deadline)
            except KioskError as error:
                if self._aborts != aborts:  # the cut connection's error is not the news
                    raise Cancelled(messages.CALL_CANCELLED(call=request.call)) from error
                if not isinstance(error, ApiError):
                    raise
                error.attempts = attempt
                if attempt > self.retries or not may_retry(error, idempotent=request.idempotent):
                    _note_time(error, deadline, attempt)
                    raise
                wait = getattr(error, "retry_after", None)
                delay = wait if wait is not None else self.backoff.delay(attempt, self._rng)
                if delay + min(MIN_ATTEMPT_S, budget / 10) > deadline.remaining():
                    _note_time(error, deadline, attempt)
                    raise
                log.info("%s attempt %d failed (%s); retrying in %.1f s",
                            request.call, attempt, type(error).__name__, delay)
                self._sleep(delay)
                if self._aborts != aborts:
                    raise Cancelled(messages.CALL_CANCELLED(call=request.call)) from error

    def _attempt(self, request: ApiRequest, attempt: int, progress: Progress | None,
                 deadline: Deadline) -> Reply:
        started = self._monotonic()
        watch: StallWatch | None = None
        with open_body(request, f"{self._rng.getrandbits(128):032x}") as body:
            stream: Any = body.stream
            if isinstance(stream, MultipartEncoder):
                watch = self._watch(body.length, progress)
                stream = MultipartEncoderMonitor(stream, _on_read(deadline, watch))
                if progress is not None:
                    progress(0, body.length)
            headers = {
                "Authorization": self._sign(),  # fresh per attempt: a resent one is a replay (13)
                "Content-Type": body.content_type,
                "Content-Length": str(body.length),
                "User-Agent": f"face-kiosk/{__version__} User({self.appid})",
            }
            if self.host:
                headers["Host"] = self.host
            wire = WireRequest(self.endpoint + request.path, headers, stream)
            if watch is None:
                response = self._transport_send(wire, deadline)
            else:
                response = self._watched_send(wire, deadline, watch, body.length)
        log.info("%s attempt %d: HTTP %d, %d bytes up, %d down, %.2f s", request.call, attempt,
                 response.status, body.length, len(response.body), self._monotonic() - started)
        return self._interpret(response, wire.host, attempt)

    def _transport_send(self, wire: WireRequest, deadline: Deadline,
                        timeout: tuple[float, float] | None = None) -> WireResponse:
        return self.transport.send(wire, timeout=timeout or self.timeout, deadline=deadline)

    def _watch(self, total: int, progress: Progress | None) -> StallWatch:
        """A watch on an upload's bytes as the network takes them (see StallWatch)."""
        # A transport from elsewhere may not know its send queue: then what was handed over.
        unsent: Callable[[], int] = getattr(self.transport, "unsent", lambda: 0)
        return StallWatch(total, unsent, stall_s=self.stall_s, on_stall=self.transport.abort,
                          progress=progress, clock=self._monotonic, answer_s=self.timeout[1])

    def _watched_send(self, wire: WireRequest, deadline: Deadline, watch: StallWatch,
                      length: int) -> WireResponse:
        """Send while the watch reports progress and ends a stalled upload; learn the link's rate.

        The socket's read timeout gets the body's time on the wire added (see _timeouts): its
        wait starts once the body is handed over, and the kernel may still hold most of it. The
        watch counts the read timeout itself from when the network took the last byte.
        """
        connect_s, read_s = self.timeout
        timeout = (connect_s, read_s + upload_seconds(length, self.meter))
        watch.start()
        try:
            response = self._transport_send(wire, deadline, timeout)
        except KioskError as error:
            if watch.stalled:
                assert watch.stall_s is not None
                raise StalledError(messages.UPLOAD_STALLED(host=wire.host, seconds=watch.stall_s)) from error
            if watch.late:
                raise ReadTimeoutError(messages.READ_TIMEOUT(host=wire.host, seconds=read_s)) from error
            raise
        finally:
            watch.stop()
            if watch.seconds is not None:
                self.meter.add(watch.total, watch.seconds)
        return response

    def _sign(self) -> str:
        return sign(self.appid, self._secret_id, self._secret_key, now=int(self._clock()),
                    rand=self._rng.randint(0, RAND_MAX), bucket=self.bucket,
                    lifetime=self.lifetime)

    def _rate_limited(self, headers: Mapping[str, str], host: str) -> RateLimitedError:
        wait = retry_after(headers, self._clock())
        if wait is None:
            return RateLimitedError(messages.RATE_LIMITED(host=host), retry_after=None)
        at = datetime.fromtimestamp(self._clock() + wait)  # local time, as the person reads it
        return RateLimitedError(messages.RATE_LIMITED_UNTIL(host=host, wait=wait, at=at),
                                retry_after=wait)

    def _interpret(self, response: WireResponse, host: str, attempt: int) -> Reply:
        try:
            body = parse_reply(response.body)
        except ProtocolError:
            if 200 <= response.status < 300:
                raise
            if response.status == 429:
                raise self._rate_limited(response.headers, host) from None
            raise _status_error(response.status, host) from None
        code = body["code"]
        if code != 0:
            error = ServiceError(code, str(body.get("message", "")), lookup(code), reply=body)
            if code == 9:
                _note_clock_skew(error, response.headers, self._clock())
            raise error
        return Reply(response.status, response.headers, body, attempt)


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _note_time(error: ApiError, deadline: Deadline, attempts: int) -> None:
    """Add to the last error the real time the call took (after a timeout or several tries)."""
    if attempts > 1 or isinstance(error, TimeoutError_):
        spent = _seconds(deadline.elapsed())
        _append(error, messages.GAVE_UP_AFTER_ONE_ATTEMPT(spent=spent) if attempts == 1
                else messages.GAVE_UP_AFTER_ATTEMPTS(spent=spent, attempts=attempts))


def _append(error: KioskError, part: Message) -> None:
    """Add a clause (``; ...``) to an error's texts in both languages."""
    error.en += part.en
    error.zh += part.zh


def _on_read(deadline: Deadline, watch: StallWatch) -> Callable[[MultipartEncoderMonitor], None]:
    def callback(monitor: MultipartEncoderMonitor) -> None:
        deadline.check()  # a trickling upload never trips a socket timeout; this catches it
        watch.handed = monitor.bytes_read
        watch.check()  # progress as the network takes the bytes, not as they are handed over

    return callback


def _status_error(status: int, host: str) -> HTTPStatusError:
    if status >= 500:
        return HTTPStatusError(status, messages.SERVER_FAILED(host=host, status=status))
    if 300 <= status < 400:
        return HTTPStatusError(status, messages.REDIRECTED(host=host, status=status))
    return HTTPStatusError(status, messages.HTTP_REFUSED(host=host, status=status))


def _note_clock_skew(error: ServiceError, headers: Mapping[str, str], now: float) -> None:
    """Code 9 usually means a wrong clock: say by how much, from the server's Date header."""
    try:
        server = parsedate_to_datetime(headers.get("Date", "")).timestamp()
    except (TypeError, ValueError):
        return
    skew = now - server
    if abs(skew) >= 5:
        _append(error, messages.CLOCK_OFF(skew=skew))
