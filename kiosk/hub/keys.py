"""Key files of the hub: Ed25519 private keys as PEM (PKCS#8), optionally passphrase-protected.

Ed25519 because a kiosk without pyca/cryptography can still verify it (securesystemslib
ships a pure-Python verifier). The passphrase comes from an environment variable for
scripts and timers, from a prompt at a terminal, or from the console's publish form; it
is never stored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SyncError
from ..fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
    from securesystemslib.signer import CryptoSigner

PASSPHRASE_ENV = "KIOSK_HUB_PASSPHRASE"


class KeyLocked(SyncError):
    """A passphrase-protected key file was given no passphrase or a wrong one."""


def passphrase_from_env(env: Mapping[str, str] | None = None) -> bytes | None:
    value = (os.environ if env is None else env).get(PASSPHRASE_ENV, "")
    return value.encode("utf-8") if value else None


NEEDS_CRYPTOGRAPHY = (
    "signing needs pyca/cryptography 48 or newer on the hub: pip install 'pelita-kiosk[hub]'"
)


def _crypto_signer(private_key: PrivateKeyTypes) -> CryptoSigner:
    from securesystemslib.exceptions import UnsupportedLibraryError
    from securesystemslib.signer import CryptoSigner

    try:
        return CryptoSigner(private_key)
    except UnsupportedLibraryError:
        raise SyncError(NEEDS_CRYPTOGRAPHY) from None


def generate_key(path: Path, passphrase: bytes | None = None) -> CryptoSigner:
    """Create a new Ed25519 key file at ``path`` (mode 0600); return its signer."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:
        raise SyncError(NEEDS_CRYPTOGRAPHY) from None

    private_key = Ed25519PrivateKey.generate()
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    signer = _crypto_signer(private_key)  # fails before any key file is written
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_bytes(path, pem, mode=0o600)
    return signer


def load_signer(path: Path, passphrase: bytes | None = None) -> CryptoSigner:
    """The signer of key file ``path``; a clear SyncError if missing or locked."""
    try:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
    except ImportError:
        raise SyncError(NEEDS_CRYPTOGRAPHY) from None
    try:
        pem = Path(path).read_bytes()
    except FileNotFoundError:
        raise SyncError(f"key file {path} is missing (is the key stick plugged in?)") from None
    encrypted = _is_encrypted(pem)
    if encrypted and not passphrase:
        raise KeyLocked(f"key file {path} is passphrase-protected: set {PASSPHRASE_ENV}")
    try:
        private_key = load_pem_private_key(pem, passphrase if encrypted else None)
    except (ValueError, TypeError) as exc:
        raise KeyLocked(f"key file {path} cannot be opened (wrong passphrase?): {exc}") from None
    return _crypto_signer(private_key)


def _is_encrypted(pem: bytes) -> bool:
    return b"ENCRYPTED" in pem.split(b"\n", 1)[0]


def key_is_encrypted(path: Path) -> bool:
    """Does the key file need a passphrase? (False when it is missing.)"""
    try:
        return _is_encrypted(Path(path).read_bytes())
    except FileNotFoundError:
        return False


def encrypt_key_file(path: Path, passphrase: bytes, old_passphrase: bytes | None = None) -> None:
    """Re-write key file ``path`` protected by ``passphrase`` (PKCS#8, the best encryption
    cryptography offers); the key itself, and so every signature, stays the same."""
    from cryptography.hazmat.primitives import serialization

    if not passphrase:
        raise SyncError("an empty passphrase does not protect anything")
    pem = Path(path).read_bytes()
    try:
        key = serialization.load_pem_private_key(
            pem, old_passphrase if _is_encrypted(pem) else None
        )
    except (ValueError, TypeError) as exc:
        raise KeyLocked(f"key file {path} cannot be opened (wrong passphrase?): {exc}") from None
    atomic_write_bytes(
        path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        ),
        mode=0o600,
    )
