"""The hub's two report keys, as the kiosk learned them from the signed TUF repository.

``seal``: X25519 public key; residents' records are sealed to it (PyNaCl SealedBox), so
only the hub can read them. ``verify``: Ed25519 key that signs the hub's
acknowledgements, so a forged "stored" on a stick cannot make a kiosk drop records.

The hub publishes both as the TUF target ``report-key.json``; ``kiosk sync`` verifies it
like the catalog (technician's signature, threshold, expiry) and stores it here. Never
trust-on-first-use: a key that did not come through TUF is never written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from ..errors import KioskError
from ..fsutil import atomic_write_bytes

TARGET_NAME = "report-key.json"
FILE_NAME = "hub-key.json"


@dataclasses.dataclass(frozen=True)
class HubKey:
    seal: bytes  # X25519 public key (32 bytes)
    verify: bytes  # Ed25519 verify key (32 bytes)

    @property
    def fingerprint(self) -> str:
        """Short id of the hub's sealing key (carried in bundle headers)."""
        return hashlib.sha256(self.seal).hexdigest()[:16]

    def to_json(self) -> bytes:
        data = {"seal": self.seal.hex(), "verify": self.verify.hex(), "format": 1}
        return json.dumps(data, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> HubKey:
        try:
            data = json.loads(raw)
            key = cls(bytes.fromhex(data["seal"]), bytes.fromhex(data["verify"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise KioskError(f"the hub's report key file is damaged ({exc})") from None
        if len(key.seal) != 32 or len(key.verify) != 32:
            raise KioskError("the hub's report key file has keys of the wrong length")
        return key


def key_path(state_dir: Path) -> Path:
    return Path(state_dir) / "reports" / FILE_NAME


def load_hub_key(state_dir: Path) -> HubKey | None:
    """The hub's verified report key, or None if no sync has brought it yet."""
    try:
        raw = key_path(state_dir).read_bytes()
    except FileNotFoundError:
        return None
    return HubKey.from_json(raw)


def store_hub_key(state_dir: Path, verified: bytes) -> HubKey:
    """Keep the report key a TUF-verified download gave us (atomic; no-op if unchanged)."""
    key = HubKey.from_json(verified)
    path = key_path(state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != key.to_json():
        atomic_write_bytes(path, key.to_json())
    return key
