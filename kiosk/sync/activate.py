"""Verified release bytes → the kiosk's current catalog, or nothing changes.

TUF proves the kecamatan signed the bytes; this layer makes them safe to serve:
validate the catalog, refuse anything not newer than what we have, write an
immutable release folder and switch ``current`` atomically (CatalogStore), then
load the new release the way the web does. If that fails, switch back to the
previous release and remember the bad hash so we never download it again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..catalog.model import Catalog
from ..catalog.release import parse_release
from ..catalog.store import CatalogStore
from ..config import Config
from ..errors import ReleaseInvalid, SyncError
from ..fsutil import atomic_write_bytes
from .transfer import Held

log = logging.getLogger(__name__)

MAX_BAD = 20  # remembered refused hashes

# Named points of an activation, in order; power-cut tests stop the process at each.
CHECKPOINTS = (
    "activate:start",
    "store:written",
    "store:renamed",
    "store:verified",
    "store:switched",
    "activate:switched",
    "activate:checked",
    "activate:done",
)


def web_health_check(config: Config) -> Callable[[Catalog], object]:
    """Build the whole pre-rendered site for the release, as kiosk-web will."""
    from ..web.pages import Site

    return lambda catalog: Site(catalog, config)


class Activator:
    def __init__(
        self,
        config: Config,
        *,
        writer: Callable[[Path, bytes], None] = atomic_write_bytes,
        health_check: Callable[[Catalog], object] | None = None,
        checkpoint: Callable[[str], None] | None = None,
    ):
        self.writer = writer
        self.checkpoint = checkpoint or (lambda name: None)
        self.store = CatalogStore(
            config.state_path / "catalog", writer=writer, checkpoint=self.checkpoint
        )
        self.state_file = config.state_path / "sync" / "state.json"
        self.health_check = health_check or web_health_check(config)

    # ------------------------------------------------------------ what we have

    def state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def current(self) -> tuple[int, str | None]:
        """(version, sha256) of the release in the store; (0, None) when it has none.
        Never parses an intact release: a sync that finds nothing new stays cheap."""
        found = self.store.current_release()
        return (0, None) if found is None else found

    def held(self) -> Held | None:
        """The current release as a base for patches, or None."""
        found = self.store.current_release()
        path = self.store.current_release_file()
        return None if found is None or path is None else Held(found[0], found[1], path)

    def newest_known(self) -> int:
        """The highest version this kiosk ever activated (our own rollback guard)."""
        recorded = self.state().get("max_version", 0)
        return max(self.current()[0], recorded if isinstance(recorded, int) else 0)

    # ------------------------------------------------------------ decisions

    def is_current(self, sha256: str) -> bool:
        return self.current()[1] == sha256

    def check_offer(self, version: int, sha256: str) -> None:
        """Refuse, before downloading, a release we already refused or that is not newer."""
        if sha256 in self.state().get("bad", []):
            raise SyncError(
                f"release {version} on the hub was refused before; waiting for a newer one"
            )
        newest = self.newest_known()
        if version <= newest:
            raise SyncError(
                f"the hub offers catalog version {version}, but this kiosk already had "
                f"version {newest} (an old release replayed?)"
            )

    # ------------------------------------------------------------ install

    def install(self, data: bytes, version: int, sha256: str) -> Catalog:
        """Validate, store, switch, health-check; on any failure the old release stays."""
        self.checkpoint("activate:start")
        try:
            catalog = parse_release(data)
        except ReleaseInvalid as exc:
            self._remember_bad(sha256)
            raise SyncError(f"the signed release {version} does not validate: {exc}") from None
        if catalog.version != version:
            self._remember_bad(sha256)
            raise SyncError(
                f"the release file says version {catalog.version}, its signature says {version}"
            )
        self.check_offer(version, sha256)
        previous = self.store.current_target()
        try:
            self.store.activate(data)
        except OSError:
            self.store.recover()  # drop the half-written folder; current was never touched
            raise
        self.checkpoint("activate:switched")
        try:
            loaded = self.store.load_current()
            if loaded is None or loaded.version != version:
                raise ReleaseInvalid("the store does not show the new release")
            self.health_check(loaded)
        except Exception as exc:
            back = self.store.rollback() if previous else None
            if back is None and previous is None:
                self.store.current_link.unlink(missing_ok=True)  # back to the bundled catalog
            self._remember_bad(sha256)
            log.error("release %s failed its health check: %s", version, exc)
            raise SyncError(
                f"release {version} failed to load ({exc}); back to "
                + (f"release {back}" if back is not None else "the bundled catalog")
            ) from None
        self.checkpoint("activate:checked")
        self._save_state(max_version=max(version, self.newest_known()), current_sha256=sha256)
        self.checkpoint("activate:done")
        return loaded

    def _remember_bad(self, sha256: str) -> None:
        bad = [s for s in self.state().get("bad", []) if s != sha256][-(MAX_BAD - 1) :]
        self._save_state(bad=[*bad, sha256])

    def _save_state(self, **changes: Any) -> None:
        state = {**self.state(), **changes}
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(state, sort_keys=True, indent=1) + "\n"
        self.writer(self.state_file, text.encode("utf-8"))
