"""Shared set-up for the console tests: a hub app with users, logged-in clients."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from argon2 import PasswordHasher

from kiosk.hub import accounts

NOW = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 WIB
PASSWORD = "rahasia-kecamatan-1"
# argon2id with test-sized costs: the real profile (64 MiB, t=3) takes ~1 s on a busy CI box
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CONFIG = {"CONSOLE_NOW": lambda: NOW, "CONSOLE_PASSWORD_HASHER": FAST}


def add_users(engine) -> None:
    for name, role in (("ani", "admin"), ("budi", "petugas"), ("camat", "pimpinan")):
        accounts.add_user(engine, name, role, PASSWORD, now=NOW, hasher=FAST)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


def login(client, name: str, password: str = PASSWORD):
    page = client.get("/masuk").get_data(as_text=True)
    return client.post(
        "/masuk", data={"name": name, "password": password, "csrf_token": csrf_of(page)}
    )
