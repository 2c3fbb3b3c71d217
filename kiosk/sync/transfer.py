"""The offered release's verified bytes, by the smallest form the hub signed.

In order: a patch on the release this kiosk holds, the packed (xz) release, the whole
release (kiosk/tuf_layout.py names them). Each form is a TUF target: ngclient checks
its signed length and sha256, and we re-check the bytes on disk. What a patch or
unpacking rebuilds must then equal the WHOLE release's signed length and sha256, or
the next form is tried. A form that is missing (404), damaged or tampered with falls
through to the next; a network failure stops the sync (the next form would cross the
same network). Nothing here writes outside staging: activation (activate.py) starts
only from bytes that match the signed release.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tuf.api import exceptions
from tuf.api.metadata import TargetFile

from ..catalog.delta import apply_patch, unpack
from ..errors import FormRefused
from ..tuf_layout import FROM_SHA256_FIELD, PACKED_NAME, VERSION_FIELD, patch_name
from .client import HubClient, Offer, explain

log = logging.getLogger(__name__)

REBUILT = "sync:rebuilt"  # checkpoint: a smaller form gave the signed release (power-cut tests)
_GONE = (403, 404, 410)  # a form not on this hub or stick


@dataclasses.dataclass(frozen=True)
class Held:
    """The release this kiosk serves: what a patch applies to."""

    version: int
    sha256: str
    path: Path


@dataclasses.dataclass(frozen=True)
class Fetched:
    data: bytes  # the whole release, matching its signed length and sha256
    form: str  # "patch from 3", "packed" or "whole"
    size: int  # bytes of the form that was downloaded
    refused: tuple[str, ...] = ()  # smaller forms that were tried and refused, and why


Rebuild = Callable[[bytes], bytes]


def fetch_release(
    client: HubClient,
    offer: Offer,
    held: Held | None,
    staging: Path,
    checkpoint: Callable[[str], None] = lambda name: None,
) -> Fetched:
    """Download the offered release into ``staging`` by its smallest usable form."""
    refused: list[str] = []
    for form, info, rebuild in _smaller_forms(client, offer, held):
        try:
            raw = client.download_target(info, staging / f"{info.hashes['sha256']}.part")
            data = rebuild(raw)
            _check_whole(data, offer)
        except Exception as exc:
            if not _falls_through(exc):
                raise
            log.warning("release %s: the %s form was refused: %s", offer.version, form, exc)
            refused.append(f"{form}: {explain(exc)}")
            continue
        checkpoint(REBUILT)
        return Fetched(data, form, len(raw), tuple(refused))
    data = client.download(staging / f"{offer.sha256}.part")
    return Fetched(data, "whole", len(data), tuple(refused))


def _smaller_forms(
    client: HubClient, offer: Offer, held: Held | None
) -> Iterator[tuple[str, TargetFile, Rebuild]]:
    """The smaller forms the hub signed for this very release, smallest first."""
    if held is not None:
        info = client.target_info(patch_name(held.version))
        if (
            info is not None
            and _custom(info).get(FROM_SHA256_FIELD) == held.sha256
            and _custom(info).get(VERSION_FIELD) == offer.version
        ):
            yield (
                f"patch from {held.version}",
                info,
                lambda raw: apply_patch(held.path.read_bytes(), raw, offer.length),
            )
    info = client.target_info(PACKED_NAME)
    if info is not None and _custom(info).get(VERSION_FIELD) == offer.version:
        yield "packed", info, lambda raw: unpack(raw, offer.length)


def _custom(info: TargetFile) -> dict[str, Any]:
    custom = info.custom
    return custom if isinstance(custom, dict) else {}


def _check_whole(data: bytes, offer: Offer) -> None:
    if len(data) != offer.length or hashlib.sha256(data).hexdigest() != offer.sha256:
        raise FormRefused(
            "what it gives does not match the signed release "
            f"({len(data):,} bytes; signed: {offer.length:,})"
        )


def _falls_through(exc: Exception) -> bool:
    """Damaged, tampered with or missing: try the next form. Anything else (the
    network, the disk) would fail the next form the same way: stop."""
    if isinstance(exc, exceptions.DownloadHTTPError):
        return exc.status_code in _GONE
    return isinstance(
        exc,
        (
            FormRefused,
            exceptions.LengthOrHashMismatchError,
            exceptions.DownloadLengthMismatchError,
        ),
    )
