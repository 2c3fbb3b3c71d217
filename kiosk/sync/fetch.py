"""How a kiosk reaches a hub: HTTP(S) with hard limits, or a folder (a USB stick).

Both plug into python-tuf's ``FetcherInterface``, so every byte still goes through
TUF's length and signature checks; these classes only make bad connections fail fast
and in plain words. ``FetchStats`` counts requests and bytes (the sync-cost benchmark).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlparse

import urllib3
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

CHUNK = 64 * 1024


class CaptivePortalError(exceptions.DownloadError):
    """The network answered with a web page instead of the hub's file."""


class ConnectionCutError(exceptions.DownloadError):
    """The hub could not be reached, or the connection broke mid-download."""


@dataclasses.dataclass
class FetchStats:
    requests: int = 0
    bytes: int = 0
    urls: list[str] = dataclasses.field(default_factory=list)


class HttpFetcher(FetcherInterface):
    """GET with a connect timeout, a read (gap) timeout, a whole-download deadline and
    a size cap. No retries: the next timer run is the retry, and a stalled modem
    should not hold the lock for minutes."""

    def __init__(
        self,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        max_seconds: float = 300.0,
        *,
        max_bytes: int = 20_000_000,
        user_agent: str = "pelita-kiosk",
        stats: FetchStats | None = None,
        beat: str | None = None,
    ):
        self.timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self.max_seconds = max_seconds
        self.max_bytes = max_bytes
        self.stats = stats if stats is not None else FetchStats()
        self.pool = urllib3.PoolManager(
            headers={"User-Agent": user_agent}, retries=False, timeout=self.timeout
        )
        # The kiosk's signed heartbeat (kiosk/reports/beat.py), on timestamp.json only:
        # one per sync, the one request every sync makes.
        self.beat_headers = {"User-Agent": user_agent, "Pelita-Beat": beat} if beat else None

    def _fetch(self, url: str) -> Iterator[bytes]:
        self.stats.requests += 1
        self.stats.urls.append(url)
        try:
            beat = self.beat_headers if url.endswith("/timestamp.json") else None
            response = self.pool.request(
                "GET",
                url,
                headers=beat,
                preload_content=False,
                redirect=False,
                timeout=self.timeout,
            )
        except urllib3.exceptions.NewConnectionError as exc:  # (a TimeoutError subclass)
            raise ConnectionCutError(f"{url}: cannot connect ({_why(exc)})") from exc
        except urllib3.exceptions.TimeoutError as exc:
            raise exceptions.SlowRetrievalError(f"{url}: no answer in time") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise ConnectionCutError(f"{url}: cannot connect ({_why(exc)})") from exc
        if response.status >= 400 or response.status in (301, 302, 303, 307, 308):
            _discard(response)
            if 300 <= response.status < 400:  # portals redirect to their login page
                raise CaptivePortalError(f"{url}: redirected to {response.headers.get('Location')}")
            raise exceptions.DownloadHTTPError(f"{url}: HTTP {response.status}", response.status)
        if "text/html" in response.headers.get("Content-Type", ""):
            _discard(response)
            raise CaptivePortalError(f"{url}: got a web page instead of the file")
        return self._chunks(url, response)

    def _chunks(self, url: str, response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
        deadline = time.monotonic() + self.max_seconds
        received = 0
        try:
            for chunk in response.stream(CHUNK):
                received += len(chunk)
                self.stats.bytes += len(chunk)
                if received > self.max_bytes:
                    raise exceptions.DownloadLengthMismatchError(
                        f"{url}: more than {self.max_bytes} bytes"
                    )
                if time.monotonic() > deadline:
                    raise exceptions.SlowRetrievalError(
                        f"{url}: download took longer than {self.max_seconds:g} s"
                    )
                yield chunk
        except urllib3.exceptions.TimeoutError as exc:
            raise exceptions.SlowRetrievalError(f"{url}: the hub stopped sending") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise ConnectionCutError(f"{url}: connection cut ({_why(exc)})") from exc
        finally:
            response.release_conn()


def _discard(response: urllib3.BaseHTTPResponse) -> None:
    """Drop an answer we will not read. Its body must not stay on a kept-alive connection
    (the next request would read it as its status line: a 404 page from nginx or the
    hub app), and reading it could take forever (an endless portal page): close it."""
    response.close()
    response.release_conn()


class FolderFetcher(FetcherInterface):
    """Reads ``file://`` URLs: a hub folder on a USB stick. A missing file is a 404,
    so python-tuf's root walk ends normally."""

    def __init__(self, max_bytes: int = 20_000_000, stats: FetchStats | None = None):
        self.max_bytes = max_bytes
        self.stats = stats if stats is not None else FetchStats()

    def _fetch(self, url: str) -> Iterator[bytes]:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise exceptions.DownloadError(f"{url}: not a file:// URL")
        path = Path(unquote(parsed.path))
        self.stats.requests += 1
        self.stats.urls.append(url)
        try:
            f = open(path, "rb")  # noqa: SIM115 - closed by the generator
        except FileNotFoundError:
            raise exceptions.DownloadHTTPError(f"{path}: not on the stick", 404) from None
        except OSError as exc:
            raise ConnectionCutError(f"{path}: cannot be read ({exc.strerror})") from None
        return self._chunks(path, f)

    def _chunks(self, path: Path, f: BinaryIO) -> Iterator[bytes]:
        received = 0
        with f:
            while chunk := f.read(CHUNK):
                received += len(chunk)
                self.stats.bytes += len(chunk)
                if received > self.max_bytes:
                    raise exceptions.DownloadLengthMismatchError(f"{path}: too large")
                yield chunk


def _why(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason).split(": ", 1)[-1][:200]
