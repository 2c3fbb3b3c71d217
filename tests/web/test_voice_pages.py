"""Page check for the residents' voice: every page and answer ≤ 14 KB, no script, valid."""

from __future__ import annotations

import gzip
import re
from datetime import date

import html5lib
import pytest

from kiosk.voice.statuses import STAGES, STATUSES
from kiosk.voice.ticket import new_ticket

PAGE_BUDGET = 14 * 1024  # bytes gzipped, CSS included (as tests/web/test_pages.py)
TICKET = new_ticket()
FOUND = {"status": "selesai", "date": date(2026, 12, 2).isoformat(), "answer": "Sudah." * 300}
ERRORS = {"isi": "too_long", "hp": "invalid", "setuju": "missing", "kategori": "missing"}
SURVEY_ERRORS = {"layanan": "invalid", "kapan": "missing", "saran": "too_long"}


def shown(site, found):
    return site.render("pengaduan_status.html", ticket=TICKET, found=found, new=False, printed=None)


def answers(site):
    """Every page the forms answer with, in every variant the code can produce."""
    kia = site.catalog.service("kia")
    long = {"isi": "x" * 1000, "nama": "n" * 60, "hp": "0" * 20, "saran": "s" * 500}
    yield (
        "sesuai",
        site.render("sesuai.html", service=kia, values=long, errors={"catatan": "too_long"}),
    )
    yield "pengaduan-errors", site.render("pengaduan.html", values=long, errors=ERRORS)
    for chosen in ("kia", ""):
        context = site.surveys.error_context({**long, "layanan": chosen}, SURVEY_ERRORS)
        yield f"survei-errors-{chosen}", site.render("survei.html", **context)
    for outcome in ("ok", "again", "busy", "full", "unready", "cross-site", "token", "too-large"):
        for form in ("sesuai", "survei", "pengaduan"):
            yield (
                f"{form}-{outcome}",
                site.render("terima_kasih.html", form=form, outcome=outcome, service=kia),
            )
    for printed in (None, "taken", "too-many", "busy", "off"):
        for found in (None, FOUND):
            yield (
                f"status-{printed}-{bool(found)}",
                site.render(
                    "pengaduan_status.html", ticket=TICKET, found=found, new=True, printed=printed
                ),
            )
    for status in dict.fromkeys(STAGES + STATUSES):
        found = {**FOUND, "status": status}
        yield f"status-{status}", shown(site, found)
    yield (
        "status-unknown",
        site.render("pengaduan_status.html", ticket=None, found=None, printed=None),
    )


@pytest.fixture
def site(app):
    return app.extensions["kiosk.source"].get()


def check(name, page):
    assert len(page.gzipped) <= PAGE_BUDGET, (name, len(page.gzipped))
    html = gzip.decompress(page.gzipped).decode("utf-8")
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    assert "<script" not in html and not re.search(r"\son[a-z]+=", html), name
    assert 'name="viewport"' in html


def test_every_form_page_is_small_and_plain(site):
    paths = ["/survei", "/pengaduan", "/tentang-data"] + [
        f"/survei/{s.id}" for s in site.catalog.services
    ]
    for path in paths:
        check(path, site.page(path))
    for name, page in answers(site):
        check(name, page)


def test_every_service_page_asks_sesuai_and_links_the_survey(site):
    for service in site.catalog.services:
        html = site.pages[f"/layanan/{service.id}"].body.decode()
        assert f'action="/layanan/{service.id}/sesuai"' in html
        assert f'href="/survei/{service.id}"' in html
        assert "Apakah syarat ini sesuai?" in html
        assert 'maxlength="280"' in html


def test_footer_links_the_new_pages(site):
    html = site.pages["/"].body.decode()
    for path in ("/survei", "/pengaduan", "/tentang-data"):
        assert f'href="{path}"' in html


def test_every_status_has_its_own_plain_words(site):
    """All seven console statuses (and the older "diproses") read differently to a resident,
    each with a sentence that says what it means; never the raw key."""
    said = {}
    for status in dict.fromkeys(STAGES + STATUSES):
        found = {**FOUND, "answer": None, "status": status}
        html = shown(site, found).body.decode()
        status_part = html.split("<h2>Status</h2>", 1)[1].split("<p><a", 1)[0]
        title, explanation = re.findall(r"<p>(.*?)</p>", status_part, re.S)
        assert title.startswith("<strong>") and f">{status}<" not in title, (status, title)
        assert len(explanation.split()) >= 8, (status, explanation)
        said[status] = (title, explanation)
    assert len(set(said.values())) == len(said)
