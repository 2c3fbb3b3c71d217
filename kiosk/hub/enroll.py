"""Enrolling and revoking kiosks: one-time codes, bound to a kiosk's key on first contact.

``kiosk hub enroll VILLAGE`` makes a code (60 random bits, Crockford base32, shown as
``7KQ2-M9XD-4TPA``); the hub keeps only its SHA-256. The technician gives it to the
kiosk (``kiosk enroll CODE``); the kiosk's next report
carries it sealed to the hub, with its public key, and the hub binds that key to the
village and marks the code used. A code works once, for one village, for 14 days.
Revoking refuses the kiosk's reports at once; enrolling it again (a new code) lifts that.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import KioskError
from ..reports.identity import CODE_ALPHABET, normalize_code
from . import db

CODE_LIFETIME = timedelta(days=14)


def _hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode("ascii")).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def create_enrollment(
    engine: Engine, kiosk_id: str, *, name: str | None = None, now: datetime | None = None
) -> tuple[str, datetime]:
    """A fresh one-time code for ``kiosk_id`` (the kiosk row is made if new)."""
    if not kiosk_id or len(kiosk_id) > 64 or not kiosk_id.replace("-", "").isalnum():
        raise KioskError(f"{kiosk_id!r} is not a village id (letters, digits and '-')")
    now = now or db.utcnow()
    code = new_code()
    with engine.begin() as conn:
        exists = conn.scalar(
            sa.select(db.kiosks.c.kiosk_id).where(db.kiosks.c.kiosk_id == kiosk_id)
        )
        if exists is None:
            conn.execute(sa.insert(db.kiosks).values(kiosk_id=kiosk_id, name=name, created_at=now))
        elif name:
            conn.execute(
                sa.update(db.kiosks).where(db.kiosks.c.kiosk_id == kiosk_id).values(name=name)
            )
        conn.execute(
            sa.insert(db.enrollment_codes).values(
                kiosk_id=kiosk_id,
                code_hash=_hash(code),
                created_at=now,
                expires_at=now + CODE_LIFETIME,
            )
        )
    return code, now + CODE_LIFETIME


def check_code(conn: Connection, kiosk_id: str, code: str, now: datetime) -> bool:
    """Spend ``code`` for ``kiosk_id`` if it is valid; False if wrong, used or expired."""
    try:
        digest = _hash(code)
    except KioskError:
        return False
    row = conn.execute(
        sa.select(db.enrollment_codes).where(
            db.enrollment_codes.c.code_hash == digest,
            db.enrollment_codes.c.kiosk_id == kiosk_id,
            db.enrollment_codes.c.used_at.is_(None),
        )
    ).first()
    if row is None or _aware(row.expires_at) < now:
        return False
    spent = conn.execute(
        sa.update(db.enrollment_codes)
        .where(db.enrollment_codes.c.id == row.id, db.enrollment_codes.c.used_at.is_(None))
        .values(used_at=now)
    )
    return spent.rowcount == 1


def revoke(engine: Engine, kiosk_id: str, reason: str, *, now: datetime | None = None) -> None:
    """Refuse this kiosk's reports from now on (its unused codes are cancelled too)."""
    now = now or db.utcnow()
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(db.kiosks)
            .where(db.kiosks.c.kiosk_id == kiosk_id)
            .values(revoked_at=now, revoked_reason=reason or None)
        )
        if done.rowcount != 1:
            raise KioskError(f"no kiosk {kiosk_id!r} at this hub")
        conn.execute(
            sa.update(db.enrollment_codes)
            .where(
                db.enrollment_codes.c.kiosk_id == kiosk_id,
                db.enrollment_codes.c.used_at.is_(None),
            )
            .values(used_at=now)
        )


def _aware(when: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time in the hub database is UTC."""
    from datetime import UTC

    return when if when.tzinfo else when.replace(tzinfo=UTC)
