"""The flow worker's one queue: new camera pictures, the person's commands, service calls' news.

The worker blocks on :meth:`Inbox.get` with the time to its next real deadline (a countdown
second, a progress tick, the guidance cap); every producer only puts a message, from any thread.
Nothing polls: a worker with nothing to do sleeps until a message or its deadline.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Command = Literal["frame", "ready", "retake", "cancel"]


@dataclass(frozen=True)
class Sent:
    """Upload progress of the call in flight: bytes of the body sent of ``total``."""

    sent: int
    total: int


@dataclass(frozen=True)
class Done:
    """The call in flight ended with ``value``, or raised ``error``."""

    value: Any = None
    error: BaseException | None = None


Message = Command | Sent | Done
# Takes the next message, waiting up to ``timeout`` seconds (None: until one comes); None when
# none came. Tests pass one that moves a fake clock instead of waiting.
Wait = Callable[["queue.SimpleQueue[Message]", float | None], Message | None]


def wait_real(messages: queue.SimpleQueue[Message], timeout: float | None) -> Message | None:
    """Block on the queue up to ``timeout`` seconds."""
    try:
        return messages.get(timeout=None if timeout is None else max(0.0, timeout))
    except queue.Empty:
        return None


class Inbox:
    """Messages to one run's worker. ``cancelled`` stays set: a cancel is never lost in a drain."""

    def __init__(self, wait: Wait = wait_real) -> None:
        self._messages: queue.SimpleQueue[Message] = queue.SimpleQueue()
        self._wait = wait
        self._lock = threading.Lock()
        self._frame_queued = False
        self.cancelled = False

    # ---- any thread ---------------------------------------------------------------------

    def frame(self) -> None:
        """The capture has news (a new picture, or it failed): one wake-up however many come."""
        with self._lock:
            if self._frame_queued:
                return
            self._frame_queued = True
        self._messages.put("frame")

    def ready(self) -> None:
        """The person is placed (ready / snap)."""
        self._messages.put("ready")

    def retake(self) -> None:
        """Film the card again (the still shown is not wanted)."""
        self._messages.put("retake")

    def cancel(self) -> None:
        """Stop the run."""
        self.cancelled = True
        self._messages.put("cancel")

    def put(self, message: Sent | Done) -> None:
        """News of the call in flight."""
        self._messages.put(message)

    # ---- the worker ---------------------------------------------------------------------

    def get(self, timeout: float | None) -> Message | None:
        """The next message within ``timeout`` seconds (None: no deadline), or None."""
        message = self._wait(self._messages, timeout)
        if message == "frame":
            with self._lock:
                self._frame_queued = False
        return message

    def clear(self) -> None:
        """Forget queued messages (a ready() sent before the guidance began does not skip it)."""
        while True:
            try:
                message = self._messages.get_nowait()
            except queue.Empty:
                return
            if message == "frame":
                with self._lock:
                    self._frame_queued = False


__all__ = ["Command", "Done", "Inbox", "Message", "Sent", "Wait", "wait_real"]
