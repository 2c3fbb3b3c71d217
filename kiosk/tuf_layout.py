"""What the hub's TUF repository (kiosk/hub) and the kiosks' client (kiosk/sync) agree on.

Only names live here: changing one breaks every kiosk in the field, so both sides
import them from this one place.

A release is signed in up to three forms, each its own TUF target: whole
(``catalog.json``, what every kiosk reads), packed (``catalog.json.xz``, the same
bytes xz-compressed) and as patches from the last few releases
(``catalog-patch-from-<V>.json.xz``). Kiosks that know the smaller forms take the
smallest that fits; whatever they rebuild must equal the whole release's signed hash.
"""

from __future__ import annotations

TARGET_NAME = "catalog.json"  # the catalog release, whole: the one target older kiosks read
ISSUED_FIELD = "x-pelita-issued"  # signed issue time in timestamp.json: the kiosks' time floor

PACKED_NAME = "catalog.json.xz"  # the same release bytes, xz-compressed
PATCH_PREFIX, PATCH_SUFFIX = "catalog-patch-from-", ".json.xz"
# Signed "custom" fields of the release's targets.
VERSION_FIELD = "catalog_version"  # every form: the release version it gives
FROM_VERSION_FIELD = "from_version"  # a patch: the release it applies to ...
FROM_SHA256_FIELD = "from_sha256"  # ... and that release's sha256


def patch_name(from_version: int) -> str:
    """The target that turns release ``from_version`` into the current release."""
    return f"{PATCH_PREFIX}{from_version}{PATCH_SUFFIX}"


def is_release_form(name: str) -> bool:
    """A smaller form of the current release (replaced at every publish)."""
    return name == PACKED_NAME or (name.startswith(PATCH_PREFIX) and name.endswith(PATCH_SUFFIX))
