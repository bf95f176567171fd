"""The soak's bad networks, on 127.0.0.1, in a process of their own.

``python tests/support/soak_network.py UPSTREAM_PORT`` prints one JSON line with the ports of:

- ``slow``: a TCP proxy to the emulator at UPSTREAM_PORT that carries the kiosk's bytes at a field
  agent's pace (48 KB/s upward, 150 ms before the first byte each way);
- ``garbage``: a server that answers every request with 200 and a body that is not JSON, with
  terminal escape sequences in it (what a captive portal or a broken proxy sends);
- ``down``: a port nobody listens on (connection refused).

It serves until its standard input closes, so it ends with the soak that started it. A process of
its own keeps its threads and sockets out of the kiosk's counts that the soak watches.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import sys
import threading
import time

UP_BYTES_PER_S = 48_000
LATENCY_S = 0.150
CHUNK = 4096
GARBAGE = (b"\x1b[2J\x1b[31mHTTP/1.1 502 \x07<html><body>\x00\xff\xfe not json {\"code\": "
           b"\x1b]0;owned\x07</body></html>")


def pump(src: socket.socket, dst: socket.socket, rate: float | None) -> None:
    """Copy src to dst until either side closes; at ``rate`` bytes per second when given."""
    first = True
    try:
        while True:
            data = src.recv(CHUNK)
            if not data:
                break
            if first:
                time.sleep(LATENCY_S)
                first = False
            dst.sendall(data)
            if rate:
                time.sleep(len(data) / rate)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


class Slow(socketserver.BaseRequestHandler):
    upstream_port = 0

    def handle(self) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            return  # the emulator is down (being restarted): the kiosk sees a closed connection
        upstream.settimeout(None)
        back = threading.Thread(target=pump, args=(upstream, self.request, None), daemon=True)
        back.start()
        pump(self.request, upstream, UP_BYTES_PER_S)
        back.join(30)
        upstream.close()


class Garbage(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock = self.request
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip() or 0)
        while len(body) < length:  # read the whole upload first, as a real server would
            chunk = sock.recv(65536)
            if not chunk:
                return
            body += chunk
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     + str(len(GARBAGE)).encode() + b"\r\nConnection: close\r\n\r\n" + GARBAGE)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(upstream_port: int) -> None:
    Slow.upstream_port = upstream_port
    servers = {"slow": Server(("127.0.0.1", 0), Slow), "garbage": Server(("127.0.0.1", 0), Garbage)}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    ports = {name: s.server_address[1] for name, s in servers.items()}
    ports["down"] = free_port()
    print(json.dumps(ports), flush=True)
    sys.stdin.read()  # until the soak closes our stdin, or dies
    for server in servers.values():
        server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]))
