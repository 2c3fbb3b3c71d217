"""The catalog store on a kiosk: immutable releases and one ``current`` pointer.

```
<state>/catalog/releases/<version>/catalog.json          written once, never changed
<state>/catalog/releases/<version>/catalog.json.sha256   its sha256, written with it
<state>/catalog/current -> releases/<version>             swapped with one rename
```

Activation writes the new release folder completely (fsynced), then swaps the
``current`` symlink atomically. After a power cut at any point ``current`` names
either the old or the new complete release. Old releases stay as last-known-good.
The digest lets a sync see which release is current, and that it is intact, without
parsing it (``current_release``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import ReleaseInvalid
from ..fsutil import atomic_symlink, atomic_write_bytes, fsync_dir
from .model import Catalog
from .release import load_release, parse_release

log = logging.getLogger(__name__)

RELEASE_FILE = "catalog.json"
DIGEST_FILE = "catalog.json.sha256"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class CatalogStore:
    """Releases kept under ``root``; see the module docstring for the layout."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        keep: int = 3,
        *,
        writer: Callable[[Path, bytes], None] = atomic_write_bytes,
        checkpoint: Callable[[str], None] | None = None,
    ):
        self.root = Path(root)
        self.releases = self.root / "releases"
        self.current_link = self.root / "current"
        self.keep = keep
        self.writer = writer  # injectable so tests can make the disk "full"
        self.checkpoint = checkpoint or (lambda name: None)  # power-cut tests stop here

    def current_target(self) -> str | None:
        """The name ``current`` points at (cheap: one readlink), or None."""
        try:
            return os.readlink(self.current_link)
        except (FileNotFoundError, OSError):
            return None

    def current_release_file(self) -> Path | None:
        target = self.current_target()
        return None if target is None else self.root / target / RELEASE_FILE

    def current_release(self) -> tuple[int, str] | None:
        """(version, sha256) of the current release if it is intact, else None.

        Cheap: a readlink and one sha256, checked against the digest written with the
        release. A release stored before digests were kept is parsed once instead, then
        given its digest."""
        target = self.current_target()
        if target is None or not Path(target).name.isdigit():
            return None
        folder = self.root / target
        try:
            data = (folder / RELEASE_FILE).read_bytes()
        except OSError:
            return None
        sha256 = hashlib.sha256(data).hexdigest()
        try:
            recorded = (folder / DIGEST_FILE).read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            recorded = ""
        if recorded != sha256:
            if _SHA256.match(recorded):
                return None  # the bytes changed since they were verified and written
            try:
                parse_release(data, str(folder / RELEASE_FILE))
            except ReleaseInvalid:
                return None
            with contextlib.suppress(OSError):  # a full disk: parse again next time
                self.writer(folder / DIGEST_FILE, sha256.encode("ascii"))
        return int(Path(target).name), sha256

    def load_current(self) -> Catalog | None:
        """The active catalog, or None when the store has none."""
        path = self.current_release_file()
        return None if path is None else load_release(path)

    def versions(self) -> list[int]:
        if not self.releases.is_dir():
            return []
        return sorted(int(p.name) for p in self.releases.iterdir() if p.name.isdigit())

    def activate(self, release: bytes) -> Catalog:
        """Validate ``release``, store it, and make it current in one atomic step.

        Raises :class:`ReleaseInvalid` (nothing changes) if it does not validate.
        """
        catalog = parse_release(release)
        self.releases.mkdir(parents=True, exist_ok=True)
        final = self.releases / str(catalog.version)
        if not (final / RELEASE_FILE).is_file() or (final / RELEASE_FILE).read_bytes() != release:
            staging = self.releases / f".staging-{catalog.version}-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            self.writer(staging / RELEASE_FILE, release)
            self.writer(staging / DIGEST_FILE, hashlib.sha256(release).hexdigest().encode("ascii"))
            self.checkpoint("store:written")
            if final.exists():  # a damaged leftover of an earlier attempt
                shutil.rmtree(final)
            os.rename(staging, final)
            self.checkpoint("store:renamed")
            fsync_dir(self.releases)
        # Re-read what is on disk: activate exactly the bytes we verified.
        if load_release(final / RELEASE_FILE).version != catalog.version:
            raise ReleaseInvalid(f"{final}: stored release does not match")
        self.checkpoint("store:verified")
        atomic_symlink(f"releases/{catalog.version}", self.current_link)
        self.checkpoint("store:switched")
        log.info("activated catalog release %s", catalog.version)
        self._prune(catalog.version)
        return catalog

    def recover(self) -> list[str]:
        """After a crash: drop half-written leftovers; if ``current`` does not load,
        point it at the newest release that does. Returns what was done."""
        done = []
        if self.releases.is_dir():
            for leftover in self.releases.glob(".staging-*"):
                shutil.rmtree(leftover, ignore_errors=True)
                done.append(f"removed {leftover.name}")
        for tmp in self.root.glob(".current.*.tmp") if self.root.is_dir() else ():
            tmp.unlink(missing_ok=True)
            done.append(f"removed {tmp.name}")
        if self.current_target() is not None and self.current_release() is None:
            version = self.rollback()
            done.append(f"current is damaged or missing; back to release {version}")
        return done

    def rollback(self) -> int | None:
        """Point ``current`` back at the newest older release that loads; return its version."""
        current = self.current_target()
        for version in reversed(self.versions()):
            if current == f"releases/{version}":
                continue
            try:
                load_release(self.releases / str(version) / RELEASE_FILE)
            except ReleaseInvalid:
                continue
            atomic_symlink(f"releases/{version}", self.current_link)
            return version
        return None

    def _prune(self, active: int) -> None:
        keep = set(self.versions()[-self.keep :]) | {active}
        for version in self.versions():
            if version not in keep:
                shutil.rmtree(self.releases / str(version), ignore_errors=True)
