"""A kabupaten's catalog (400 services, bench/catalogs.py): every page stays small and
every service stays reachable from the home page."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bench.catalogs import grow
from kiosk.web.pages import SERVICES_PER_PAGE, Site

PLAIN_BUDGET, GZIP_BUDGET = 14 * 1024, 8 * 1024


@pytest.fixture(scope="module")
def big_site(bundled_catalog):
    from kiosk.config import load_config

    return Site(grow(bundled_catalog, 400), load_config(env={}))


def links(page) -> list[str]:
    return re.findall(r'href="(/[^"#]*)"', page.body.decode("utf-8"))


def test_no_page_is_over_budget_at_400_services(big_site):
    pages = dict(big_site.pages)
    for query in ("surat", "akta kelahiran", "ktp", "kk baru hilang rusak pindah"):
        pages[f"/cari?q={query}"] = big_site.search_page(query)
    for service in big_site.catalog.services:  # the survey forms made on demand
        pages[f"/survei/{service.id}"] = big_site.page(f"/survei/{service.id}")
    assert len(pages) > 2 * len(big_site.catalog.services)
    for path, page in pages.items():
        assert len(page.body) <= PLAIN_BUDGET, (path, len(page.body))
        assert len(page.gzipped) <= GZIP_BUDGET, (path, len(page.gzipped))


def test_every_service_is_reachable_from_home_at_400_services(big_site):
    seen, todo = {"/"}, ["/"]
    while todo:
        for link in links(big_site.pages[todo.pop()]):
            if link in big_site.pages and link not in seen:
                seen.add(link)
                todo.append(link)
    services = {f"/layanan/{s.id}" for s in big_site.catalog.services}
    assert services <= seen
    home = big_site.pages["/"].body.decode("utf-8")
    assert "/layanan/" not in home  # categories, not 400 links
    for category in big_site.catalog.categories:
        if big_site.catalog.services_in(category.id):
            assert f'href="/kategori/{category.id}"' in home


def test_every_service_can_be_surveyed_from_the_survey_page_at_400_services(big_site):
    assert "<select" not in big_site.pages["/survei"].body.decode("utf-8")
    seen, todo = {"/survei"}, ["/survei"]
    while todo:
        for link in links(big_site.page(todo.pop())):
            if link.startswith("/survei/") and link not in seen and big_site.page(link):
                seen.add(link)
                todo.append(link)
    forms = {f"/survei/{s.id}" for s in big_site.catalog.services} | {"/survei/lainnya"}
    assert forms <= seen
    kia = big_site.page("/survei/kia").body.decode("utf-8")
    assert 'name="layanan" value="kia"' in kia and '<select id="layanan"' not in kia
    assert (
        big_site.page("/survei/lainnya").body.decode("utf-8").count('name="layanan" value=""') == 1
    )


def test_a_search_that_finds_nothing_links_only_pages_that_exist(big_site):
    found = links(big_site.search_page("zzzqqq"))
    catalog = big_site.catalog
    offered = {link for link in found if link.startswith("/kategori/")}
    assert {f"/kategori/{c.id}" for c in catalog.categories if catalog.services_in(c.id)} <= offered
    assert all(big_site.page(link) is not None for link in found if link != "/cari")


def test_a_long_category_is_split_into_pages(bundled_catalog):
    from kiosk.config import load_config

    catalog = grow(bundled_catalog, 400)
    first = catalog.categories[0].id
    services = tuple(dataclasses.replace(s, category=first) for s in catalog.services)
    site = Site(dataclasses.replace(catalog, services=services), load_config(env={}))
    count = sum(1 for s in services if s.audience == "warga")
    pages = [p for p in site.pages if p.startswith(f"/kategori/{first}")]
    assert len(pages) == -(-count // SERVICES_PER_PAGE)
    second = site.pages[f"/kategori/{first}/2"].body.decode("utf-8")
    assert f'href="/kategori/{first}"' in second and f'href="/kategori/{first}/3"' in second
    assert "Halaman 2 dari" in second


def test_a_small_catalog_keeps_every_service_on_the_home_page(app, bundled_catalog):
    home = app.extensions["kiosk.source"].get().pages["/"].body.decode("utf-8")
    for service in bundled_catalog.services:
        assert f'href="/layanan/{service.id}"' in home
