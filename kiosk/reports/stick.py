"""USB stick: bundles go on the stick, acknowledgements come back on it.

Layout inside the stick's ``pelita-kiosk`` folder (the hub's public copy)::

    reports/<village>/<village>-<first id>-<last id>.pkb   bundles, written by the kiosk
    reports/<village>/ack-<bundle name>.pka                acks, written by 'kiosk hub import'

Every file is written to a hidden temp name, fsynced, renamed, and the folder fsynced:
a stick pulled mid-write leaves at most a ``.*.tmp`` file, which the hub ignores. Each
time the kiosk sees the stick it first applies the acks it finds (freeing space), then
replaces its old bundles with one fresh copy of everything still unconfirmed; the hub
drops what it already holds, so an old or doubled bundle costs nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..fsutil import fsync_dir

REPORTS = "reports"
BUNDLE_SUFFIX = ".pkb"
ACK_SUFFIX = ".pka"
MAX_FILE = 8 * 1024 * 1024


def stick_folder(source: str | None) -> Path | None:
    """The stick's folder when syncing from one (reports go onto it), else None."""
    if not source or source.startswith(("http://", "https://")):
        return None
    path = Path(source[len("file://") :] if source.startswith("file://") else source)
    return path if (path / "metadata").is_dir() else None


def kiosk_folder(stick: Path, kiosk_id: str) -> Path:
    return Path(stick) / REPORTS / kiosk_id


def write_file(path: Path, data: bytes) -> None:
    """Atomically, as far as a FAT stick allows (temp + fsync + rename + fsync dir)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def read_acks(folder: Path) -> list[tuple[Path, bytes]]:
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob(f"ack-*{ACK_SUFFIX}")):
        if path.stat().st_size <= MAX_FILE:
            out.append((path, path.read_bytes()))
    return out


def replace_bundles(folder: Path, bundles: list[tuple[str, bytes]]) -> None:
    """Write ``bundles`` (name, bytes), then remove this kiosk's older bundle files."""
    keep = set()
    for name, data in bundles:
        write_file(folder / name, data)
        keep.add(name)
    for old in folder.glob(f"*{BUNDLE_SUFFIX}"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
    for tmp in folder.glob(".*.tmp"):  # left by a stick pulled mid-write last time
        tmp.unlink(missing_ok=True)
    if folder.is_dir():
        fsync_dir(folder)


def find_bundles(stick: Path) -> list[Path]:
    """Every complete bundle on a stick (the hub's side); temp files are skipped."""
    root = Path(stick)
    if not (root / REPORTS).is_dir() and (root / "pelita-kiosk" / REPORTS).is_dir():
        root = root / "pelita-kiosk"
    return sorted(
        p
        for p in (root / REPORTS).glob(f"*/*{BUNDLE_SUFFIX}")
        if not p.name.startswith(".") and p.is_file()
    )
