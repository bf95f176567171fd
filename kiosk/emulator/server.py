"""Running the emulator: in-process on a thread (tests, the GUI's demo mode) or in the foreground."""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import uvicorn

from kiosk.emulator import messages
from kiosk.emulator.app import create_app
from kiosk.emulator.demo import ensure_demo
from kiosk.emulator.facework import FaceWork, LocalFaceWork, PooledFaceWork
from kiosk.emulator.guard import GuardedH11Protocol, Limits
from kiosk.emulator.store import Account, Store
from kiosk.errors import ConfigError, MediaError

if TYPE_CHECKING:
    from kiosk.config.leases import Leases

log = logging.getLogger("kiosk.emulator")

START_TIMEOUT_S = 15.0
DATA_PREFIX = "kiosk-emulator-data-"
UPLOADS_PREFIX = "kiosk-emulator-uploads-"


def default_assets() -> Path | None:
    """The bundled sample media, when present (a source checkout or the packaged bundle)."""
    from kiosk.resources import assets_dir

    folder = assets_dir()
    return folder if (folder / "people.json").is_file() else None


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket; ConfigError (in both languages) when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(messages.CANNOT_LISTEN(host=host, port=port,
                                                 reason=exc.strerror or str(exc))) from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def base_url_of(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def server_for(app: Any, limits: Limits | None = None) -> uvicorn.Server:
    """A uvicorn server that leaves logging to the kiosk (no access log: it logs its own lines).

    Its connections are guarded (kiosk.emulator.guard): a deadline for the request head, a
    minimum upload rate and a cap on connections, from ``limits`` (default :class:`Limits`).
    """
    limits = limits or Limits()
    config = uvicorn.Config(app, lifespan="off", log_config=None, access_log=False,
                            server_header=False, timeout_graceful_shutdown=5,
                            http=GuardedH11Protocol.with_limits(limits),
                            timeout_keep_alive=limits.keep_alive_s)
    return uvicorn.Server(config)


def scratch_folder(prefix: str, leases: Leases | None = None) -> Path:
    """A 0700 folder in the system's temporary folder, leased when ``leases`` is given.

    MediaError (a disk problem, in both languages) when it cannot be made.
    """
    tmp = Path(tempfile.gettempdir())
    try:
        return leases.make_folder(tmp, prefix) if leases else Path(tempfile.mkdtemp(prefix=prefix))
    except OSError as exc:
        raise MediaError(messages.NO_SCRATCH_FOLDER(
            folder=tmp, reason=exc.strerror or type(exc).__name__)) from None


class EmulatorHandle:
    """A running in-process emulator: where it listens and the demo account's credentials."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, base_url: str,
                 account: Account, data_dir: Path, private: bool, sock: socket.socket,
                 cleanup: Callable[[], None] | None = None,
                 uploads_dir: Path | None = None) -> None:
        self._server = server
        self._thread = thread
        self._sock = sock
        self._private = private
        self._cleanup = cleanup
        self.base_url = base_url
        self.appid = account.appid
        self.secret_id = account.secret_id
        self.secret_key = account.secret_key
        self.data_dir = data_dir
        self.uploads_dir = uploads_dir  # where uploads wait while judged (None: the temp folder)
        self.app = server.config.app

    def __repr__(self) -> str:  # never show the key
        return f"EmulatorHandle({self.base_url!r}, appid={self.appid!r}, data_dir={self.data_dir})"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stop serving, wait for the thread, remove a private data folder. Idempotent."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._sock.close()
        if self._cleanup is not None:
            self._cleanup()
        elif self._private:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> EmulatorHandle:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def start_in_process(
    data_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    clock: Callable[[], float] = time.time,
    checks: Any = None,
    assets: Path | None = None,
    leases: Leases | None = None,
    limits: Limits | None = None,
    face_workers: int = 0,
) -> EmulatorHandle:
    """Start the emulator on a thread and return once it accepts connections.

    ``data_dir`` None means a private temporary folder, removed by ``stop()``. A fresh folder
    gets the demo account and the sample people (from ``assets``, default the bundled ones).
    Uploads wait in a private folder while they are judged: inside that temporary data folder,
    else one of their own in the temporary folder.

    ``leases`` (kiosk.config.leases, passed by the CLI) registers those temporary folders, so
    that after a kill the next start of any kiosk command deletes them; the emulator itself
    does not know the kiosk's folders. ``limits`` bounds slow and numerous clients (tests
    pass short timeouts). ``face_workers`` > 0 runs the face work in that many processes
    (kiosk.emulator.facework; ``kiosk emulator`` does), 0 in the request threads: one customer
    at a time (the GUI's demo mode, most tests) needs no processes started.
    """
    def make(prefix: str) -> Path:
        return scratch_folder(prefix, leases)

    def drop(folder: Path | None) -> None:
        if folder is None:
            return
        if leases:
            leases.release(folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)

    private = data_dir is None
    folder = Path(data_dir) if data_dir is not None else make(DATA_PREFIX)
    own: Path | None = folder if private else None  # the temporary folders stop() deletes
    scratch: Path | None = None
    try:
        if private:
            scratch = folder / "uploads"
            scratch.mkdir(mode=0o700)
        else:
            scratch = own = make(UPLOADS_PREFIX)
        store = Store(folder)
        account = ensure_demo(store, assets if assets is not None else default_assets())
        sock = bind(host, port)
    except BaseException:
        drop(own)
        raise
    faces: FaceWork = PooledFaceWork(face_workers) if face_workers > 0 else LocalFaceWork()
    server = server_for(create_app(store, clock=clock, checks=checks, faces=faces,
                                   scratch_dir=scratch), limits)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by the starting thread below
            failure.append(exc)

    thread = threading.Thread(target=serve, name="kiosk-emulator", daemon=True)
    def cleanup() -> None:
        faces.close()
        drop(own)

    handle = EmulatorHandle(server, thread, base_url_of(sock), account, folder, private, sock,
                            cleanup=cleanup, uploads_dir=scratch)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    ready = threading.Event()
    while not server.started:
        if failure or not thread.is_alive() or time.monotonic() > deadline:
            handle.stop()
            raise ConfigError(messages.DID_NOT_START(reason=str(failure[0])) if failure
                              else messages.DID_NOT_START_IN_TIME())
        ready.wait(0.01)  # a wait for the server thread, not a test's sleep
    log.info("emulator listening on %s (data in %s)", handle.base_url, folder)
    return handle


def serve_forever(store: Store, sock: socket.socket, *, scratch_dir: Path | None = None,
                  limits: Limits | None = None, faces: FaceWork | None = None) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM (uvicorn handles both, gracefully).

    Uploads wait in ``scratch_dir`` while judged (``kiosk emulator`` passes a leased folder).
    The face work runs in ``faces`` (default: a process pool sized to the machine), which is
    closed on the way out, whatever ended the serving, so no worker outlives the emulator.
    """
    work = faces if faces is not None else PooledFaceWork()
    # uvicorn stops gracefully on SIGTERM, then raises it again with the handler it found:
    # make that one end the process as Ctrl-C does, through the ``finally`` below.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = server_for(create_app(store, scratch_dir=scratch_dir, faces=work), limits)
        server.run(sockets=[sock])
    finally:
        work.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
