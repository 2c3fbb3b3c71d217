"""Each console page on real data (SQLite and PostgreSQL): what staff read and export."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from kiosk.hub import ikm
from kiosk.hub.simulate import Sim, at_wib

from .console_helpers import CONFIG, NOW, add_users, csrf_of, login


@pytest.fixture
def app(make_hub_app):
    app = make_hub_app(**CONFIG)
    add_users(app.extensions["hub_db"])
    return app


@pytest.fixture
def sim(app):
    sim = Sim(app.extensions["hub_db"], random.Random(7))
    sim.kiosks([("betro", "Betro"), ("kemlagi", "Kemlagi"), ("japanan", "Japanan")], at=NOW)
    return sim


@pytest.fixture
def admin(app):
    client = app.test_client()
    login(client, "ani")
    return client


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def row_of(html: str, name: str) -> str:
    start = html.index(f'<th scope="row">{name}')
    return html[start : html.index("</tr>", start)]


def test_fleet_shows_every_village_and_who_needs_a_technician(admin, sim):
    sim.health("betro", NOW - timedelta(minutes=10))
    sim.health("kemlagi", NOW - timedelta(minutes=15), printer={"state": "no_paper"})
    sim.health("japanan", NOW - timedelta(hours=4))  # 3 missed hourly reports
    html = text_of(admin.get("/"))
    assert html.count('<th scope="row">') == 20  # the 20 villages of the catalog
    assert "Menyala" in row_of(html, "Betro") and "Kirim teknisi" not in row_of(html, "Betro")
    assert "Kertas printer habis" in row_of(html, "Kemlagi")
    assert "Kirim teknisi" in row_of(html, "Kemlagi")
    assert "Mati / tidak melapor" in row_of(html, "Japanan")
    assert "4 jam lalu" in row_of(html, "Japanan")
    assert "Belum pernah melapor" in row_of(html, "Watesprojo")
    # red rows first
    assert html.index(">Japanan") < html.index(">Betro")


def test_demand_sums_weeks_filters_villages_and_masks_small_counts(admin, sim):
    monday = date(2026, 11, 9)
    sim.counts("betro", at_wib(monday, 9), {"akta-kelahiran": {"view": 7, "slip_button": 2}})
    sim.counts(
        "kemlagi",
        at_wib(monday + timedelta(days=7), 9),
        {"akta-kelahiran": {"view": 5}, "skck": {"view": 3, "slip_site": 1}},
    )
    for n in (1, 1, 1):
        sim.counts("japanan", at_wib(monday, 10), {}, {"bpjs": n})
    sim.counts("japanan", at_wib(monday, 11), {}, {"kartu tani": 2})
    html = text_of(admin.get("/permintaan?dari=2026-11-01&sampai=2026-11-18"))
    assert "Akta Kelahiran" in html
    akta = row_of(html, "Akta Kelahiran")
    assert '<td class="num">12</td>' in akta  # 7 + 5 views
    assert "bpjs" in html and "kartu tani" not in html  # seen 3 times vs 2
    only_betro = text_of(admin.get("/permintaan?dari=2026-11-01&sampai=2026-11-18&desa=betro"))
    assert '<td class="num">7</td>' in row_of(only_betro, "Akta Kelahiran")
    assert '<th scope="row">SKCK' not in only_betro
    exported = admin.get("/permintaan?dari=2026-11-01&sampai=2026-11-18&format=csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    by_service = {r[1]: r for r in rows[1:]}
    assert by_service["akta-kelahiran"][2] == "12"
    assert by_service["akta-kelahiran"][3] == "< 5"  # 2 button slips
    assert by_service["skck"][2] == "< 5"


def survey_answers(rng: random.Random) -> dict[str, int]:
    return {key: rng.randint(1, 4) for key in ikm.UNSUR_KEYS}


def test_skm_page_and_every_export_agree_with_the_arithmetic(admin, sim):
    rng = random.Random(3)
    given = []
    for i in range(30):
        answers = survey_answers(rng)
        given.append(answers)
        sim.survey("betro" if i % 2 else "kemlagi", date(2026, 8, 1 + i), "skck", **answers)
    sim.survey("betro", date(2026, 6, 30), "skck", **survey_answers(rng))  # semester 1
    expected = ikm.compute(given)
    url = "/skm?periode=semester&tahun=2026&ke=2"
    html = text_of(admin.get(url))
    assert f"<b>{expected.ikm}</b> IKM" in html
    assert "<b>30</b> responden" in html
    assert "U8 Penanganan Pengaduan, Saran dan Masukan" in html
    assert "IKM ini sementara" in html
    data = json.loads(admin.get(url + "&format=json").get_data())
    assert data["n"] == 30 and data["ikm"] == float(expected.ikm) and data["mutu"] == expected.mutu
    assert data["unsur"]["waktu"] == round(expected.score("waktu").nrr, 4)
    book = load_workbook(io.BytesIO(admin.get(url + "&format=xlsx").get_data()))
    sheet = book["IKM"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["IKM", None, 30, None, float(expected.ikm)] in values
    pdf = admin.get(url + "&format=pdf").get_data()
    assert pdf.startswith(b"%PDF")
    printed = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    assert f"IKM: {expected.ikm}" in printed.stdout.decode()


def test_service_users_decide_sementara_and_numbering_follows_the_setting(admin, sim):
    for day in range(1, 21):
        sim.survey("betro", date(2026, 10, day), None)
    url = "/skm?periode=triwulan&tahun=2026&ke=4&desa=betro"
    page = text_of(admin.get(url))
    admin.post(
        "/skm/pengguna-layanan?periode=triwulan&tahun=2026&ke=4&desa=betro",
        data={"pengguna": "20", "csrf_token": csrf_of(page)},
    )
    html = text_of(admin.get(url))
    assert "<b>19</b> sampel minimal" in html  # Krejcie-Morgan for N = 20
    assert "IKM ini sementara" not in html
    settings = text_of(admin.get("/pengaturan"))
    admin.post(
        "/pengaturan", data={"unsur_numbering": "kuesioner", "csrf_token": csrf_of(settings)}
    )
    assert "U8 Sarana dan Prasarana" in text_of(admin.get(url))
    log = text_of(admin.get("/pengaturan"))
    assert "settings.change" in log and "skm.service_users" in log


def test_truth_puts_kurang_answers_with_notes_first(admin, sim):
    for _ in range(3):
        sim.feedback("betro", date(2026, 11, 10), "kk-baru", "kurang", "Perlu surat pengantar RT")
    sim.feedback("betro", date(2026, 11, 11), "skck", "sesuai", None)
    html = text_of(admin.get("/katalog-kebenaran?dari=2026-11-01&sampai=2026-11-18"))
    first = html.index('<th scope="row">')
    assert html[first:].startswith('<th scope="row">Kartu Keluarga (KK) Baru')
    row = row_of(html, "Kartu Keluarga (KK) Baru")
    assert '<td class="num">3<br><small>100%</small></td>' in row
    assert "Perlu surat pengantar RT" in row
    assert "Belum dikonfirmasi" in row or "Sudah dikonfirmasi" in row
    assert '<td class="num">1</td>' in row_of(html, "SKCK")


def test_truth_shows_each_services_five_newest_notes(admin, sim):
    for day in range(1, 8):  # seven notes on kk-baru, the newest five are shown
        sim.feedback("betro", date(2026, 11, day), "kk-baru", "kurang", f"Catatan KK hari {day}")
    sim.feedback("kemlagi", date(2026, 11, 2), "skck", "kurang", "Catatan SKCK pertama")
    sim.feedback("kemlagi", date(2026, 11, 3), "skck", "kurang", "Catatan SKCK kedua")
    sim.feedback("kemlagi", date(2026, 10, 30), "skck", "kurang", "Catatan sebelum periode")
    html = text_of(admin.get("/katalog-kebenaran?dari=2026-11-01&sampai=2026-11-18"))
    kk = row_of(html, "Kartu Keluarga (KK) Baru")
    shown = [day for day in range(1, 8) if f"Catatan KK hari {day}" in kk]
    assert shown == [3, 4, 5, 6, 7]
    assert kk.index("hari 7") < kk.index("hari 3")  # newest first
    skck = row_of(html, "SKCK")
    assert "SKCK pertama" in skck and "SKCK kedua" in skck
    assert "sebelum periode" not in html
