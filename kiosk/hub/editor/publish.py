"""Publish the draft (the catalog folder as it is) as the next signed release; roll back.

The content (targets) key may be passphrase-protected (PKCS#8); the passphrase is typed
at publish time and only lives in memory for this call. The key is opened before anything
is written, so a wrong passphrase publishes nothing. A roll-back re-publishes an earlier
release's content under a new, higher version (kiosks never go backwards) and writes its
YAML sources back into the folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ...catalog.load import Problem, check_catalog_dir
from ...catalog.model import Catalog
from ...catalog.release import build_release
from ...errors import CatalogInvalid, SyncError
from ..keys import load_signer
from ..repo import KEY_FILES, Hub
from .history import History, Release
from .source import CatalogSource, folder_lock


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Draft:
    """The catalog folder now: its sources, and the catalog if it validates."""

    sources: dict[str, str]
    catalog: Catalog | None
    problems: list[Problem]


def check_draft(source: CatalogSource, sources: dict[str, str] | None = None) -> Draft:
    """Validate exactly ``sources`` (default: the folder as it is now)."""
    sources = source.snapshot() if sources is None else sources
    catalog, problems = check_catalog_dir(source.root, source.exactly(sources))
    return Draft(sources, catalog, problems)


def unlock(hub: Hub) -> None:
    """Open the content key now: raises KeyLocked (wrong or missing passphrase) before
    anything is written."""
    load_signer(hub.path / KEY_FILES["targets"], hub.passphrase)


def publish(
    hub_dir: str,
    source: CatalogSource,
    *,
    by: str,
    passphrase: bytes | None,
    sources: dict[str, str] | None = None,
    rollback_of: int | None = None,
    now: Callable[[], datetime] = _utcnow,
) -> Release:
    """Sign the draft (or ``sources``) as the next release and record it in the history.

    Raises CatalogInvalid (every problem) or KeyLocked / SyncError; nothing is published then.
    """
    hub = Hub(hub_dir, now=now, passphrase=passphrase)
    unlock(hub)
    draft = check_draft(source, sources)
    if draft.catalog is None:
        raise CatalogInvalid(draft.problems)
    with folder_lock(hub.path):  # two publishers at once would take the same version
        return _sign_and_record(
            hub, draft.catalog, draft.sources, by=by, rollback_of=rollback_of, now=now
        )


def _sign_and_record(
    hub: Hub,
    catalog: Catalog,
    sources: dict[str, str],
    *,
    by: str,
    rollback_of: int | None,
    now: Callable[[], datetime],
) -> Release:
    version = hub.last_release_version() + 1
    when = now()
    data = build_release(catalog, version, when.date())
    published = hub.sign_release(data, version, when.date())
    release = Release(
        version=version,
        published_at=when.isoformat(timespec="seconds"),
        published_by=by,
        sha256=published.sha256,
        release=data.decode("utf-8"),
        sources=sources,
        rollback_of=rollback_of,
    )
    History(hub.path).record(release)
    return release


def roll_back(
    hub_dir: str,
    source: CatalogSource,
    to_version: int,
    *,
    by: str,
    passphrase: bytes | None,
    now: Callable[[], datetime] = _utcnow,
) -> Release:
    """Publish release ``to_version``'s content as a new version; restore its sources."""
    earlier = History(hub_dir).get(to_version)
    if earlier is None:
        raise SyncError(f"release {to_version} is not in the hub's history")
    release = publish(
        hub_dir,
        source,
        by=by,
        passphrase=passphrase,
        sources=earlier.sources,
        rollback_of=to_version,
        now=now,
    )
    source.restore(earlier.sources)
    return release
