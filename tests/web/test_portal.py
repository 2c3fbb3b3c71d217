"""Captive-portal behaviour: probes per OS are redirected until the resident taps Selesai."""

from __future__ import annotations

import pytest

from kiosk.web.portal import Portal, hostname

# (probe host, path, the "online" answer that must NOT be given on first contact)
PROBES = [
    ("connectivitycheck.gstatic.com", "/generate_204", 204, b""),
    ("clients3.google.com", "/generate_204", 204, b""),
    ("www.google.com", "/gen_204", 204, b""),
    ("connectivitycheck.android.com", "/generate_204", 204, b""),
    ("captive.apple.com", "/hotspot-detect.html", 200, b"<BODY>Success</BODY>"),
    ("www.apple.com", "/library/test/success.html", 200, b"<BODY>Success</BODY>"),
    ("www.msftconnecttest.com", "/connecttest.txt", 200, b"Microsoft Connect Test"),
    ("www.msftncsi.com", "/ncsi.txt", 200, b"Microsoft NCSI"),
    ("detectportal.firefox.com", "/success.txt", 200, b"success"),
    ("detectportal.firefox.com", "/canonical.html", 200, b"captive-portal"),
    ("nmcheck.gnome.org", "/check_network_status.txt", 200, b"NetworkManager is online"),
]
PORTAL = "http://127.0.0.1:8080/"


@pytest.mark.parametrize("host, path, status, body", PROBES)
def test_first_contact_redirects_to_portal(client, host, path, status, body):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 302
    assert response.headers["Location"] == PORTAL
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("host, path, status, body", PROBES)
def test_after_selesai_the_phone_gets_its_online_answer(client, host, path, status, body):
    assert client.get("/selesai").status_code == 200
    response = client.get(path, headers={"Host": host})
    assert response.status_code == status
    assert body in response.data


def test_selesai_counts_only_for_that_phone(client):
    client.get("/selesai", environ_base={"REMOTE_ADDR": "10.42.0.50"})
    mine = client.get(
        "/generate_204",
        headers={"Host": "connectivitycheck.gstatic.com"},
        environ_base={"REMOTE_ADDR": "10.42.0.50"},
    )
    other = client.get(
        "/generate_204",
        headers={"Host": "connectivitycheck.gstatic.com"},
        environ_base={"REMOTE_ADDR": "10.42.0.51"},
    )
    assert mine.status_code == 204
    assert other.status_code == 302


def test_any_foreign_page_redirects_even_after_selesai(client):
    client.get("/selesai")
    response = client.get("/berita/hari-ini", headers={"Host": "example.com"})
    assert response.status_code == 302 and response.headers["Location"] == PORTAL


def test_own_hosts_are_served(client):
    for host in ("127.0.0.1:8080", "localhost:8080", "127.0.0.1"):
        assert client.get("/", headers={"Host": host}).status_code == 200


def test_portal_address_from_config(config):
    from kiosk.web import create_app

    app = create_app(config.replace(portal_address="10.42.0.1", portal_hosts=["pelita.desa"]))
    client = app.test_client()
    assert client.get("/", headers={"Host": "10.42.0.1"}).status_code == 200
    assert client.get("/", headers={"Host": "PELITA.desa"}).status_code == 200
    response = client.get("/generate_204", headers={"Host": "connectivitycheck.gstatic.com"})
    assert response.headers["Location"] == "http://10.42.0.1/"


def test_success_expires():
    now = [1000.0]
    portal = Portal(["10.42.0.1"], "http://10.42.0.1/", success_minutes=60, clock=lambda: now[0])
    portal.mark_done("10.42.0.9")
    assert portal.answer("10.42.0.9", "/generate_204") == (204, "text/plain", b"")
    now[0] += 3601
    assert portal.answer("10.42.0.9", "/generate_204") is None


def test_portal_memory_is_bounded():
    portal = Portal(["x"], "http://x/", success_minutes=1, clock=lambda: 0.0)
    for i in range(Portal.MAX_CLIENTS + 100):
        portal.mark_done(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
    assert len(portal._done) <= Portal.MAX_CLIENTS


@pytest.mark.parametrize(
    "header, expected",
    [
        ("10.42.0.1:80", "10.42.0.1"),
        ("[::1]:8080", "::1"),
        ("Example.COM", "example.com"),
        ("::1", "::1"),
    ],
)
def test_hostname(header, expected):
    assert hostname(header) == expected


@pytest.mark.parametrize(
    "host, path",
    [("example.com", "/berita"), ("captive.apple.com", "/hotspot-detect.html")],
)
def test_head_for_a_foreign_host_gets_headers_only(client, host, path):
    got = client.get(path, headers={"Host": host})
    head = client.head(path, headers={"Host": host})
    assert (head.status_code, head.headers["Location"]) == (302, PORTAL)
    assert head.data == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"] != "0"
