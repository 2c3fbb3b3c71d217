"""Atomic file writes that survive a power cut.

A write goes to a temp file in the same folder, is fsynced, renamed over the
target, and the folder is fsynced: after a crash the target is either the old
or the new content, never a mix.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def fsync_dir(path: str | os.PathLike) -> None:
    """Make a rename or new entry in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` in one step."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write_json(path: str | os.PathLike, data, mode: int = 0o644) -> None:
    """Write ``data`` as JSON atomically (sorted keys, UTF-8)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    atomic_write_bytes(path, text.encode("utf-8") + b"\n", mode=mode)


def atomic_symlink(target: str | os.PathLike, link: str | os.PathLike) -> None:
    """Point ``link`` at ``target`` in one step (create a temp link, rename it over)."""
    link = Path(link)
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
    os.symlink(target, tmp)
    os.replace(tmp, link)
    fsync_dir(link.parent)
