"""The catalog's YAML files, read and written round-trip: comments, order and quoting stay.

A technician still edits ``catalog/`` in git; the console writes the same files. Every
form carries the content hash of the file it was opened from, and a save whose file
changed on disk since then is refused (:class:`EditConflict`), never overwritten.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import KioskError
from ...fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from ruamel.yaml import YAML


class EditConflict(KioskError):
    """The file changed on disk since the form was opened; nothing was written."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"{name} changed on disk since it was opened; not overwritten")


def _yaml() -> YAML:
    from ruamel.yaml import YAML  # hub extra; imported here so publishing does not need it

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the long lines people wrote
    yaml.indent(mapping=2, sequence=4, offset=2)  # "key:\n  - item" as in catalog/
    return yaml


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SourceFile:
    """One YAML file of the catalog folder as it was read."""

    name: str  # relative to the catalog folder, e.g. "services/kia.yaml"
    text: str
    digest: str  # sha256 of the bytes on disk ("" for a file that does not exist yet)

    def data(self) -> Any:
        """A fresh round-trip document (CommentedMap) of this file, to change and dump."""
        return _yaml().load(self.text) if self.text else None


def dump(data: Any) -> str:
    """YAML text of a round-trip document (comments and order kept)."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive flock on the folder itself: no lock file shows up in a git checkout,
    and the kernel releases it if the process dies."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class CatalogSource:
    """The catalog source folder the console edits."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"{name!r} is not inside the catalog folder")
        return path

    def read(self, name: str) -> SourceFile:
        try:
            raw = self.path(name).read_bytes()
        except FileNotFoundError:
            return SourceFile(name, "", "")
        return SourceFile(name, raw.decode("utf-8"), content_hash(raw))

    def service_names(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "services").glob("*.yaml"))

    def snapshot(self) -> dict[str, str]:
        """Every source file's text, by relative name (what a release was built from)."""
        files = sorted(self.root.glob("*.yaml")) + sorted((self.root / "services").glob("*.yaml"))
        return {str(p.relative_to(self.root)): p.read_text(encoding="utf-8") for p in files}

    def locked(self) -> AbstractContextManager[None]:
        """One writer at a time (two browsers saving at the same moment)."""
        return folder_lock(self.root)

    def write(self, changes: dict[str, tuple[str | None, str]]) -> None:
        """Write ``{name: (new text or None to delete, digest when opened)}`` all or nothing.

        Raises :class:`EditConflict` (nothing written) if any file's digest moved.
        """
        with self.locked():
            for name, (_, digest) in changes.items():
                if self.read(name).digest != digest:
                    raise EditConflict(name)
            self._write({name: text for name, (text, _) in changes.items()})

    def _write(self, files: dict[str, str | None]) -> None:
        for name, text in files.items():
            if text is None:
                self.path(name).unlink(missing_ok=True)
            else:
                atomic_write_bytes(self.path(name), text.encode("utf-8"))

    def exactly(self, sources: dict[str, str]) -> dict[str, str | None]:
        """Overrides that make the folder read as ``sources`` (other service files gone)."""
        gone: dict[str, str | None] = {n: None for n in self.snapshot() if n not in sources}
        return {**gone, **sources}

    def restore(self, sources: dict[str, str]) -> None:
        """Make the folder hold exactly ``sources`` (a roll-back)."""
        with self.locked():
            self._write(self.exactly(sources))
