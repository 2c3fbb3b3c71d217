"""Console accounts: users with roles, Argon2id password hashes, login throttling, audit log.

Roles: ``admin`` (everything, including users and settings), ``petugas`` (handles
complaints and sees complainants' contacts), ``pimpinan`` (reads every page, never a
contact). Passwords are hashed with argon2-cffi's defaults (RFC 9106 low-memory profile).
A name is locked for ``LOCK`` after ``MAX_FAILS_PER_NAME`` failures within ``LOCK``; an
address after ``MAX_FAILS_PER_ADDR``; the password is not even checked while locked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..errors import KioskError
from .console_tables import audit_log, login_attempts, users

ROLES = ("admin", "petugas", "pimpinan")
HANDLES_COMPLAINTS = ("admin", "petugas")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
MAX_FAILS_PER_NAME = 5
MAX_FAILS_PER_ADDR = 20
LOCK = timedelta(minutes=15)
KEEP_ATTEMPTS = timedelta(days=1)

HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, t=3)
_dummy: dict[int, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the name is unknown: a wrong name costs what a wrong
    password costs, so timing does not tell which names exist."""
    key = id(hasher)
    if key not in _dummy:
        _dummy[key] = hasher.hash("pelita-kiosk: no such user")
    return _dummy[key]


class AccountError(KioskError, ValueError):
    """A user name, role or password that cannot be used."""


class LoginThrottled(KioskError):
    """Too many failed logins for this name or address; try again later."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    session_version: int

    @property
    def handles_complaints(self) -> bool:
        return self.role in HANDLES_COMPLAINTS

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role, row.session_version)


def check_new_user(name: str, role: str, password: str) -> None:
    if not NAME_RE.match(name):
        raise AccountError(f"user name {name!r} must be 2-64 characters: a-z, 0-9, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    check_password(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must be at least {MIN_PASSWORD} characters")


def add_user(
    engine: Engine,
    name: str,
    role: str,
    password: str,
    *,
    now: datetime,
    hasher: PasswordHasher = HASHER,
) -> User:
    """Create a user; an existing name is an error (use set_password to change one)."""
    check_new_user(name, role, password)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.name == name)).first():
            raise AccountError(f"user {name!r} exists already")
        conn.execute(
            insert(users).values(
                name=name,
                role=role,
                password_hash=hasher.hash(password),
                created_at=now,
                session_version=1,
            )
        )
        audit(conn, "cli", "user.add", name, {"role": role}, now=now)
        row = conn.execute(select(users).where(users.c.name == name)).one()
    return _user(row)


def set_password(
    engine: Engine,
    name: str,
    password: str,
    *,
    by: str,
    now: datetime,
    hasher: PasswordHasher = HASHER,
) -> None:
    """New password; every open session of that user ends."""
    check_password(password)
    with engine.begin() as conn:
        done = conn.execute(
            update(users)
            .where(users.c.name == name)
            .values(
                password_hash=hasher.hash(password),
                session_version=users.c.session_version + 1,
            )
        )
        if not done.rowcount:
            raise AccountError(f"no user {name!r}")
        audit(conn, by, "user.password", name, {}, now=now)


def get_user(engine: Engine, user_id: int, session_version: int) -> User | None:
    """The active user of a session cookie, or None if disabled or the session is stale."""
    with engine.connect() as conn:
        row = conn.execute(
            select(users).where(
                users.c.id == user_id,
                users.c.session_version == session_version,
                users.c.disabled_at.is_(None),
            )
        ).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(select(users).where(users.c.disabled_at.is_(None)).order_by("name"))
        return [_user(r) for r in rows]


def _recent_failures(conn: Connection, column: Any, value: str, since: datetime) -> int:
    query = select(func.count()).where(
        and_(column == value, login_attempts.c.at >= since, login_attempts.c.ok.is_(False))
    )
    return int(conn.execute(query).scalar_one())


def authenticate(
    engine: Engine,
    name: str,
    password: str,
    *,
    addr: str,
    now: datetime,
    hasher: PasswordHasher = HASHER,
) -> User:
    """The user for a correct name and password; raises LoginThrottled or AccountError."""
    with engine.begin() as conn:
        conn.execute(delete(login_attempts).where(login_attempts.c.at < now - KEEP_ATTEMPTS))
        since = now - LOCK
        if (
            _recent_failures(conn, login_attempts.c.name, name, since) >= MAX_FAILS_PER_NAME
            or _recent_failures(conn, login_attempts.c.addr, addr, since) >= MAX_FAILS_PER_ADDR
        ):
            raise LoginThrottled("too many failed logins; wait 15 minutes")
        row = conn.execute(
            select(users).where(users.c.name == name, users.c.disabled_at.is_(None))
        ).first()
        hashed = row.password_hash if row else _dummy_hash(hasher)
        ok = _verify(hasher, hashed, password) and row is not None
        conn.execute(insert(login_attempts).values(name=name[:64], addr=addr, at=now, ok=ok))
        if row is not None and ok and hasher.check_needs_rehash(row.password_hash):
            conn.execute(
                update(users)
                .where(users.c.id == row.id)
                .values(password_hash=hasher.hash(password))
            )
    if not ok or row is None:
        raise AccountError("wrong user name or password")
    return _user(row)


def _verify(hasher: PasswordHasher, hashed: str, password: str) -> bool:
    try:
        return hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def end_sessions(engine: Engine, user_id: int) -> None:
    """Logout: the cookie's session version no longer matches."""
    with engine.begin() as conn:
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(session_version=users.c.session_version + 1)
        )


def audit(
    conn: Connection,
    user: str,
    action: str,
    target: str,
    detail: dict[str, Any],
    *,
    now: datetime,
) -> None:
    """One line of who changed what. Never put a contact or a password in ``detail``."""
    conn.execute(
        insert(audit_log).values(
            at=now,
            user_name=user,
            action=action,
            target=target,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
    )
