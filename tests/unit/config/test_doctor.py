"""kiosk doctor's checks, against a tiny HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kiosk.api.codes import lookup
from kiosk.config import Paths, SecretStore, Settings, doctor
from kiosk.errors import ServiceError
from kiosk.media import CameraInfo, Devices


class _Server(ThreadingHTTPServer):
    date_offset: float | None = 0.0


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"not found"
        self.send_response_only(404)
        if self.server.date_offset is not None:
            self.send_header("Date", formatdate(time.time() + self.server.date_offset, usegmt=True))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def settings_for(paths: Paths, endpoint: str, **flags: str) -> Settings:
    creds = {"endpoint": endpoint, "appid": "1000001", "secret_id": "AKIDdoctor",
             "secret_key": "DoctorSecret123"}
    creds.update(flags)
    return Settings(paths, flags=creds, env={},
                    secrets=SecretStore(paths.secret_file, warn=lambda en, zh: None))


class FakeClient:
    """Stands in for kiosk.api.Client: answers livegetfour or raises a service error."""

    def __init__(self, fail_code: int | None = None) -> None:
        self.fail_code = fail_code
        self.calls: list[tuple[Any, ...]] = []
        self.closed = False

    def __call__(self, endpoint: str, appid: str, secret_id: str, secret_key: str, **kw: Any) -> FakeClient:
        self.calls.append((endpoint, appid, secret_id, secret_key, kw))
        return self

    def livegetfour(self, seq: str | None = None) -> str:
        if self.fail_code is not None:
            raise ServiceError(self.fail_code, "refused", lookup(self.fail_code))
        return "1357"

    def close(self) -> None:
        self.closed = True


def by_name(checks: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.name: c for c in checks}


def test_reachable_endpoint_with_a_good_clock_and_signature(paths: Paths, server: _Server) -> None:
    url = f"http://127.0.0.1:{server.server_port}"
    client = FakeClient()
    checks = by_name(doctor.check_service(settings_for(paths, url), make_client=client))
    assert checks["endpoint"].status == doctor.OK and "loopback" in checks["endpoint"].detail_en
    assert checks["clock"].status == doctor.OK
    assert checks["signature"].status == doctor.OK and client.closed
    assert client.calls[0][:4] == (url, "1000001", "AKIDdoctor", "DoctorSecret123")


@pytest.mark.parametrize(("offset", "status", "words"), [
    (-120.0, doctor.FAIL, "ahead of"), (90.0, doctor.FAIL, "behind"), (12.0, doctor.WARN, "behind"),
])
def test_clock_skew_from_the_date_header(paths: Paths, server: _Server, offset: float,
                                         status: str, words: str) -> None:
    server.date_offset = offset
    url = f"http://127.0.0.1:{server.server_port}"
    clock = by_name(doctor.check_service(settings_for(paths, url), make_client=FakeClient()))["clock"]
    assert clock.status == status and words in clock.detail_en and "NTP" not in clock.detail_en
    assert "ntp" in clock.fix_en.lower()


def test_no_date_header_is_a_warning(paths: Paths, server: _Server) -> None:
    server.date_offset = None
    url = f"http://127.0.0.1:{server.server_port}"
    clock = by_name(doctor.check_service(settings_for(paths, url), make_client=FakeClient()))["clock"]
    assert clock.status == doctor.WARN


def test_refused_signature_names_the_code_and_the_fix(paths: Paths, server: _Server) -> None:
    url = f"http://127.0.0.1:{server.server_port}"
    sig = by_name(doctor.check_service(settings_for(paths, url), make_client=FakeClient(14)))["signature"]
    assert sig.status == doctor.FAIL and "code 14" in sig.detail_en
    assert "secret key" in sig.fix_en
    assert "DoctorSecret123" not in sig.detail_en + sig.fix_en


def test_missing_credentials_skip_the_signature(paths: Paths, server: _Server) -> None:
    url = f"http://127.0.0.1:{server.server_port}"
    settings = Settings(paths, flags={"endpoint": url}, env={},
                        secrets=SecretStore(paths.secret_file, warn=lambda en, zh: None))
    client = FakeClient()
    sig = by_name(doctor.check_service(settings, make_client=client))["signature"]
    assert sig.status == doctor.FAIL and "appid" in sig.detail_en and client.calls == []


def test_tls_failure_is_named(paths: Paths, server: _Server) -> None:
    # An https URL to a plain-HTTP server: the TLS handshake fails for real.
    url = f"https://127.0.0.1:{server.server_port}"
    (check,) = doctor.check_service(settings_for(paths, url), make_client=FakeClient())
    assert check.status == doctor.FAIL and "TLS failed" in check.detail_en and "CA" in check.fix_en


def test_unreachable_endpoint(paths: Paths, server: _Server) -> None:
    port = server.server_port
    server.shutdown()
    server.server_close()
    (check,) = doctor.check_service(settings_for(paths, f"http://127.0.0.1:{port}"),
                                    make_client=FakeClient())
    assert check.status == doctor.FAIL and "unreachable" in check.detail_en


def test_plain_http_to_a_remote_host_is_a_warning(paths: Paths) -> None:
    class Reply:
        status_code = 200
        headers = {"Date": formatdate(time.time(), usegmt=True)}

    class Session:
        def get(self, url: str, **kw: Any) -> Reply:
            return Reply()

    checks = by_name(doctor.check_service(settings_for(paths, "http://kiosk.example"),
                                          session=Session(), make_client=FakeClient()))  # type: ignore[arg-type]
    assert checks["endpoint"].status == doctor.WARN and "unencrypted" in checks["endpoint"].detail_en


def test_display_by_environment() -> None:
    import random
    import socket

    number = random.randrange(40_000, 60_000)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as x_server:
        x_server.bind(f"\0/tmp/.X11-unix/X{number}")  # an X server's abstract socket
        x_server.listen()
        assert doctor.check_display({"DISPLAY": f":{number}"}, "linux").status == doctor.OK
    # Named but not answering: Qt would abort the GUI, so the doctor says so.
    silent = doctor.check_display({"DISPLAY": f":{number}"}, "linux")
    assert silent.status == doctor.FAIL
    assert f"the display :{number} does not answer" in silent.detail_en
    assert "xvfb-run" in silent.fix_en and silent.detail_zh
    assert doctor.check_display({"WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": "/nonexistent"},
                                "linux").status == doctor.FAIL
    assert doctor.check_display({}, "linux").status == doctor.WARN
    assert doctor.check_display({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux").status == doctor.WARN
    assert doctor.check_display({}, "win32").status == doctor.OK


def test_ffmpeg_found_and_missing() -> None:
    import shutil

    exe = shutil.which("ffmpeg")
    if exe:
        found = doctor.check_ffmpeg(lambda: exe)
        assert found.status == doctor.OK and "ffmpeg version" in found.detail_en
    missing = doctor.check_ffmpeg(lambda: "")
    assert missing.status == doctor.FAIL and "apt-get install ffmpeg" in missing.fix_en


def test_devices_from_the_media_listing(paths: Paths, tmp_path: Any) -> None:
    settings = settings_for(paths, "http://127.0.0.1:1")
    listing = Devices([CameraInfo("/dev/video0", "USB Camera", "/dev/video0")], [],
                      ["PortAudio library not found"])
    checks = by_name(doctor.check_devices(settings, lambda: listing))
    assert checks["cameras"].status == doctor.OK and "USB Camera" in checks["cameras"].detail_en
    assert checks["microphones"].status == doctor.FAIL
    assert "PortAudio library not found" in checks["microphones"].detail_en
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x")
    stand_ins = settings_for(paths, "http://127.0.0.1:1", camera=f"file:{clip}", mic="synthetic")
    nothing = Devices([], [])
    assert {c.status for c in doctor.check_devices(stand_ins, lambda: nothing)} == {doctor.OK}


def test_a_failing_device_scan_warns(paths: Paths) -> None:
    def broken() -> Devices:
        raise OSError("driver crashed")

    checks = by_name(doctor.check_devices(settings_for(paths, "http://127.0.0.1:1"), broken))
    assert {c.status for c in checks.values()} == {doctor.WARN}
    assert "OSError" in checks["cameras"].detail_en


def test_exit_status() -> None:
    ok, warn, fail = (doctor.Check("x", s, "") for s in (doctor.OK, doctor.WARN, doctor.FAIL))
    assert doctor.exit_status([ok]) == 0
    assert doctor.exit_status([ok, warn]) == 1
    assert doctor.exit_status([warn, fail, ok]) == 2


def test_run_all_survives_a_damaged_settings_file(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text("mode = \n")
    settings = Settings(paths, env={}, secrets=SecretStore(paths.secret_file, warn=lambda en, zh: None))
    checks = doctor.run_all(settings)
    assert checks[0].name == "settings" and checks[0].status == doctor.FAIL
    assert "line 1" in checks[0].detail_en and doctor.exit_status(checks) == 2


def test_the_consent_notice_in_use_is_named_and_a_broken_one_fails(paths: Paths, tmp_path: Any) -> None:
    settings = Settings(paths, env={})
    check = doctor.check_consent_notice(settings)
    assert check.status == doctor.OK and check.detail_en == "the built-in notice (version kiosk-2026-12)"
    notice = tmp_path / "notice.toml"
    notice.write_text('version = "bank-1"\nzh = "本行告知"\n', encoding="utf-8")
    settings.assign("consent_notice", str(notice))
    check = doctor.check_consent_notice(settings)
    assert check.status == doctor.FAIL and check.detail_en.endswith("lacks: en") and check.fix_zh
    notice.write_text('version = "bank-1"\nzh = "本行告知"\nen = "Our notice"\n', encoding="utf-8")
    check = doctor.check_consent_notice(settings)
    assert check.status == doctor.OK and check.detail_zh == f"{notice}（版本 bank-1）"
    assert "consent notice" in [c.name for c in doctor.run_all(settings, make_client=None)]
