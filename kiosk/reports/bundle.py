"""The one wire format of reports, for HTTP and the USB stick alike.

A **bundle** (kiosk → hub)::

    signature (64) | b"PKB1" | header length (2, big-endian) | header JSON | sealed payload

* the signature is Ed25519 by the kiosk's key over everything after it;
* the header is readable (the hub must know whose key to check, and which of its keys
  the payload is sealed to) and says nothing about anyone: kiosk id, key fingerprint,
  hub key fingerprint, and the kiosk's public key only while enrolling;
* the payload is sealed to the hub (PyNaCl SealedBox, X25519 + XSalsa20-Poly1305):
  ``index length (4) | index (deflated JSON) | residents' bodies``. The index repeats
  the kiosk id (a kiosk cannot pass off another's sealed payload as its own), carries
  the kiosk's boot id / monotonic / wall clock at writing (the hub's time anchor) and an
  enrollment code while enrolling, and lists every record's envelope: machine records
  (health, counts) with their body inline, so the whole day deflates as one text;
  residents' records with the length of their body, which follows the index as the
  blob sealed at append (the kiosk could not open it if it wanted to).

An **acknowledgement** (hub → kiosk) is a signed message (Ed25519, the hub's report
key): ``{"kiosk", "key", "stored": [[first, last], ...], "next_id", "hub_time"}`` plus
``"refused": [{"id", "reason"}]`` and ``"enrolled": true`` when they apply. The kiosk
frees exactly the ``stored`` ids, and only after checking the signature against the hub
key it got through TUF.

All parsing here is defensive: a bundle is hostile until its signature checks out.
"""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib
from typing import Any

from ..errors import KioskError
from .packing import deflate, inflate

MAGIC = b"PKB1"
SIG_LEN = 64
MAX_HEADER = 2048
MAX_INDEX = 1 << 20


class BundleInvalid(KioskError, ValueError):
    """A bundle or acknowledgement that cannot be read or verified; the message says why."""


@dataclasses.dataclass(frozen=True)
class Bundle:
    """A parsed bundle; ``signed`` is what the signature covers."""

    signature: bytes
    header: dict[str, Any]
    sealed: bytes
    signed: bytes


# ---------------------------------------------------------------- writing (kiosk)


def write_bundle(
    *,
    signing_key: Any,
    seal_key: bytes,
    header: dict[str, Any],
    index: dict[str, Any],
    bodies: list[bytes],
) -> bytes:
    """Seal ``index`` + ``bodies`` to ``seal_key`` and sign the whole with ``signing_key``."""
    from nacl.public import PublicKey, SealedBox

    packed_index = deflate(json.dumps(index, separators=(",", ":")).encode("utf-8"))
    payload = struct.pack(">I", len(packed_index)) + packed_index + b"".join(bodies)
    sealed = SealedBox(PublicKey(seal_key)).encrypt(payload)
    head = json.dumps(header, separators=(",", ":"), sort_keys=True).encode("utf-8")
    if len(head) > MAX_HEADER:
        raise BundleInvalid("bundle header too large")
    signed = MAGIC + struct.pack(">H", len(head)) + head + sealed
    signature: bytes = signing_key.sign(signed).signature
    return signature + signed


# ---------------------------------------------------------------- reading (hub)


def parse_bundle(data: bytes) -> Bundle:
    """Split a bundle into its parts (no crypto yet): the header says whose it claims to be."""
    if len(data) < SIG_LEN + len(MAGIC) + 2 or data[SIG_LEN : SIG_LEN + 4] != MAGIC:
        raise BundleInvalid("not a Pelita report bundle (or cut short)")
    signed = data[SIG_LEN:]
    (head_len,) = struct.unpack(">H", signed[4:6])
    if head_len > MAX_HEADER or len(signed) < 6 + head_len:
        raise BundleInvalid("the bundle is cut short (its header is incomplete)")
    try:
        header = json.loads(signed[6 : 6 + head_len])
    except ValueError:
        raise BundleInvalid("the bundle's header is damaged") from None
    if not isinstance(header, dict) or not isinstance(header.get("kiosk"), str):
        raise BundleInvalid("the bundle's header names no kiosk")
    return Bundle(data[:SIG_LEN], header, signed[6 + head_len :], signed)


def verify_bundle(bundle: Bundle, public_key: bytes) -> None:
    """Check the kiosk's signature; BundleInvalid if it does not match ``public_key``."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    try:
        VerifyKey(public_key).verify(bundle.signed, bundle.signature)
    except (BadSignatureError, ValueError):
        raise BundleInvalid(
            "the signature does not match the kiosk's enrolled key (forged, damaged or cut short)"
        ) from None


def open_payload(bundle: Bundle, seal_private: Any) -> tuple[dict[str, Any], bytes]:
    """Unseal the payload with the hub's private key: (index, concatenated bodies)."""
    from nacl.exceptions import CryptoError
    from nacl.public import SealedBox

    try:
        payload = SealedBox(seal_private).decrypt(bundle.sealed)
    except CryptoError:
        raise BundleInvalid("the payload cannot be opened with this hub's key") from None
    if len(payload) < 4:
        raise BundleInvalid("the payload is empty")
    (index_len,) = struct.unpack(">I", payload[:4])
    if index_len > len(payload) - 4:
        raise BundleInvalid("the payload's index is cut short")
    try:
        index = json.loads(inflate(payload[4 : 4 + index_len], MAX_INDEX))
    except (ValueError, zlib.error):  # includes 'too large once inflated'
        raise BundleInvalid("the payload's index is damaged") from None
    if not isinstance(index, dict) or not isinstance(index.get("records"), list):
        raise BundleInvalid("the payload's index lists no records")
    return index, payload[4 + index_len :]


# ---------------------------------------------------------------- acknowledgements


def sign_ack(signing_key: Any, ack: dict[str, Any]) -> bytes:
    message = json.dumps(ack, separators=(",", ":"), sort_keys=True).encode("utf-8")
    signed: bytes = bytes(signing_key.sign(message))
    return signed


def read_ack(data: bytes, hub_verify_key: bytes) -> dict[str, Any]:
    """The hub's acknowledgement, if its signature checks out against the TUF-given key."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    try:
        message = VerifyKey(hub_verify_key).verify(data[SIG_LEN:], data[:SIG_LEN])
        ack = json.loads(message)
    except (BadSignatureError, ValueError):
        raise BundleInvalid(
            "the hub's acknowledgement is not signed by the hub's report key (forged or damaged)"
        ) from None
    if not isinstance(ack, dict) or not isinstance(ack.get("stored"), list):
        raise BundleInvalid("the hub's acknowledgement lists nothing")
    return ack


def to_ranges(ids: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7] → [[1, 3], [7, 7]]: acknowledgements stay small."""
    ranges: list[list[int]] = []
    for i in sorted(set(ids)):
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    return ranges


def from_ranges(ranges: Any, *, most: int = 1_000_000) -> list[int]:
    ids: list[int] = []
    for pair in ranges:
        first, last = int(pair[0]), int(pair[1])
        if last < first or len(ids) + (last - first) >= most:
            raise BundleInvalid("the acknowledgement's ranges are not sensible")
        ids.extend(range(first, last + 1))
    return ids
