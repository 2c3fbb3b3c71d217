"""The hub's two report keys: one to open what kiosks seal, one to sign what it answers.

``keys/reports/seal.key``  X25519 private key (PyNaCl PrivateKey): opens bundles
``keys/reports/sign.key``  Ed25519 seed (PyNaCl SigningKey): signs acknowledgements

Both stay on the hub server (0600): it needs them to receive reports unattended. Their
public halves go to every kiosk as the signed TUF target ``report-key.json``
(kiosk/reports/hubkey.py), signed by the technician's content key like a catalog
release, so a kiosk never takes a report key on trust from whoever answers first.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from nacl.public import PrivateKey
from nacl.signing import SigningKey

from ..errors import KioskError
from ..fsutil import fsync_dir
from ..reports.hubkey import TARGET_NAME, HubKey

KEY_DIR = Path("keys/reports")
SEAL_FILE = KEY_DIR / "seal.key"
SIGN_FILE = KEY_DIR / "sign.key"


@dataclasses.dataclass(frozen=True)
class ReportKeys:
    seal: PrivateKey
    signing: SigningKey

    @property
    def public(self) -> HubKey:
        return HubKey(bytes(self.seal.public_key), bytes(self.signing.verify_key))


def create_report_keys(hub_dir: Path) -> ReportKeys:
    """Make the hub's report keys (refuses to replace existing ones: kiosks trust them)."""
    hub_dir = Path(hub_dir)
    if (hub_dir / SEAL_FILE).exists() or (hub_dir / SIGN_FILE).exists():
        raise KioskError(f"{hub_dir / KEY_DIR} already holds report keys; refusing to replace")
    (hub_dir / KEY_DIR).mkdir(parents=True, exist_ok=True, mode=0o700)
    keys = ReportKeys(PrivateKey.generate(), SigningKey.generate())
    _write_secret(hub_dir / SEAL_FILE, bytes(keys.seal))
    _write_secret(hub_dir / SIGN_FILE, bytes(keys.signing))
    fsync_dir(hub_dir / KEY_DIR)
    return keys


def _write_secret(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def load_report_keys(hub_dir: Path) -> ReportKeys:
    hub_dir = Path(hub_dir)
    try:
        seal = (hub_dir / SEAL_FILE).read_bytes()
        sign = (hub_dir / SIGN_FILE).read_bytes()
    except FileNotFoundError:
        raise KioskError(
            f"{hub_dir} has no report keys: run 'kiosk hub report-keys --hub {hub_dir}'"
        ) from None
    if len(seal) != 32 or len(sign) != 32:
        raise KioskError(f"the report keys in {hub_dir / KEY_DIR} are damaged")
    return ReportKeys(PrivateKey(seal), SigningKey(sign))


def publish_report_key(hub_dir: Path, passphrase: bytes | None = None) -> HubKey:
    """Sign the public report key into the hub's TUF repository (needs the content key)."""
    from .repo import Hub

    public = load_report_keys(hub_dir).public
    Hub(hub_dir, passphrase=passphrase).sign_file(TARGET_NAME, public.to_json())
    return public
