"""From the outbox to bundles, and from the hub's acknowledgement back to freed space.

Both transports (push.py, stick.py) use these two functions, so HTTP and the stick
cannot disagree about what was sent or what may be freed.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from ..errors import KioskError
from ..outbox import Outbox, Stored
from . import clockstate
from .bundle import from_ranges, read_ack, write_bundle
from .hubkey import HubKey
from .identity import Identity, enrollment_done, pending_enroll_code
from .packing import unpack

log = logging.getLogger(__name__)

BUNDLE_BYTES = 200 * 1024  # one bundle's records; a month's backlog is one or two bundles


@dataclasses.dataclass(frozen=True)
class Outgoing:
    data: bytes
    ids: list[int]


@dataclasses.dataclass(frozen=True)
class AckResult:
    freed: int
    stored: int
    refused: list[dict[str, Any]]
    enrolled: bool


def build_bundles(
    outbox: Outbox, identity: Identity, hub_key: HubKey, *, max_bytes: int = BUNDLE_BYTES
) -> list[Outgoing]:
    """Every record waiting in the outbox, in bundles of at most ``max_bytes`` of bodies."""
    waiting = outbox.pending()
    code = pending_enroll_code(outbox.state_dir)
    out: list[Outgoing] = []
    start = 0
    while start < len(waiting) or (not out and code):
        size, end = 0, start
        while end < len(waiting) and (end == start or size + len(waiting[end].body) <= max_bytes):
            size += len(waiting[end].body)
            end += 1
        chunk = waiting[start:end]
        header = {
            "v": 1,
            "kiosk": identity.kiosk_id,
            "key": identity.fingerprint,
            "hub": hub_key.fingerprint,
        }
        index: dict[str, Any] = {
            "kiosk": identity.kiosk_id,
            "at": {
                "boot_id": clockstate.boot_id(),
                "mono": clockstate.mono(),
                "kiosk_time": clockstate.wall_iso(),
            },
            "records": [_entry(r) for r in chunk],
        }
        if code:
            header["pub"] = identity.public_key.hex()
            index["enroll"] = code
        data = write_bundle(
            signing_key=identity.signing_key,
            seal_key=hub_key.seal,
            header=header,
            index=index,
            bodies=[r.body for r in chunk if r.sealed],
        )
        out.append(Outgoing(data, [r.id for r in chunk]))
        start = end
    return out


def _entry(record: Stored) -> dict[str, Any]:
    """Machine bodies go inline (the index is deflated as a whole: 24 hourly counts
    share their words); a resident's body stays the sealed blob it has been on disk."""
    if record.sealed:
        return {**record.envelope(), "len": len(record.body)}
    return {**record.envelope(), "body": unpack(record.body)}


def apply_ack(outbox: Outbox, identity: Identity, hub_key: HubKey, data: bytes) -> AckResult:
    """Free what the hub's signed acknowledgement says it stored (and nothing else)."""
    ack = read_ack(data, hub_key.verify)
    if ack.get("kiosk") != identity.kiosk_id or ack.get("key") != identity.fingerprint:
        raise KioskError(
            f"the hub's acknowledgement is for kiosk {ack.get('kiosk')!r} with key "
            f"{ack.get('key')!r}, not this one ({identity.kiosk_id}, {identity.fingerprint})"
        )
    stored = from_ranges(ack["stored"])
    freed = outbox.acknowledge(stored)
    next_id = ack.get("next_id")
    if isinstance(next_id, int) and next_id > 0:
        outbox.raise_id_floor(next_id)
    if ack.get("enrolled"):
        enrollment_done(Path(outbox.state_dir))
    refused = [r for r in ack.get("refused", []) if isinstance(r, dict)]
    for item in refused:
        log.warning("the hub refused record %s: %s", item.get("id"), item.get("reason"))
    return AckResult(freed, len(stored), refused, bool(ack.get("enrolled")))
