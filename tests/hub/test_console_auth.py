"""Accounts, login, throttling, CSRF and roles of the console, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.hub import accounts

from .console_helpers import CONFIG, FAST, NOW, PASSWORD, add_users, csrf_of, login


@pytest.fixture
def app(make_hub_app):
    app = make_hub_app(**CONFIG)
    add_users(app.extensions["hub_db"])
    return app


def test_every_console_page_needs_a_login(app):
    client = app.test_client()
    for path in ("/", "/permintaan", "/skm", "/pengaduan", "/katalog-kebenaran", "/pengaturan"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/masuk?next=")


def test_login_sets_a_safe_cookie_and_logout_ends_the_session(app):
    client = app.test_client()
    response = login(client, "ani")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = client.get("/")
    assert page.status_code == 200
    assert "Armada kios" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    stolen = client.get_cookie("pelita_console").value
    client.post("/keluar", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    assert client.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("pelita_console", stolen)
    assert replay.get("/").status_code == 302  # the old cookie no longer works


def test_secure_cookie_when_configured(make_hub_app):
    app = make_hub_app(**CONFIG, CONSOLE_SECURE_COOKIES=True)
    add_users(app.extensions["hub_db"])
    response = login(app.test_client(), "ani")
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_and_throttle(app):
    client = app.test_client()
    for _ in range(accounts.MAX_FAILS_PER_NAME):
        response = login(client, "ani", "salah-salah-salah")
        assert response.status_code == 401
        assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    locked = login(client, "ani")  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan gagal" in locked.get_data(as_text=True)
    later = NOW + accounts.LOCK + timedelta(seconds=1)
    engine = app.extensions["hub_db"]
    user = accounts.authenticate(engine, "ani", PASSWORD, addr="x", now=later, hasher=FAST)
    assert user.name == "ani"


def test_post_without_csrf_token_is_refused(app):
    client = app.test_client()
    login(client, "ani")
    response = client.post("/pengaturan", data={"complaint_deadline_days": "9"})
    assert response.status_code == 303
    page = client.get("/pengaturan").get_data(as_text=True)
    assert "Formulir kedaluwarsa" in page
    assert 'value="5"' in page  # unchanged


def test_login_form_without_csrf_is_refused(app):
    client = app.test_client()
    response = client.post("/masuk", data={"name": "ani", "password": PASSWORD})
    assert response.status_code == 303
    assert client.get("/").status_code == 302  # still not logged in


def test_roles(app):
    client = app.test_client()
    login(client, "camat")
    assert client.get("/pengaturan").status_code == 403
    assert client.get("/skm").status_code == 200
    page = client.get("/").get_data(as_text=True)
    response = client.post("/pengaduan/terbitkan", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 403


def test_no_open_redirect_after_login(app):
    client = app.test_client()
    page = client.get("/masuk").get_data(as_text=True)
    response = client.post(
        "/masuk",
        data={
            "name": "ani",
            "password": PASSWORD,
            "csrf_token": csrf_of(page),
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_user_names_roles_and_passwords_are_checked(hub_db):
    with pytest.raises(accounts.AccountError, match="role must be one of"):
        accounts.add_user(hub_db.engine, "dewi", "camat", PASSWORD, now=NOW, hasher=FAST)
    with pytest.raises(accounts.AccountError, match="at least 10"):
        accounts.add_user(hub_db.engine, "dewi", "petugas", "pendek", now=NOW, hasher=FAST)
    with pytest.raises(accounts.AccountError, match="must be 2-64"):
        accounts.add_user(hub_db.engine, "Dewi Sartika", "petugas", PASSWORD, now=NOW, hasher=FAST)
    accounts.add_user(hub_db.engine, "dewi", "petugas", PASSWORD, now=NOW, hasher=FAST)
    with pytest.raises(accounts.AccountError, match="exists already"):
        accounts.add_user(hub_db.engine, "dewi", "admin", PASSWORD, now=NOW, hasher=FAST)


def test_console_settings_are_documented():
    import re

    from kiosk.hub.console.settings import SETTINGS

    from ..conftest import REPO

    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| \*\*([a-z_]+)\*\* \| (.*?) \|", doc, flags=re.M))
    assert documented == {s.name: str(s.default) for s in SETTINGS}
