"""The kiosk's TUF client: which release does the hub offer, and its verified bytes.

python-tuf's ngclient does the verifying (signatures, thresholds, versions, hashes,
lengths, expiry). The trust anchor is the root.json shipped read-only with the
install (``bootstrap=``), so a damaged metadata cache can never brick updates. What
ngclient leaves to us: the time floor (clock.py), and everything after the bytes are
verified (activate.py).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tuf.api import exceptions
from tuf.api.metadata import Metadata, TargetFile
from tuf.ngclient import Updater, UpdaterConfig
from tuf.ngclient.fetcher import FetcherInterface

from ..errors import SyncError
from ..tuf_layout import ISSUED_FIELD, TARGET_NAME
from .fetch import CaptivePortalError, ConnectionCutError, FolderFetcher, HttpFetcher


@dataclasses.dataclass(frozen=True)
class Offer:
    """The release the hub's signed metadata names."""

    sha256: str
    length: int
    version: int
    issued: str | None  # the hub's signed issue time of timestamp.json


def hub_base(source: str) -> str:
    """The hub's public folder as a base URL (http(s):// or file://), ending in '/'."""
    if source.startswith(("http://", "https://")):
        return source.rstrip("/") + "/"
    path = Path(source[len("file://") :] if source.startswith("file://") else source)
    if (path / "metadata").is_dir():
        return path.resolve().as_uri() + "/"
    if (path / "public" / "metadata").is_dir():
        raise SyncError(
            f"{path} is a whole hub folder, with its secret keys: copy only its public/ "
            "folder to the stick (and remove the keys from it)"
        )
    raise SyncError(f"{path} is not a hub folder (no metadata/ inside): is the stick mounted?")


def default_fetcher(
    base: str,
    connect_timeout: float,
    read_timeout: float,
    max_seconds: float,
    *,
    beat: str | None = None,
) -> FetcherInterface:
    if base.startswith("file://"):
        return FolderFetcher()
    return HttpFetcher(connect_timeout, read_timeout, max_seconds, beat=beat)


class HubClient:
    """One ngclient session against one hub (a new one per sync: ngclient refreshes once)."""

    def __init__(self, base: str, trust_root: bytes, metadata_dir: Path, fetcher: FetcherInterface):
        self.base = base
        self.metadata_dir = Path(metadata_dir)
        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        self.fetcher = fetcher
        config = UpdaterConfig(
            app_user_agent="pelita-kiosk",
            snapshot_max_length=64_000,
            targets_max_length=1_000_000,
        )
        try:
            self.updater = Updater(
                metadata_dir=str(self.metadata_dir),
                metadata_base_url=base + "metadata/",
                target_base_url=base + "targets/",
                fetcher=fetcher,
                config=config,
                bootstrap=trust_root,
            )
        except exceptions.RepositoryError as exc:
            raise SyncError(f"the kiosk's trust root is not valid TUF metadata ({exc})") from None
        self._info: TargetFile | None = None

    def offer(self, judge_at: datetime) -> Offer | None:
        """Refresh the metadata (one timestamp.json when nothing changed) and return the
        offered release, or None if the hub has none yet. Expiry is judged at ``judge_at``."""
        self.updater.refresh()
        self._check_expiry(judge_at)
        info = self.updater.get_targetinfo(TARGET_NAME)
        if info is None:
            return None
        custom = info.custom if isinstance(info.custom, dict) else {}
        version = custom.get("catalog_version")
        if not isinstance(version, int):
            raise SyncError("the hub's signed release has no catalog version: publish it again")
        self._info = info
        return Offer(info.hashes["sha256"], info.length, version, self._issued())

    def download(self, path: Path) -> bytes:
        """Download the offered release to ``path`` (staging); return its verified bytes."""
        assert self._info is not None, "call offer() first"
        return self.download_target(self._info, path)

    def target_info(self, name: str) -> TargetFile | None:
        """A signed target's info (delegations followed), after :meth:`offer` refreshed."""
        return self.updater.get_targetinfo(name)

    def download_target(self, info: TargetFile, path: Path) -> bytes:
        """Download a target to ``path`` (staging); return its verified bytes."""
        self.updater.download_target(info, filepath=str(path))
        data = path.read_bytes()
        # ngclient verified the stream; check what actually landed on disk too.
        info.verify_length_and_hashes(data)
        return data

    def fetch_file(self, name: str, folder: Path, have_sha256: str | None = None) -> bytes | None:
        """A small extra target (e.g. the hub's report key), verified like a release;
        None if the hub lists none, or if it is the one we have (``have_sha256``)."""
        info = self.updater.get_targetinfo(name)
        if info is None or info.hashes.get("sha256") == have_sha256:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{info.hashes['sha256']}.{name}"
        self.updater.download_target(info, filepath=str(path))
        data = path.read_bytes()
        info.verify_length_and_hashes(data)
        return data

    def _cached(self, role: str) -> Metadata[Any]:
        return Metadata.from_file(str(self.metadata_dir / f"{role}.json"))

    def _check_expiry(self, when: datetime) -> None:
        # ngclient judged expiry by the system clock; the cache now holds exactly the
        # metadata it trusted, so judge it again at the time floor.
        for role in ("root", "timestamp", "snapshot", "targets"):
            signed = self._cached(role).signed
            if signed.is_expired(when):
                raise exceptions.ExpiredMetadataError(
                    f"{role}.json expired on {signed.expires:%Y-%m-%d %H:%M} UTC "
                    f"(judged at {when:%Y-%m-%d %H:%M} UTC)"
                )

    def _issued(self) -> str | None:
        try:
            raw = json.loads((self.metadata_dir / "timestamp.json").read_bytes())
            value = raw["signed"].get(ISSUED_FIELD)
        except (OSError, ValueError, KeyError, AttributeError):
            return None
        return value if isinstance(value, str) else None


def _http_error(exc: exceptions.DownloadHTTPError) -> str:
    if exc.status_code >= 500:
        return f"the hub had a server error (HTTP {exc.status_code}); trying again later"
    return f"the hub answered HTTP {exc.status_code}: {exc} (wrong hub_url, or files missing?)"


# A failure's kind → its plain words; the first matching kind wins (subclasses first).
_EXPLANATIONS: list[tuple[type[BaseException], Callable[[Any], str]]] = [
    (SyncError, str),
    (
        CaptivePortalError,
        lambda exc: (
            f"got a web page instead of the hub's file (a Wi-Fi login page, or a wrong "
            f"hub_url?): {exc}"
        ),
    ),
    (ConnectionCutError, lambda exc: f"the connection to the hub failed or was cut: {exc}"),
    (
        exceptions.SlowRetrievalError,
        lambda exc: f"the connection was too slow or stalled: {exc}",
    ),
    (
        exceptions.DownloadLengthMismatchError,
        lambda exc: (
            f"the hub sent more data than the signed size allows (endless or oversized file): {exc}"
        ),
    ),
    (exceptions.DownloadHTTPError, _http_error),
    (exceptions.DownloadError, lambda exc: f"download failed: {exc}"),
    (
        exceptions.LengthOrHashMismatchError,
        lambda exc: (
            "the downloaded file does not match what the kecamatan signed "
            f"(damaged or tampered): {exc}"
        ),
    ),
    (
        exceptions.BadVersionNumberError,
        lambda exc: (
            "the hub offered older metadata than this kiosk already trusts "
            f"(an old release replayed?): {exc}"
        ),
    ),
    (
        exceptions.ExpiredMetadataError,
        lambda exc: (
            f"the hub's signatures have expired: {exc}. The hub must run 'kiosk hub "
            "refresh', or this kiosk's clock is wrong"
        ),
    ),
    (
        exceptions.UnsignedMetadataError,
        lambda exc: (
            f"the metadata is not signed by the kecamatan's keys (wrong key or tampered): {exc}"
        ),
    ),
    (
        exceptions.RepositoryError,
        lambda exc: f"the hub's metadata is not valid (damaged, or not a hub): {exc}",
    ),
    (
        OSError,
        lambda exc: f"cannot write on this kiosk ({exc.strerror or exc}): is the SD card full?",
    ),
]


def explain(exc: BaseException) -> str:
    """A failed sync in plain words for the status file and the technician."""
    for kind, say in _EXPLANATIONS:
        if isinstance(exc, kind):
            return say(exc)
    return f"unexpected error: {exc!r}"
