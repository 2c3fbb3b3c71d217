"""The site over real HTTP (waitress on 127.0.0.1): gzip, ETag/304, release swaps."""

from __future__ import annotations

import dataclasses
import gzip
import http.client
import time
from datetime import date

from kiosk.catalog.release import build_release
from kiosk.catalog.store import CatalogStore
from tests.conftest import wait_for


def get(server, path, headers=None, host=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    hdrs = dict(headers or {})
    if host:
        hdrs["Host"] = host
    conn.request("GET", path, headers=hdrs)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_gzip_and_etag_revalidation(live_server):
    response, body = get(live_server, "/layanan/sktm", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Surat Keterangan Tidak Mampu" in gzip.decompress(body).decode()
    etag = response.getheader("ETag")
    assert etag.startswith('"') and etag.endswith('"')
    again, body = get(
        live_server, "/layanan/sktm", {"Accept-Encoding": "gzip", "If-None-Match": etag}
    )
    assert again.status == 304 and body == b""
    plain, body = get(live_server, "/layanan/sktm", {"If-None-Match": etag})
    assert plain.status == 200, "a gzip ETag must not validate the plain representation"


def test_captive_probe_over_http(live_server):
    response, _ = get(live_server, "/generate_204", host="connectivitycheck.gstatic.com")
    assert response.status == 302
    assert response.getheader("Location") == "http://127.0.0.1:8080/"


def with_fee(catalog, service_id, fee):
    services = tuple(
        dataclasses.replace(s, fee=fee) if s.id == service_id else s for s in catalog.services
    )
    return dataclasses.replace(catalog, services=services)


def test_new_release_is_served_without_restart(live_server, config, bundled_catalog):
    store = CatalogStore(config.state_path / "catalog")
    store.activate(build_release(with_fee(bundled_catalog, "sktm", 12345), 5, date(2026, 12, 1)))

    def shows_new_fee():
        _, body = get(live_server, "/layanan/sktm")
        return "Rp 12.345" in body.decode()

    assert wait_for(shows_new_fee), "new release not served within 5 s"
    _, home = get(live_server, "/")
    assert "Informasi diperbarui 1 Desember 2026" in home.decode()


def test_broken_release_keeps_last_good(live_server, config, bundled_catalog):
    store = CatalogStore(config.state_path / "catalog")
    store.activate(build_release(with_fee(bundled_catalog, "sktm", 777), 6, date(2026, 12, 2)))
    assert wait_for(lambda: "Rp 777" in get(live_server, "/layanan/sktm")[1].decode())
    # Power-cut damage or tampering on disk: current now points at a broken file.
    broken = store.releases / "7"
    broken.mkdir()
    (broken / "catalog.json").write_bytes(b'{"format": 1, "version": 7')
    (store.root / "current").unlink()
    (store.root / "current").symlink_to("releases/7")
    time.sleep(1.5)
    response, body = get(live_server, "/layanan/sktm")
    assert response.status == 200 and "Rp 777" in body.decode()
