"""The smaller forms a release is signed in beside the whole one (kiosk/tuf_layout.py).

Every release gets a packed form (xz) and a patch from each of the last ``PATCH_FROM``
releases whose bytes the hub still keeps, so a kiosk that is one to four releases
behind downloads about the size of the change. A patch bigger than the packed release,
or one kiosks would refuse, is not published (a kiosk then takes the packed one). The
whole release stays listed for older kiosks. Each form is its own TUF target, signed
with the release.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tuf.api.metadata import TargetFile, Targets

from ..catalog.delta import make_patch, pack, unpack
from ..errors import FormRefused
from ..fsutil import atomic_write_bytes
from ..tuf_layout import (
    FROM_SHA256_FIELD,
    FROM_VERSION_FIELD,
    PACKED_NAME,
    TARGET_NAME,
    VERSION_FIELD,
    is_release_form,
    patch_name,
)

PATCH_FROM = 4  # patches from the last 4 releases (the hub keeps 5 releases' bytes)


@dataclasses.dataclass(frozen=True)
class Form:
    name: str
    data: bytes
    custom: dict[str, Any]


def release_forms(data: bytes, version: int, earlier: Iterable[tuple[int, bytes]]) -> list[Form]:
    """The packed release and the patches from ``earlier`` (version, bytes) releases."""
    packed = pack(data)
    forms = [Form(PACKED_NAME, packed, {VERSION_FIELD: version})]
    for old_version, old in earlier:
        patch = make_patch(old, data)
        if _usable(patch, packed, len(data)):
            custom = {
                VERSION_FIELD: version,
                FROM_VERSION_FIELD: old_version,
                FROM_SHA256_FIELD: hashlib.sha256(old).hexdigest(),
            }
            forms.append(Form(patch_name(old_version), patch, custom))
    return forms


def _usable(patch: bytes, packed: bytes, limit: int) -> bool:
    """Smaller than the packed release, and within what kiosks accept: a patch may not
    unpack to more than the release it gives (kiosk/catalog/delta.py apply_patch)."""
    if len(patch) >= len(packed):
        return False
    try:
        unpack(patch, limit)
    except FormRefused:
        return False
    return True


def earlier_releases(targets_dir: Path, version: int) -> list[tuple[int, bytes]]:
    """The newest ``PATCH_FROM`` releases before ``version`` still in ``targets_dir``."""
    found: dict[int, bytes] = {}
    for path in targets_dir.glob(f"*.{TARGET_NAME}"):
        try:
            data = path.read_bytes()
            old = json.loads(data)["version"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(old, int) and old < version:
            found[old] = data
    return sorted(found.items(), reverse=True)[:PATCH_FROM]


def list_forms(targets: Targets, forms: Iterable[Form], targets_dir: Path) -> None:
    """Write the forms' files and make them the only forms ``targets`` lists."""
    for name in [n for n in targets.targets if is_release_form(n)]:
        del targets.targets[name]
    for form in forms:
        info = TargetFile.from_data(form.name, form.data, ["sha256"])
        info.unrecognized_fields["custom"] = form.custom
        atomic_write_bytes(targets_dir / f"{info.hashes['sha256']}.{form.name}", form.data)
        targets.targets[form.name] = info


def prune_forms(targets_dir: Path, listed: set[str]) -> None:
    """Delete form files that no kept targets metadata lists (file names ``<sha256>.<name>``)."""
    for path in targets_dir.iterdir():
        name = path.name.partition(".")[2]
        if is_release_form(name) and path.name not in listed:
            path.unlink(missing_ok=True)
