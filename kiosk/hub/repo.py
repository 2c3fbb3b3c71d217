"""The kecamatan's catalog repository: signed (TUF) catalog releases, kept as plain files.

```
HUB_DIR/
  public/                      the only folder to serve (any web server) or copy to a USB stick
    metadata/N.root.json       trust chain; never deleted
    metadata/N.targets.json    signed list of releases (the technician's key)
    metadata/N.snapshot.json   pins the targets version (online key)
    metadata/timestamp.json    the one mutable file: pins the snapshot (online key)
    targets/<sha256>.catalog.json   release bytes, named by hash (CDN- and USB-safe)
    targets/<sha256>.catalog.json.xz, <sha256>.catalog-patch-from-N.json.xz
                               the same release, smaller (release_forms.py)
  keys/                        never served, never copied to a kiosk's stick
    offline-root/root-*.pem    root keys: move to offline sticks after init
    technician/targets.pem     signs releases: stays with the technician
    online/snapshot.pem, online/timestamp.pem   re-sign freshness daily (hub server)
```

Consistent snapshots: every file but ``timestamp.json`` is named by version or hash and
never changes, so caches and half-copied sticks cannot mix two states. Publishing writes
the target, then targets, then snapshot, and ``timestamp.json`` last.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from securesystemslib.signer import Signer
from tuf.api.metadata import Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

from ..catalog.load import check_catalog_dir
from ..catalog.release import build_release
from ..errors import CatalogInvalid, SyncError
from ..fsutil import atomic_write_bytes
from ..tuf_layout import ISSUED_FIELD, TARGET_NAME
from .keys import generate_key, load_signer
from .release_forms import earlier_releases, list_forms, prune_forms, release_forms

ROLES = ("root", "targets", "snapshot", "timestamp")

# How long each role's signature is valid. The timestamp's lifetime is the longest a
# kiosk can be kept on a stale hub (freeze); 14 days leaves room for a USB stick's trip.
EXPIRY = {
    "root": timedelta(days=730),
    "targets": timedelta(days=180),
    "snapshot": timedelta(days=30),
    "timestamp": timedelta(days=14),
}
# ``refresh`` re-signs an online role when less than this is left (daily timer).
RESIGN_WHEN_LEFT = {"snapshot": timedelta(days=15), "timestamp": timedelta(days=7)}
# ``refresh`` and ``status`` warn loudly when less than this is left.
WARN_WHEN_LEFT = {
    "root": timedelta(days=60),
    "targets": timedelta(days=30),
    "snapshot": timedelta(days=7),
    "timestamp": timedelta(days=3),
}
KEEP_VERSIONS = 5  # old snapshot/targets/target files kept for kiosks mid-download

KEY_FILES = {
    "targets": Path("keys/technician/targets.pem"),
    "snapshot": Path("keys/online/snapshot.pem"),
    "timestamp": Path("keys/online/timestamp.pem"),
}
ROOT_KEY_DIR = Path("keys/offline-root")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclasses.dataclass(frozen=True)
class RoleState:
    role: str
    version: int
    expires: datetime
    left: timedelta
    warning: str  # empty when fine


@dataclasses.dataclass(frozen=True)
class Published:
    version: int
    sha256: str
    length: int
    path: Path


class Hub:
    """One hub folder. ``now`` and ``passphrase`` are parameters so tests and timers set them."""

    def __init__(
        self,
        path: str | Path,
        now: Callable[[], datetime] = _utcnow,
        passphrase: bytes | None = None,
    ):
        self.path = Path(path)
        self.public = self.path / "public"
        self.metadata_dir = self.public / "metadata"
        self.targets_dir = self.public / "targets"
        self.now = now
        self.passphrase = passphrase

    # ------------------------------------------------------------ init

    def init(self, root_keys: int = 3, root_threshold: int = 2, encrypt: bool = False) -> list[str]:
        """Create keys and the first signed metadata; return plain-words instructions."""

        if not 1 <= root_threshold <= root_keys:
            raise SyncError(f"root threshold {root_threshold} must be between 1 and {root_keys}")
        if (self.metadata_dir / "1.root.json").exists():
            raise SyncError(f"{self.path} already holds a hub; refusing to overwrite its keys")
        if encrypt and not self.passphrase:
            raise SyncError("--encrypt-keys needs a passphrase in KIOSK_HUB_PASSPHRASE")
        secret = self.passphrase if encrypt else None
        now = self.now()
        root = Root(expires=now + EXPIRY["root"], consistent_snapshot=True)
        root_signers = []
        for n in range(1, root_keys + 1):
            signer = generate_key(self.path / ROOT_KEY_DIR / f"root-{n}.pem", secret)
            root.add_key(signer.public_key, "root")
            root_signers.append(signer)
        root.roles["root"].threshold = root_threshold
        signers = {}
        for role, rel in KEY_FILES.items():
            # online keys stay unencrypted: a timer uses them unattended
            signers[role] = generate_key(self.path / rel, secret if role == "targets" else None)
            root.add_key(signers[role].public_key, role)
        root_md = Metadata(root)
        for signer in root_signers:
            root_md.sign(signer, append=True)
        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        self._write(self.metadata_dir / "1.root.json", root_md)
        targets = Targets(expires=now + EXPIRY["targets"])
        self._sign_and_write_chain(Metadata(targets), signers)
        (self.path / "keys" / "README.txt").write_text(KEYS_README, encoding="utf-8")
        rel_root = self.metadata_dir.relative_to(self.path) / "1.root.json"
        return [
            f"Hub created in {self.path}.",
            f"Serve or copy ONLY {self.public} (never the keys folder).",
            f"Trust root for every kiosk: {self.path / rel_root}",
            "  copy it to the kiosk as /usr/share/kiosk/trust/root.json (setting trust_root).",
            f"Root keys ({root_keys}, any {root_threshold} can sign): "
            f"{self.path / ROOT_KEY_DIR}/root-*.pem",
            "  copy each to its own offline USB stick (kabupaten, kecamatan, project), then",
            "  delete them from this computer. They are needed only to change keys.",
            f"Content key: {self.path / KEY_FILES['targets']}",
            "  the technician keeps it (publishing needs it); do not leave it on a server.",
            f"Online keys: {self.path / 'keys/online'}/snapshot.pem, timestamp.pem",
            "  stay on the hub server for 'kiosk hub refresh' (daily timer).",
            "  Whoever has them can delay updates, but cannot change the catalog.",
        ]

    # ------------------------------------------------------------ publish

    def publish(self, catalog_dir: str | Path, published: date | None = None) -> Published:
        """Validate, build and sign the next release. Raises CatalogInvalid with all problems."""
        catalog, problems = check_catalog_dir(catalog_dir)
        if problems or catalog is None:
            raise CatalogInvalid(problems)
        version = self.last_release_version() + 1
        when = published or self.now().date()
        return self.sign_release(build_release(catalog, version, when), version, when)

    def sign_release(self, data: bytes, version: int, published: date) -> Published:
        """Sign release bytes as the target (no validation here: ``publish`` validates)."""

        signers = self._signers("targets", "snapshot", "timestamp")
        targets_md = self._latest("targets")
        info = TargetFile.from_data(TARGET_NAME, data, ["sha256"])
        info.unrecognized_fields["custom"] = {
            "catalog_version": version,
            "published": published.isoformat(),
        }
        sha = info.hashes["sha256"]
        target_path = self.targets_dir / f"{sha}.{TARGET_NAME}"
        forms = release_forms(data, version, earlier_releases(self.targets_dir, version))
        atomic_write_bytes(target_path, data)  # 1. the release itself, and its smaller forms
        targets = targets_md.signed
        targets.targets[TARGET_NAME] = info  # other targets (the report key) stay listed
        list_forms(targets, forms, self.targets_dir)
        self._sign_and_write_chain(Metadata(targets), signers, bump=True)  # 2-4.
        self._prune()
        return Published(version, sha, len(data), target_path)

    def sign_file(self, name: str, data: bytes) -> None:
        """Publish a small signed file beside the releases (e.g. the hub's report key,
        kiosk/hub/report_keys.py): kiosks get it through the same TUF checks."""
        from tuf.api.metadata import Metadata, TargetFile

        if name == TARGET_NAME:
            raise SyncError(f"{name} is the catalog release: use publish")
        signers = self._signers("targets", "snapshot", "timestamp")
        targets_md = self._latest("targets")
        info = TargetFile.from_data(name, data, ["sha256"])
        atomic_write_bytes(self.targets_dir / f"{info.hashes['sha256']}.{name}", data)
        targets_md.signed.targets[name] = info
        self._sign_and_write_chain(Metadata(targets_md.signed), signers, bump=True)

    def last_release_version(self) -> int:
        info = self._latest("targets").signed.targets.get(TARGET_NAME)
        return int(info.custom["catalog_version"]) if info is not None else 0

    # ------------------------------------------------------------ refresh

    def refresh(self, force: bool = False) -> tuple[list[str], list[str]]:
        """Re-sign snapshot/timestamp when due; return (what was done, warnings)."""

        done: list[str] = []
        now = self.now()
        snapshot_md = self._latest("snapshot")
        timestamp_md = self._timestamp()
        snapshot_due = force or snapshot_md.signed.expires - now < RESIGN_WHEN_LEFT["snapshot"]
        timestamp_due = force or timestamp_md.signed.expires - now < RESIGN_WHEN_LEFT["timestamp"]
        if snapshot_due or timestamp_due:
            signers = self._signers("snapshot", "timestamp")
            if snapshot_due:
                snapshot = snapshot_md.signed
                snapshot.version += 1
                snapshot.expires = now + EXPIRY["snapshot"]
                snapshot_bytes = self._sign_write(Metadata(snapshot), signers["snapshot"])
                done.append(f"re-signed snapshot (version {snapshot.version})")
                meta = MetaFile.from_data(snapshot.version, snapshot_bytes, ["sha256"])
            else:
                meta = timestamp_md.signed.snapshot_meta
            self._write_timestamp(meta, signers["timestamp"], timestamp_md.signed.version + 1)
            done.append(f"re-signed timestamp (version {timestamp_md.signed.version + 1})")
        warnings = [s.warning for s in self.status() if s.warning]
        return done, warnings

    # ------------------------------------------------------------ status

    def status(self) -> list[RoleState]:
        now = self.now()
        states = []
        for role in ROLES:
            md = self._timestamp() if role == "timestamp" else self._latest(role)
            left = md.signed.expires - now
            warning = ""
            if left <= timedelta(0):
                warning = f"EXPIRED: {role} expired on {md.signed.expires:%Y-%m-%d}. {FIX[role]}"
            elif left < WARN_WHEN_LEFT[role]:
                warning = (
                    f"WARNING: {role} expires in {left.days} days "
                    f"({md.signed.expires:%Y-%m-%d}). {FIX[role]}"
                )
            states.append(RoleState(role, md.signed.version, md.signed.expires, left, warning))
        return states

    # ------------------------------------------------------------ helpers

    def _signers(self, *roles: str) -> dict[str, Signer]:
        return {role: load_signer(self.path / KEY_FILES[role], self.passphrase) for role in roles}

    def _write(self, path: Path, md: Metadata[Any]) -> bytes:
        data: bytes = md.to_bytes(JSONSerializer(compact=True))
        atomic_write_bytes(path, data)
        return data

    def _sign_write(self, md: Metadata[Any], signer: Signer) -> bytes:
        md.sign(signer)
        return self._write(self.metadata_dir / f"{md.signed.version}.{md.signed.type}.json", md)

    def _sign_and_write_chain(
        self, targets_md: Metadata[Targets], signers: Mapping[str, Signer], bump: bool = False
    ) -> None:
        """targets → snapshot → timestamp, each written before the one that pins it."""

        now = self.now()
        targets = targets_md.signed
        if bump:
            targets.version += 1
        targets.expires = now + EXPIRY["targets"]
        targets_bytes = self._sign_write(targets_md, signers["targets"])
        try:
            snapshot = self._latest("snapshot").signed
            snapshot.version += 1
        except SyncError:
            snapshot = Snapshot()
        snapshot.expires = now + EXPIRY["snapshot"]
        snapshot.meta["targets.json"] = MetaFile.from_data(
            targets.version, targets_bytes, ["sha256"]
        )
        snapshot_bytes = self._sign_write(Metadata(snapshot), signers["snapshot"])
        try:
            version = self._timestamp().signed.version + 1
        except SyncError:
            version = 1
        meta = MetaFile.from_data(snapshot.version, snapshot_bytes, ["sha256"])
        self._write_timestamp(meta, signers["timestamp"], version)

    def _write_timestamp(self, snapshot_meta: MetaFile, signer: Signer, version: int) -> None:

        now = self.now()
        timestamp = Timestamp(
            version=version,
            expires=now + EXPIRY["timestamp"],
            snapshot_meta=snapshot_meta,
            unrecognized_fields={ISSUED_FIELD: now.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        md = Metadata(timestamp)
        md.sign(signer)
        self._write(self.metadata_dir / "timestamp.json", md)

    def _versions(self, role: str) -> list[int]:
        pattern = re.compile(rf"^(\d+)\.{role}\.json$")
        if not self.metadata_dir.is_dir():
            return []
        found = (pattern.match(p.name) for p in self.metadata_dir.iterdir())
        return sorted(int(m.group(1)) for m in found if m)

    def _latest(self, role: str) -> Metadata[Any]:

        versions = self._versions(role)
        if not versions:
            raise SyncError(f"{self.path} is not a hub (no {role} metadata): run 'kiosk hub init'")
        return Metadata.from_file(str(self.metadata_dir / f"{versions[-1]}.{role}.json"))

    def _timestamp(self) -> Metadata[Timestamp]:

        path = self.metadata_dir / "timestamp.json"
        if not path.is_file():
            raise SyncError(f"{self.path} is not a hub (no timestamp.json): run 'kiosk hub init'")
        return Metadata.from_file(str(path))

    def _prune(self) -> None:
        for role in ("targets", "snapshot"):
            for version in self._versions(role)[:-KEEP_VERSIONS]:
                (self.metadata_dir / f"{version}.{role}.json").unlink(missing_ok=True)
        files = sorted(self.targets_dir.glob(f"*.{TARGET_NAME}"), key=lambda p: p.stat().st_mtime)
        for path in files[:-KEEP_VERSIONS]:
            path.unlink(missing_ok=True)
        listed = {
            f"{info.hashes['sha256']}.{name}"
            for version in self._versions("targets")
            for name, info in Metadata[Targets]
            .from_file(str(self.metadata_dir / f"{version}.targets.json"))
            .signed.targets.items()
        }
        prune_forms(self.targets_dir, listed)


FIX = {
    "root": "Re-sign root with the offline root keys (see docs/sync.md).",
    "targets": "Run 'kiosk hub publish' with the technician's key.",
    "snapshot": "Run 'kiosk hub refresh' on the hub (daily timer stopped?).",
    "timestamp": "Run 'kiosk hub refresh' on the hub (daily timer stopped?).",
}

KEYS_README = """\
SECRET KEYS - never put this folder on a web server or on a kiosk's USB stick.
Only the folder 'public' next to it is published.

offline-root/   root keys. After 'kiosk hub init', copy each to its own USB stick kept
                offline (kabupaten, kecamatan, project) and delete them here.
technician/     targets.pem signs catalog releases. The technician keeps it.
online/         snapshot.pem and timestamp.pem re-sign freshness ('kiosk hub refresh').
                They stay on the hub server. They cannot change the catalog.
"""
