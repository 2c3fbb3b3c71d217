"""A catalog release: the validated catalog compiled to one canonical JSON file.

Kiosks read only releases, never the hand-written YAML. The bytes are canonical
(sorted keys, no spaces, UTF-8), so the same catalog and version always give the
same file and the same hash.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import CatalogInvalid, ReleaseInvalid
from .load import catalog_from_data
from .model import Catalog

RELEASE_FORMAT = 1


def catalog_to_data(catalog: Catalog) -> dict[str, Any]:
    """The catalog as plain JSON-able data (the shape ``catalog_from_data`` reads)."""

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value):
            return {
                f.name: plain(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if not f.name.startswith("_")
            }
        if isinstance(value, (tuple, list)):
            return [plain(v) for v in value]
        if isinstance(value, date):
            return value.isoformat()
        return value

    data: dict[str, Any] = plain(catalog)
    for key in ("version", "published"):
        data.pop(key)
    return data


def build_release(catalog: Catalog, version: int, published: date) -> bytes:
    """Compile ``catalog`` into release bytes with the given version and date."""
    document = {
        "format": RELEASE_FORMAT,
        "version": version,
        "published": published.isoformat(),
        "catalog": catalog_to_data(catalog),
    }
    return canonical_json(document)


def canonical_json(document: Any) -> bytes:
    """The one byte form of a release document. Sync rebuilds a release from a patch
    (kiosk/catalog/delta.py) and must get exactly the bytes the hub signed."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def parse_release(data: bytes, name: str = "catalog.json") -> Catalog:
    """Load and fully validate release bytes; raise :class:`ReleaseInvalid`."""
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_SharedStrings())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReleaseInvalid(f"{name}: not a valid catalog release ({exc})") from None
    found = document.get("format") if isinstance(document, dict) else None
    if found != RELEASE_FORMAT:
        raise ReleaseInvalid(
            f"{name}: unknown release format {found!r} (this kiosk reads format "
            f"{RELEASE_FORMAT}); update the kiosk software"
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ReleaseInvalid(f"{name}: version must be a whole number, found {version!r}")
    try:
        published = date.fromisoformat(str(document.get("published")))
    except ValueError:
        raise ReleaseInvalid(f"{name}: published is not a date") from None
    try:
        catalog = catalog_from_data(document.get("catalog"), name)
    except CatalogInvalid as exc:
        shown = "; ".join(str(p) for p in exc.problems[:5])
        raise ReleaseInvalid(f"{name}: catalog does not validate: {shown}") from None
    return dataclasses.replace(catalog, version=version, published=published)


class _SharedStrings:
    """Builds each JSON object with every repeated text as one object: many services
    share requirements, steps and hours, and a kiosk keeps its catalog for weeks. Done
    while parsing, so the duplicates are freed at once rather than after the whole file."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        return {key: self.share(value) for key, value in pairs}

    def share(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.seen.setdefault(value, value)
        if isinstance(value, list):  # a list of texts; its objects were shared already
            return [self.share(item) if isinstance(item, str) else item for item in value]
        return value


def load_release(path: str | Path) -> Catalog:
    """Read a release file from disk."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReleaseInvalid(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_release(data, str(path))


def bundled_release_path() -> Path:
    """The release shipped inside the package: the demo's and a fresh kiosk's catalog."""
    return Path(__file__).resolve().parent.parent / "data" / "catalog.json"
