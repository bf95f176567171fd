"""Fake client, capture, workspace, checks and clock for flow tests: no devices, no network, no sleep."""

from __future__ import annotations

import heapq
import itertools
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.api import CompareResult, LiveResult
from kiosk.api.codes import lookup
from kiosk.checks.card_frame import CARD_MESSAGES, CardFeedback, Rect
from kiosk.checks.faces import FaceBox
from kiosk.checks.findings import Finding, Severity
from kiosk.checks.live import MESSAGES, FrameFeedback, Status
from kiosk.errors import ServiceError
from kiosk.media.errors import CameraLost, MicrophoneFault
from kiosk.media.types import STALL_S, VideoFrame


class FakeClock:
    """A monotonic clock that only moves when told; callbacks fire at their times on the way."""

    def __init__(self) -> None:
        self.t = 1000.0
        self._lock = threading.Lock()
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.t

    def at(self, when: float, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the clock reaches ``when``."""
        with self._lock:
            heapq.heappush(self._timers, (when, next(self._order), callback))

    def step(self, deadline: float | None) -> bool:
        """Move to the next timer due by ``deadline`` (None: any) and fire it; else to the deadline.

        True when a timer fired.
        """
        with self._lock:
            due = self._timers and (deadline is None or self._timers[0][0] <= deadline)
            if due:
                when, _, callback = heapq.heappop(self._timers)
                self.t = max(self.t, when)
            elif deadline is not None:
                self.t = max(self.t, deadline)
        if due:
            callback()
        return bool(due)

    def advance(self, seconds: float) -> None:
        deadline = self.t + seconds
        while self.step(deadline):
            pass


class FakeWait:
    """The flow's wait on its inbox in fake time: the clock jumps to the next timer or deadline.

    Deterministic: a camera's pictures come at their times whatever the machine's load. A message
    already queued (a command from the test's thread) is taken first; with no deadline and no
    timer the wait is real (a call's thread will answer).
    """

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.calls = 0

    def __call__(self, messages: queue.SimpleQueue[Any], timeout: float | None) -> Any:
        self.calls += 1
        time.sleep(0)  # let the test's thread and the call's thread move
        deadline = None if timeout is None else self.clock() + max(0.0, timeout)
        while True:
            try:
                return messages.get_nowait()
            except queue.Empty:
                pass
            if not self.clock.step(deadline):
                break
        if deadline is None:
            return messages.get()
        try:
            return messages.get_nowait()
        except queue.Empty:
            return None


def live_reply(sim: int | None = 85, *, live_status: int | None = 0, live_msg: str = "OK",
               compare_status: int | None = 0, compare_msg: str = "OK") -> LiveResult:
    """What Client.idcardlivedetectfour returns for a reply with code 0."""
    return LiveResult("idcardlivedetectfour", 0, "success", live_status, live_msg, compare_status,
                      compare_msg, sim, None, compared=True, best_frame=b"\xff\xd8jpeg")


def compare_reply(similarity: float | None = 85.0, session_id: str = "sess-1") -> CompareResult:
    """What Client.idcardcompare returns for a reply with code 0."""
    return CompareResult(0, "success", similarity, session_id, raw={})


@dataclass
class FakeClient:
    """Records calls; answers with ``reply`` or raises ``refuse`` (a service code)."""

    code: str = "1357"
    reply: LiveResult = field(default_factory=live_reply)  # for both video calls
    compare: CompareResult = field(default_factory=compare_reply)  # for idcardcompare
    refuse: int | None = None
    refuse_first: list[int] = field(default_factory=list)  # codes for the first uploads, in order
    error: Exception | None = None  # raised by every upload instead (a guard, the network)
    gate: threading.Event | None = None  # an upload waits on it, sending progress meanwhile
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    uploaded_existed: list[bool] = field(default_factory=list)
    aborts: int = 0
    closed: bool = False

    def livegetfour(self, seq: str | None = None) -> str:
        self.calls.append(("livegetfour", {"seq": seq}))
        return self.code

    def _upload(self, name: str, video: Path | None, progress: Any, **kw: Any) -> None:
        self.calls.append((name, {"video": video, **kw}))
        if video is not None:
            self.uploaded_existed.append(Path(video).is_file())
        total = 100_000
        if progress is not None:
            progress(0, total)
            while self.gate is not None and not self.gate.wait(0.001):
                progress(1, total)  # the cancel check runs in here
            progress(total, total)
        if self.error is not None:
            raise self.error
        if self.refuse_first:
            code = self.refuse_first.pop(0)
            raise ServiceError(code, "refused", lookup(code))
        if self.refuse is not None:
            raise ServiceError(self.refuse, "refused", lookup(self.refuse))

    def idcardcompare(self, idcard_number: str, idcard_name: str, *, image: Any = None,
                      url: Any = None, session_id: Any = None) -> CompareResult:
        self._upload("idcardcompare", None, None, idcard_number=idcard_number,
                     idcard_name=idcard_name, image=image, session_id=session_id,
                     **({"url": url} if url else {}))
        return self.compare

    def livedetectfour(self, video: Path, validate_data: str, *, card: Any = None,
                       compare_flag: bool = True, seq: Any = None,
                       progress: Any = None) -> LiveResult:
        self._upload("livedetectfour", video, progress, validate_data=validate_data,
                     card=card, compare_flag=compare_flag, seq=seq)
        return replace(self.reply, call="livedetectfour", compared=compare_flag)

    def idcardlivedetectfour(self, video: Path, validate_data: str, idcard_number: str,
                             idcard_name: str, *, seq: Any = None,
                             progress: Any = None) -> LiveResult:
        self._upload("idcardlivedetectfour", video, progress, validate_data=validate_data,
                     idcard_number=idcard_number, idcard_name=idcard_name, seq=seq)
        return self.reply

    def abort(self) -> None:
        self.aborts += 1

    def close(self) -> None:
        self.closed = True

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


class FakeRecording:
    """Writes its file at once; done when the fake clock has moved ``seconds`` on."""

    def __init__(self, out: Path, seconds: float, clock: FakeClock) -> None:
        self.out, self.seconds, self.clock = out, seconds, clock
        self.started = clock()
        self.cancelled = False
        out.write_bytes(b"\x00" * 1000)

    @property
    def elapsed(self) -> float:
        return min(self.seconds, self.clock() - self.started)

    def done(self) -> bool:
        return self.cancelled or self.elapsed >= self.seconds

    def stop(self) -> None:
        self.started = self.clock() - self.seconds

    def cancel(self) -> None:
        self.cancelled = True
        self.out.unlink(missing_ok=True)

    def wait(self, timeout: float | None = None) -> Path:
        return self.out


class FakeCapture:
    """A camera at ``fps`` on the fake clock, each picture's pixels its number (mod 256).

    The first picture is there at once (a camera already warm). ``frames=False``: one that never
    delivers, lost after the media layer's stall timeout. ``sound``: the microphone's 16 kHz track
    from start() on (none: silence). ``mic_gone``: seconds after start() when the microphone is
    removed (MicrophoneFault naming it, as kiosk.media says it; None: never).
    """

    def __init__(self, clock: FakeClock, *, frames: bool = True, level: float = -20.0,
                 fps: float = 30.0, sound: np.ndarray | None = None,
                 mic_gone: float | None = None) -> None:
        self.clock = clock
        self.mic_gone = mic_gone
        self.sound = np.zeros(0, np.float32) if sound is None else sound
        self._t0 = 0.0
        self.frames = frames
        self.level = level
        self.fps = fps
        self.started = self.stopped = False
        self.recordings: list[FakeRecording] = []
        self.error: CameraLost | MicrophoneFault | None = None
        self.notify: Callable[[], None] | None = None
        self.made: dict[int, VideoFrame] = {}
        self._latest: VideoFrame | None = None

    def start(self) -> None:
        self.started = True
        self._t0 = self.clock()
        if self.frames:
            self._deliver(int(self.clock() * self.fps))
        else:
            self.clock.at(self.clock() + STALL_S, self._lost)
        if self.mic_gone is not None:
            self.clock.at(self.clock() + self.mic_gone, self._mic_lost)

    def _next(self, n: int) -> None:
        self.clock.at(n / self.fps, lambda: self._deliver(n))

    def _deliver(self, n: int) -> None:
        if self.stopped:
            return
        self._latest = self.made[n] = VideoFrame(np.full((48, 64, 3), n % 256, np.uint8),
                                                 n / self.fps)
        self._next(n + 1)
        self._tell()

    def _lost(self) -> None:
        if not self.stopped:
            self.error = CameraLost("fake", STALL_S)
            self._tell()

    def _mic_lost(self) -> None:
        if not self.stopped:
            self.error = MicrophoneFault("default", "gone", "USB Microphone")
            self._tell()

    def _tell(self) -> None:
        if self.notify is not None:
            self.notify()

    def latest_frame(self) -> VideoFrame | None:
        return self._latest

    def level_dbfs(self) -> float:
        return self.level

    def recent_sound(self, seconds: float) -> tuple[np.ndarray, int]:
        end = min(self.sound.size, int((self.clock() - self._t0) * 16000))
        return self.sound[max(0, end - int(seconds * 16000)):end], 16000

    def record(self, out: Path, *, seconds: float = 5.0, fmt: str = "mp4") -> FakeRecording:
        rec = FakeRecording(out, seconds, self.clock)
        self.recordings.append(rec)
        return rec

    def stop(self) -> None:
        self.stopped = True


class FakeWorkspace:
    """A private folder under ``root``, removed on close."""

    def __init__(self, root: Path) -> None:
        self._path = Path(tempfile.mkdtemp(prefix="session-", dir=root))
        self.closed = False

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        self.closed = True
        shutil.rmtree(self._path, ignore_errors=True)


def feedback(status: Status = "ok") -> FrameFeedback:
    """What LiveFrameChecker.check says of a frame with one face, in the checker's words."""
    face = None if status == "no_face" else FaceBox(10.4, 10.6, 20.0, 20.0)
    return FrameFeedback(status, face, 0 if face is None else 1, status != "off_center", 0.3,
                         120.0, *MESSAGES[status])


def finding(code: int, severity: Severity = "block") -> Finding:
    entry = lookup(code)
    return Finding(code, severity, 1, 2, entry.zh, entry.en)


@dataclass
class FakeChecks:
    """Findings on cue per kind; the face is placed right unless ``face_ok`` is False."""

    identity_findings: list[Finding] = field(default_factory=list)
    image_findings: list[Finding] = field(default_factory=list)
    clip_findings: list[Finding] = field(default_factory=list)
    face_ok: bool = True
    # The held-up card: ok from this picture number on (None: never); sharpness = the number.
    card_ok_from: int | None = 0
    seen: list[tuple[str, Any]] = field(default_factory=list)

    def identity(self, id_number: str, name: str) -> list[Finding]:
        self.seen.append(("identity", id_number))
        return list(self.identity_findings)

    def image(self, data: bytes, role: str) -> list[Finding]:
        self.seen.append(("image", role))
        return list(self.image_findings)

    def clip(self, path: Path, extra_body_bytes: int) -> list[Finding]:
        self.seen.append(("clip", (path.is_file(), extra_body_bytes)))
        return list(self.clip_findings)

    def frame(self, image: np.ndarray) -> FrameFeedback:
        return feedback("ok" if self.face_ok else "too_far")

    def card_frame(self, image: np.ndarray) -> CardFeedback:
        n = int(image[0, 0, 0])
        ok = self.card_ok_from is not None and n >= self.card_ok_from
        status = "ok" if ok else "no_card"
        card = Rect(4.0, 4.0, 56.0, 35.0) if ok else None
        return CardFeedback(status, card, None, int(ok), 0.9 if ok else 0.0, float(n), 0.0, 200.0,
                            *CARD_MESSAGES[status])


class Recorder:
    """A listener that keeps every event and the threads it was called on."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.threads: set[str] = set()
        self._lock = threading.Lock()
        # Called with each event on the worker, after it is kept (a test answering a CardTaken).
        self.react: Callable[[Any], None] | None = None

    def __call__(self, event: Any) -> None:
        with self._lock:
            self.events.append(event)
            self.threads.add(threading.current_thread().name)
        if self.react is not None:
            self.react(event)

    def of(self, kind: type) -> list[Any]:
        with self._lock:
            return [e for e in self.events if isinstance(e, kind)]
