"""A private PostgreSQL cluster: initdb in a temporary folder, a free port, stopped at the end.

Used by the fleet tests and the load test. As root the cluster runs as the ``postgres`` user
(PostgreSQL refuses root), through runuser.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def pg_bin() -> Path | None:
    """The folder of Debian's newest PostgreSQL server programs, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One throw-away cluster; ``url(db)`` for SQLAlchemy, ``restart()`` for the fault test."""

    def __init__(self) -> None:
        binary = pg_bin()
        if binary is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = binary
        # The system's temporary folder: the suite's own (TMPDIR) is 0700 root's, and the
        # server runs as the postgres user.
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir=os.environ.get("TEST_SYSTEM_TMPDIR")))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "fleet", "-A", "trust", "-E", "UTF8",
                  "--no-sync")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / program), *args], check=True,
                       capture_output=True, cwd=self.root, timeout=60)

    def start(self) -> None:
        """Start (again) on the same port, listening on 127.0.0.1 only."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c max_connections=200", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (immediate: as a crash would)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Stop hard and start again: every open connection is cut."""
        self.stop("immediate")
        self.start()

    def url(self, db: str = "postgres") -> str:
        """The SQLAlchemy URL of database ``db``."""
        return f"postgresql+psycopg://fleet@127.0.0.1:{self.port}/{db}"

    def create_db(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=fleet dbname=postgres",
                             autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        """Stop it and delete its folder."""
        with contextlib.suppress(subprocess.SubprocessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def wait_port(port: int, timeout: float = 10) -> None:
    """Wait until something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(port)
