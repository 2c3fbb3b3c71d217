"""A real HTTP server on 127.0.0.1 that serves a hub folder and misbehaves on purpose.

``server.fault = ("cut", "targets/")`` makes every request whose path contains
"targets/" fail that way; ``None`` serves honestly. No mocks: the kiosk's real
fetcher talks real HTTP to it.
"""

from __future__ import annotations

import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PORTAL_PAGE = (
    b"<!doctype html><html><head><meta http-equiv=refresh content='0;url=/login'>"
    b"</head><body>Login Wi-Fi</body></html>"
)


class Handler(SimpleHTTPRequestHandler):
    server: HubServer  # type: ignore[assignment]

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.requests.append(self.path)
        fault = self.server.fault
        if fault is None or fault[1] not in self.path:
            return super().do_GET()
        kind = fault[0]
        if kind == "500":
            return self.send_error(500, "Internal Server Error")
        if kind == "portal":
            return self._send(200, PORTAL_PAGE, "text/html; charset=utf-8")
        if kind == "delay":  # slow but honest
            time.sleep(0.5)
            return super().do_GET()
        if kind == "stall":
            self.server.release.wait(10)  # sends nothing until the test ends
            return None
        if kind == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            deadline = time.monotonic() + 10
            try:
                while time.monotonic() < deadline and not self.server.release.is_set():
                    self.wfile.write(b"{" * 65536)
            except OSError:
                pass  # the kiosk hung up: what we want
            return None
        body = self._file()
        if body is None:
            return self.send_error(404)
        if kind == "cut":  # promise the full length, send half, hang up
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        if kind == "truncate":
            return self._send(200, body[: len(body) - 100], "application/json")
        if kind == "flip":
            pos = len(body) // 2
            return self._send(
                200, body[:pos] + bytes([body[pos] ^ 0x01]) + body[pos + 1 :], "application/json"
            )
        raise AssertionError(f"unknown fault {kind}")

    def _file(self) -> bytes | None:
        path = Path(self.translate_path(self.path))
        return path.read_bytes() if path.is_file() else None

    def _send(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class HubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.fault: tuple[str, str] | None = None
        self.requests: list[str] = []
        self.release = threading.Event()
        super().__init__(
            ("127.0.0.1", 0),
            lambda *a, **kw: Handler(*a, directory=str(self.folder), **kw),
        )
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        self.thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def stop(self):
        self.release.set()
        self.shutdown()
        self.server_close()
        self.thread.join(5)
