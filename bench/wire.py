"""A tiny HTTP/1.1 client over a raw socket, so we see exactly the bytes on the wire."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes
    wire_bytes: int  # status line + headers + body, as received


def fetch(port: int, path: str, gzip: bool = True, timeout: float = 5.0) -> Fetched:
    """GET ``path`` from 127.0.0.1:``port`` with one fresh connection."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        + ("Accept-Encoding: gzip\r\n" if gzip else "")
        + "\r\n"
    ).encode()
    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return parse_response(b"".join(chunks))


def parse_response(raw: bytes) -> Fetched:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body)
    return Fetched(status, headers, body, len(raw))


def _dechunk(data: bytes) -> bytes:
    out, pos = [], 0
    while True:
        end = data.index(b"\r\n", pos)
        size = int(data[pos:end].split(b";")[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(data[end + 2 : end + 2 + size])
        pos = end + 2 + size + 2


def wait_for(
    port: int, path: str, check, timeout: float, start: float | None = None, interval: float = 0.005
) -> float | None:
    """Poll until ``check(fetched)`` holds; seconds since ``start`` (perf_counter,
    default now), or None after ``timeout`` seconds."""
    start = time.perf_counter() if start is None else start
    while time.perf_counter() - start < timeout:
        try:
            if check(fetch(port, path, timeout=1.0)):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(interval)
    return None
