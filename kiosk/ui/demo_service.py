"""The GUI's demo service: the emulator in a child process, and a client that waits for it.

Why a process and not a thread: the emulator compares faces with dlib, whose Python binding holds
the interpreter lock while it works (about 0.9 s to load its models and 0.1 s per face on this
machine's cores). On a thread of the GUI's own process that froze the preview for as long; in a
process of its own it shares nothing with the GUI thread, like the real service.

Nothing here imports Qt, so the child process starts without it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import SimpleNamespace
from typing import Any

from kiosk.errors import ConfigError, KioskError
from kiosk.texts import Message
from kiosk.ui import messages

log = logging.getLogger("kiosk.ui")

# The child imports the emulator (uvicorn, OpenCV) and binds a port: seconds on a busy machine.
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
_FIELDS = ("base_url", "appid", "secret_id", "secret_key")


def _serve(conn: Connection) -> None:  # pragma: no cover - runs in the child process
    """The child: start the emulator, send where it listens, serve until the parent hangs up."""
    from kiosk.config import Paths
    from kiosk.config.leases import Leases
    from kiosk.emulator import start_in_process

    if hasattr(os, "nice"):
        # It stands in for a service on another machine: its face analysis must not take the
        # CPU from the kiosk's preview and recording on this one.
        os.nice(10)
    try:
        # Leased: a GUI killed mid-upload leaves its data and the upload to the next start's sweep.
        handle = start_in_process(None, leases=Leases(Paths.default().leases_dir))
    except KioskError as exc:
        conn.send({"error": [exc.en, exc.zh, exc.fix_en, exc.fix_zh]})
        return
    except Exception as exc:  # the parent shows it as a ConfigError
        said = messages.DEMO_CRASHED(error=f"{type(exc).__name__}: {exc}")
        conn.send({"error": [said.en, said.zh, "", ""]})
        return
    try:
        conn.send({"base_url": handle.base_url, "appid": handle.appid,
                   "secret_id": handle.secret_id, "secret_key": handle.secret_key})
        while True:  # EOF when the parent stops us, or dies: either way, stop serving
            conn.recv()
    except (EOFError, OSError):
        pass
    finally:
        handle.stop()


class DemoService:
    """The emulator in a child process, started at once; ``connection()`` waits until it listens."""

    def __init__(self, *, start_timeout: float = START_TIMEOUT_S) -> None:
        ctx = multiprocessing.get_context("spawn")  # no fork of a process that runs Qt threads
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child,), name="kiosk-demo-service",
                                    daemon=True)
        self._process.start()
        child.close()  # only the child holds its end now: its death reads as EOF here
        self._timeout = start_timeout
        self._lock = threading.Lock()
        self._info: dict[str, str] | None = None
        self._error: ConfigError | None = None

    def connection(self) -> dict[str, str]:
        """base_url, appid, secret_id, secret_key of the running emulator (blocks until ready)."""
        with self._lock:
            if self._info is None and self._error is None:
                self._info, self._error = self._receive()
            if self._error is not None:
                raise self._error
            assert self._info is not None
            return self._info

    def _receive(self) -> tuple[dict[str, str] | None, ConfigError | None]:
        try:
            if not self._conn.poll(self._timeout):
                return None, _failed(messages.DEMO_TIMED_OUT())
            reply: dict[str, Any] = self._conn.recv()
        except (EOFError, OSError):
            return None, _failed(messages.DEMO_EXITED(status=self._process.exitcode))
        if "error" in reply:
            en, zh, fix_en, fix_zh = reply["error"]
            refused = messages.DEMO_REFUSED(why=SimpleNamespace(en=en, zh=zh))
            if not fix_en:
                return None, ConfigError(refused)
            return None, ConfigError(refused.en, refused.zh, fix_en=fix_en, fix_zh=fix_zh)
        log.info("demo emulator (process %s) listening on %s", self._process.pid,
                 reply["base_url"])
        return {k: str(reply[k]) for k in _FIELDS}, None

    @property
    def pid(self) -> int | None:
        """The child's process id."""
        return self._process.pid

    def stop(self) -> None:
        """Hang up (the child stops serving and deletes its data), wait, then end it. Idempotent."""
        self._conn.close()
        self._process.join(STOP_TIMEOUT_S)
        if self._process.is_alive():
            log.warning("demo emulator did not stop in %.0f s: terminating it", STOP_TIMEOUT_S)
            self._process.terminate()
            self._process.join(STOP_TIMEOUT_S)


def _failed(why: Message) -> ConfigError:
    return ConfigError(messages.DEMO_NOT_STARTED(why=why))


class LazyClient:
    """A kiosk.api Client made on first use: the flow's worker, not the GUI thread, waits for it."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._client: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._make()
            return self._client

    def livegetfour(self, seq: str | None = None) -> str:
        """kiosk.api.Client.livegetfour."""
        return str(self._get().livegetfour(seq=seq))

    def idcardcompare(self, *args: Any, **kw: Any) -> Any:
        """kiosk.api.Client.idcardcompare."""
        return self._get().idcardcompare(*args, **kw)

    def livedetectfour(self, *args: Any, **kw: Any) -> Any:
        """kiosk.api.Client.livedetectfour."""
        return self._get().livedetectfour(*args, **kw)

    def idcardlivedetectfour(self, *args: Any, **kw: Any) -> Any:
        """kiosk.api.Client.idcardlivedetectfour."""
        return self._get().idcardlivedetectfour(*args, **kw)

    def abort(self) -> None:
        """Cancel the made client's calls in flight (kiosk.api.Client.abort); none: nothing runs."""
        client = self._client  # not under the lock: _get() holds it while the service starts
        if client is not None:
            client.abort()

    def close(self) -> None:
        """Close the client if one was made."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()


__all__ = ["DemoService", "LazyClient"]
