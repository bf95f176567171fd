"""The client: the four calls of the v1 API, signed afresh per attempt, retried only where safe."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from requests_toolbelt.multipart.encoder import MultipartEncoder, MultipartEncoderMonitor

from kiosk import __version__
from kiosk.api import _requests as build
from kiosk.api._exceptions import HTTPStatusError, RateLimitedError
from kiosk.api._replies import CompareResult, LiveResult, four_digits, parse_reply
from kiosk.api._requests import ApiRequest, open_body
from kiosk.api._retry import Backoff, may_retry, retry_after
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

log = logging.getLogger("kiosk.api")

Progress = Callable[[int, int], None]
# The slowest upload rate still worth waiting for (256 kbit/s): it sizes the overall deadline.
MIN_UPLOAD_RATE = 32 * 1024
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
    waits between them (default: the two timeouts plus the body at 256 kbit/s).
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
    ) -> None:
        endpoint = endpoint_url(endpoint)  # ConfigError when it is not one
        missing = [n for n, v in (("appid", appid), ("secret id", secret_id),
                                  ("secret key", secret_key)) if not v]
        if missing:
            raise ConfigError(f"missing credentials: {', '.join(missing)}",
                              f"缺少凭据：{', '.join(missing)}",
                              fix_en="configure the appid, secret id and secret key",
                              fix_zh="请配置 appid、SecretId 和 SecretKey")
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
        budget = self.deadline or (sum(self.timeout) + request.body_length / MIN_UPLOAD_RATE)
        deadline = Deadline(budget, self._monotonic)
        aborts = self._aborts
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(request, attempt, progress, deadline)
            except KioskError as error:
                if self._aborts != aborts:  # the cut connection's error is not the news
                    raise Cancelled(f"{request.call} was cancelled",
                                    f"{request.call} 请求已取消") from error
                if not isinstance(error, ApiError):
                    raise
                error.attempts = attempt  # type: ignore[attr-defined]
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
                    raise Cancelled(f"{request.call} was cancelled",
                                    f"{request.call} 请求已取消") from error

    def _attempt(self, request: ApiRequest, attempt: int, progress: Progress | None,
                 deadline: Deadline) -> Reply:
        started = self._monotonic()
        with open_body(request, f"{self._rng.getrandbits(128):032x}") as body:
            stream: Any = body.stream
            if isinstance(stream, MultipartEncoder):
                stream = MultipartEncoderMonitor(stream, _on_read(deadline, progress, body.length))
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
            response = self._transport_send(wire, deadline)
        log.info("%s attempt %d: HTTP %d, %d bytes up, %d down, %.2f s", request.call, attempt,
                 response.status, body.length, len(response.body), self._monotonic() - started)
        return self._interpret(response, wire.host, attempt)

    def _transport_send(self, wire: WireRequest, deadline: Deadline) -> WireResponse:
        return self.transport.send(wire, timeout=self.timeout, deadline=deadline)

    def _sign(self) -> str:
        return sign(self.appid, self._secret_id, self._secret_key, now=int(self._clock()),
                    rand=self._rng.randint(0, RAND_MAX), bucket=self.bucket,
                    lifetime=self.lifetime)

    def _rate_limited(self, headers: Mapping[str, str], host: str) -> RateLimitedError:
        wait = retry_after(headers, self._clock())
        if wait is None:
            when_en, when_zh = "wait a minute and try again", "请等待一分钟后重试"
        else:
            at = time.strftime("%H:%M:%S", time.localtime(self._clock() + wait))
            when_en = f"wait {wait:.0f} s and try again (after {at})"
            when_zh = f"请等待 {wait:.0f} 秒后重试（{at} 之后）"
        return RateLimitedError(
            f"the service at {host} is limiting the rate of requests (HTTP 429, too many requests)",
            f"{host} 的服务正在限制请求频率（HTTP 429，请求过于频繁）",
            fix_en=when_en, fix_zh=when_zh, retry_after=wait)

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
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        error.en += f"; gave up after {spent} s in {tries}"
        error.zh += f"；共尝试 {attempts} 次，用时 {spent} 秒"


def _on_read(deadline: Deadline, progress: Progress | None,
             total: int) -> Callable[[MultipartEncoderMonitor], None]:
    def callback(monitor: MultipartEncoderMonitor) -> None:
        deadline.check()  # a trickling upload never trips a socket timeout; this catches it
        if progress is not None:
            progress(min(monitor.bytes_read, total), total)

    return callback


def _status_error(status: int, host: str) -> HTTPStatusError:
    if status >= 500:
        return HTTPStatusError(status, f"the server {host} failed with HTTP {status}",
                               f"服务器 {host} 出错（HTTP {status}）",
                               fix_en="try again in a few minutes", fix_zh="请几分钟后重试")
    if 300 <= status < 400:
        return HTTPStatusError(
            status, f"{host} redirected the request (HTTP {status}), as captive portals do",
            f"{host} 重定向了请求（HTTP {status}），可能是网络认证页面",
            fix_en="log in to the network, or check the endpoint URL",
            fix_zh="请先登录网络，或检查服务地址")
    return HTTPStatusError(status, f"{host} refused the request with HTTP {status}",
                           f"{host} 拒绝了请求（HTTP {status}）",
                           fix_en="check the endpoint URL and the Host header setting",
                           fix_zh="请检查服务地址和 Host 头设置")


def _note_clock_skew(error: ServiceError, headers: Mapping[str, str], now: float) -> None:
    """Code 9 usually means a wrong clock: say by how much, from the server's Date header."""
    try:
        server = parsedate_to_datetime(headers.get("Date", "")).timestamp()
    except (TypeError, ValueError):
        return
    skew = now - server
    if abs(skew) >= 5:
        error.en += f"; this machine's clock is {skew:+.0f} s off the server's"
        error.zh += f"；本机时钟与服务器相差 {skew:+.0f} 秒"
