"""Every page: renders, is well-formed, small, offline, and says the right words."""

from __future__ import annotations

import gzip
import re

import html5lib
import pytest

PAGE_BUDGET = 14 * 1024  # bytes gzipped, CSS included


def all_paths(catalog):
    return [
        "/",
        "/tentang",
        "/cari",
        "/cari?q=akte+lahir",
        "/cari?q=zzzz",
        "/tidak-ada",
        "/selesai",
    ] + [f"/layanan/{s.id}" for s in catalog.services]


def parse(html: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(html)


@pytest.fixture
def pages(client, bundled_catalog):
    out = {}
    for path in all_paths(bundled_catalog):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        out[path] = response
    return out


def test_every_page_is_well_formed_small_and_offline(pages):
    for path, response in pages.items():
        assert response.status_code in (200, 404), path
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(response.data) <= PAGE_BUDGET, (path, len(response.data))
        html = gzip.decompress(response.data).decode("utf-8")
        parse(html)  # raises on any parse error
        assert '<html lang="id">' in html
        assert "<script" not in html
        for url in re.findall(r'(?:href|src|action)="([^"]*)"', html):
            assert url.startswith(("/", "#", "data:")), (path, url)
        assert not re.search(r"https?://(?!127\.0\.0\.1:8080/)", html), path


def test_home_links_every_service_and_shows_date(client, bundled_catalog):
    html = client.get("/").get_data(as_text=True)
    for service in bundled_catalog.services:
        assert f'href="/layanan/{service.id}"' in html
    assert "Informasi diperbarui" in html
    assert 'action="/cari"' in html
    for category in bundled_catalog.categories:
        assert f'id="{category.id}"' in html


def test_service_page_has_h1_and_real_checkboxes(client, bundled_catalog):
    for service in bundled_catalog.services:
        html = client.get(f"/layanan/{service.id}").get_data(as_text=True)
        doc = parse(html)
        assert doc.find(".//h1").text == service.name
        labels = doc.findall(".//ul[@class='check']/li/label")
        assert len(labels) == len(service.requirements)
        for label, requirement in zip(labels, service.requirements, strict=True):
            assert label.find("input").get("type") == "checkbox"
            assert "".join(label.itertext()).startswith(requirement.document)
        if service.is_free:
            assert '<span class="gratis">Gratis</span>' in html
        assert "Diperiksa " in html


def test_unconfirmed_service_says_so(client, bundled_catalog):
    service = next(s for s in bundled_catalog.services if not s.review.confirmed)
    html = client.get(f"/layanan/{service.id}").get_data(as_text=True)
    assert "Belum dipastikan oleh kecamatan" in html


def test_search_links_in_rank_order(client, bundled_catalog):
    from kiosk.catalog.search import SearchIndex

    expected = [s.id for s in SearchIndex(bundled_catalog).search("ktp")]
    html = client.get("/cari?q=ktp").get_data(as_text=True)
    assert re.findall(r'href="/layanan/([^"]+)"', html) == expected


def test_empty_search_suggests_categories(client, bundled_catalog):
    html = client.get("/cari?q=zzzqqq").get_data(as_text=True)
    assert 'Tidak ada layanan yang cocok dengan "zzzqqq"' in html
    for category in bundled_catalog.categories:
        if bundled_catalog.services_in(category.id):
            assert f'href="/kategori/{category.id}"' in html


def test_search_query_is_escaped(client):
    html = client.get("/cari?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_not_found_is_indonesian_with_search(client):
    response = client.get("/layanan/tidak-ada")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Halaman tidak ada" in html and 'action="/cari"' in html


@pytest.mark.parametrize(
    "path",
    ["/../../etc/passwd", "/layanan/%00", "/layanan/" + "a" * 3000, "/%ff%fe", "/cari?q=%ff"],
)
def test_weird_urls_get_a_page_not_a_crash(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert "<h1>" in response.get_data(as_text=True)


def test_post_to_a_page_is_not_a_crash(client):
    assert client.post("/").status_code == 404


def test_search_pages_show_and_cache_exactly_what_was_searched(app):
    site = app.extensions["kiosk.source"].get()
    long_a = "kk " + "x" * 200
    long_b = "kk " + "x" * 97 + "y" * 100
    assert site.search_page(long_a) is site.search_page(long_b)  # the same cut query
    assert b"y" * 10 not in site.search_page(long_b).body
    shouting = site.search_page("KK!!").body.decode()
    quiet = site.search_page("kk").body.decode()
    assert "KK!!" in shouting and "KK!!" not in quiet
