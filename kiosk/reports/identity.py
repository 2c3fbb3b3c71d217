"""The kiosk's own identity: its village id and an Ed25519 key that signs its reports.

The key is made on first use (PyNaCl, from the OS's random source), written once with
O_EXCL and mode 0600 in ``<state>/identity/kiosk.key``; it never leaves the kiosk. The
hub learns the public half at enrollment: a technician asks the hub for a one-time
code (``kiosk hub enroll VILLAGE``), gives it to the kiosk (``kiosk enroll CODE``),
and the kiosk's next report carries the code, sealed to the hub, beside
its public key. The hub binds that key to the village and burns the code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from nacl.signing import SigningKey

from ..errors import KioskError
from ..fsutil import atomic_write_bytes, atomic_write_json, fsync_dir

KEY_FILE = Path("identity/kiosk.key")
CODE_FILE = Path("identity/enroll-code")
ENROLLED_FILE = Path("identity/enrolled.json")  # the spent code's SHA-256, and when
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$")


def fingerprint(public_key: bytes) -> str:
    """A kiosk key's short, readable id: what ``kiosk identity`` and the hub show."""
    digest = hashlib.sha256(public_key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


@dataclasses.dataclass(frozen=True)
class Identity:
    kiosk_id: str
    signing_key: SigningKey

    @property
    def public_key(self) -> bytes:
        return bytes(self.signing_key.verify_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def load_identity(state_dir: Path, kiosk_id: str) -> Identity:
    """This kiosk's identity; the key is made the first time (0600, written once)."""
    path = Path(state_dir) / KEY_FILE
    try:
        seed = path.read_bytes()
    except FileNotFoundError:
        seed = _create(path)
    if len(seed) != 32:
        raise KioskError(
            f"the kiosk key {path} is damaged ({len(seed)} bytes, not 32): move it away and "
            "enroll the kiosk again ('kiosk hub enroll' at the hub)"
        )
    return Identity(kiosk_id, SigningKey(seed))


def _create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    seed = bytes(SigningKey.generate())
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, seed)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process made the key first: keep theirs
    except FileExistsError:
        seed = path.read_bytes()
    finally:
        os.unlink(tmp)
    fsync_dir(path.parent)
    return seed


def normalize_code(code: str) -> str:
    """An enrollment code as the hub wrote it (case and look-alike letters forgiven)."""
    clean = re.sub(r"[\s-]", "", code.upper()).translate(str.maketrans("ILO", "110"))
    grouped = "-".join(clean[i : i + 4] for i in range(0, len(clean), 4))
    if not CODE_PATTERN.match(grouped):
        raise KioskError(f"{code!r} is not an enrollment code (like 7KQ2-M9XD-4TPA)")
    return grouped


def save_enroll_code(state_dir: Path, code: str) -> str:
    """Keep the code until the hub confirms the enrollment (sent with the next report)."""
    code = normalize_code(code)
    path = Path(state_dir) / CODE_FILE
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_bytes(path, code.encode("ascii"), mode=0o600)
    return code


def pending_enroll_code(state_dir: Path) -> str | None:
    try:
        return (Path(state_dir) / CODE_FILE).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def enrollment_done(state_dir: Path) -> None:
    """The hub confirmed: the code is spent, forget it (keeping only its hash, so that
    giving the same code again, e.g. a second install, is known as done)."""
    code = pending_enroll_code(state_dir)
    if code is not None:
        atomic_write_json(
            Path(state_dir) / ENROLLED_FILE,
            {
                "code_sha256": _digest(code),
                "confirmed": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            mode=0o600,
        )
    try:
        (Path(state_dir) / CODE_FILE).unlink()
    except FileNotFoundError:
        pass


def enrolled_with(state_dir: Path, code: str) -> str | None:
    """When the hub confirmed this kiosk's enrollment with ``code`` (ISO), else None."""
    memo = _enrolled_memo(state_dir)
    if memo.get("code_sha256") != _digest(normalize_code(code)):
        return None
    return str(memo.get("confirmed") or "earlier")


def last_enrollment(state_dir: Path) -> str | None:
    """When the hub last confirmed an enrollment of this kiosk (ISO), if it ever did."""
    confirmed = _enrolled_memo(state_dir).get("confirmed")
    return str(confirmed) if confirmed else None


def _enrolled_memo(state_dir: Path) -> dict[str, object]:
    try:
        memo = json.loads((Path(state_dir) / ENROLLED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()
