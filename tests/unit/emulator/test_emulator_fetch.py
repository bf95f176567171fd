"""The idcardcompare url: loopback and the registry only, never the network."""

from __future__ import annotations

import http.server
import threading

import pytest

from kiosk.emulator.fetch import FetchError, is_loopback_host, make_fetcher


@pytest.fixture
def photo_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            if self.path == "/photo.jpg":
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"JPEGBYTES")
            elif self.path == "/big.jpg":
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"x" * 5000)
            elif self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "http://example.com/photo.jpg")
                self.end_headers()
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("host", "ok"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("localhost", True),
     ("LOCALHOST", True), ("10.0.0.1", False), ("example.com", False),
     ("localhost.example.com", False), ("", False), (None, False)],
)
def test_loopback_hosts(host, ok):
    assert is_loopback_host(host) is ok


def test_fetches_from_loopback(store, photo_server):
    fetch = make_fetcher(store, limit=1000)
    assert fetch(photo_server + "/photo.jpg") == b"JPEGBYTES"
    for bad in ("/missing.jpg", "/moved", "/big.jpg"):
        with pytest.raises(FetchError):
            fetch(photo_server + bad)


def test_never_connects_outside_loopback(store, monkeypatch):
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(requests.Session, "get", no_network)
    fetch = make_fetcher(store, limit=1000)
    for url in ("http://example.com/a.jpg", "https://10.1.2.3/a.jpg", "ftp://127.0.0.1/a",
                "file:///etc/passwd", "not a url"):
        with pytest.raises(FetchError):
            fetch(url)


def test_registry_urls_give_the_enrolled_portrait(store):
    store.enroll("11010519491231002X", "王芳", b"PORTRAIT")
    fetch = make_fetcher(store, limit=1000)
    assert fetch("registry:11010519491231002X") == b"PORTRAIT"
    with pytest.raises(FetchError):
        fetch("registry:440304198510156428")
