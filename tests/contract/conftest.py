"""Fixtures for the client's fault suite: a client factory, a refused port, a fake DNS, TLS."""

from __future__ import annotations

import datetime
import ipaddress
import random
import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client

APPID, SECRET_ID, SECRET_KEY = "1000001", "AKIDfaultsuite", "fault-suite-secret-key"


@pytest.fixture
def sleeps() -> list[float]:
    """The backoff delays the client asked for (it never really sleeps)."""
    return []


@pytest.fixture
def make_client(sleeps: list[float]) -> Iterator[Callable[..., Client]]:
    """A client with short timeouts, seeded randomness and a recording sleep.

    The overall deadline is generous (30 s) so that the fault tests count attempts by the retry
    rules alone; tests of the deadline pass their own.
    """
    made: list[Client] = []

    def make(endpoint: str, **kw: Any) -> Client:
        options: dict[str, Any] = dict(rng=random.Random(7), sleep=sleeps.append,
                                       connect_timeout=1.0, read_timeout=0.5, retries=3,
                                       deadline=30.0)
        options.update(kw)
        client = Client(endpoint, APPID, SECRET_ID, SECRET_KEY, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A 256 KiB stand-in for a clip (the client never looks inside a video)."""
    path = tmp_path / "clip.mp4"
    path.write_bytes(random.Random(3).randbytes(256 * 1024))
    return path


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port that is bound but not listening: connecting is refused, with no race."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def no_dns_for_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names under the reserved .invalid TLD fail to resolve without any packet leaving."""
    real = socket.getaddrinfo

    def fake(host: Any, *args: Any, **kw: Any) -> Any:
        if isinstance(host, str | bytes) and str(host).rstrip(".'").endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.fixture(scope="session")
def self_signed_tls(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The emulator in this process on 127.0.0.1, one per test module."""
    from kiosk.emulator import start_in_process

    handle = start_in_process(tmp_path_factory.mktemp("emulator-data"))
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def client(emulator: Any) -> Iterator[Client]:
    """A client of that emulator, without retries."""
    with Client(emulator.base_url, emulator.appid, emulator.secret_id, emulator.secret_key,
                retries=0) as made:
        yield made
