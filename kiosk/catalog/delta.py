"""The smaller forms of a release, as bytes: xz packing, and patches between releases.

Both sides use this module: the hub makes the forms (kiosk/hub/release_forms.py), the
kiosk rebuilds the release from them (kiosk/sync/transfer.py). A patch is an RFC 6902
JSON Patch (the jsonpatch library; Debian: python3-jsonpatch), made from the parsed
old and new release documents and applied to the parsed release the kiosk holds; the
result is serialized canonically (``canonical_json``, as the hub built the release),
so a right patch gives the hub's bytes exactly and the signed hash decides.

Nothing here trusts its input: sizes are bounded before anything is expanded, a patch
may not use ``copy`` (one copy can double the document), and every failure is a
:class:`FormRefused`.
"""

from __future__ import annotations

import json
import lzma
from typing import Any

import jsonpatch
import jsonpointer

from ..errors import FormRefused
from .release import canonical_json

# xz with an 8 MiB dictionary: ample for a kabupaten's release (repeated service texts
# far apart still compress), and unpacking needs about 9 MiB, fine on a Zero 2 W.
_FILTERS = [{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME, "dict_size": 8 << 20}]
UNPACK_MEMORY = 32 << 20  # an xz header asking for more is refused
PATCH_OPS = frozenset({"add", "remove", "replace", "move", "test"})  # not "copy"

_PATCH_ERRORS = (
    jsonpatch.JsonPatchException,
    jsonpointer.JsonPointerException,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    RecursionError,
)


def pack(data: bytes) -> bytes:
    return lzma.compress(data, format=lzma.FORMAT_XZ, filters=_FILTERS)


def unpack(data: bytes, limit: int) -> bytes:
    """xz bytes → their content, refused if damaged, incomplete or over ``limit`` bytes."""
    unpacker = lzma.LZMADecompressor(format=lzma.FORMAT_XZ, memlimit=UNPACK_MEMORY)
    try:
        out = unpacker.decompress(data, max_length=limit + 1)
    except lzma.LZMAError as exc:
        raise FormRefused(f"not a valid xz file ({exc})") from None
    if len(out) > limit:
        raise FormRefused(f"unpacks to more than the {limit:,} bytes signed")
    if not unpacker.eof or unpacker.unused_data:
        raise FormRefused("the xz file is cut short or has bytes after its end")
    return out


def make_patch(old: bytes, new: bytes) -> bytes:
    """The packed patch that turns release bytes ``old`` into ``new`` (hub side)."""
    ops = jsonpatch.make_patch(json.loads(old), json.loads(new)).patch
    if any(op.get("op") not in PATCH_OPS for op in ops):  # pragma: no cover - library change
        raise ValueError("jsonpatch made an operation kiosks refuse")
    return pack(canonical_json(ops))


def apply_patch(base: bytes, packed_patch: bytes, limit: int) -> bytes:
    """Release bytes ``base`` with the patch applied, canonical; at most ``limit`` bytes."""
    ops = _patch_ops(unpack(packed_patch, limit))
    try:
        document = json.loads(base)
        result = jsonpatch.apply_patch(document, ops, in_place=True)
        data = canonical_json(result)
    except _PATCH_ERRORS as exc:
        raise FormRefused(f"the patch does not apply to this kiosk's release ({exc})") from None
    if len(data) > limit:
        raise FormRefused(f"the patched release is longer than the {limit:,} bytes signed")
    return data


def _patch_ops(text: bytes) -> list[dict[str, Any]]:
    try:
        ops = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FormRefused(f"the patch is not JSON ({exc})") from None
    if not isinstance(ops, list) or not all(
        isinstance(op, dict) and op.get("op") in PATCH_OPS for op in ops
    ):
        raise FormRefused(f"the patch is not a list of {'/'.join(sorted(PATCH_OPS))} operations")
    return ops
