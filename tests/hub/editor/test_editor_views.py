"""The editor in the hub app, through Flask's test client (the browser test is apart)."""

from __future__ import annotations

import re

import pytest

from kiosk.hub.editor.history import History
from kiosk.hub.repo import Hub

from ..console_helpers import CONFIG, add_users, csrf_of, login

PASSPHRASE = "kunci kemlagi 2026"
pytestmark = pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)


@pytest.fixture
def hub_dir(tmp_path):
    path = tmp_path / "hub"
    Hub(path, passphrase=PASSPHRASE.encode()).init(root_keys=1, root_threshold=1, encrypt=True)
    return path


@pytest.fixture
def app(make_hub_app, hub_dir, catalog_copy):
    app = make_hub_app(hub_dir, CATALOG_DIR=str(catalog_copy), **CONFIG)
    add_users(app.extensions["hub_db"])
    return app


def client_as(app, name):
    client = app.test_client()
    login(client, name)
    return client


def form_of(html: str) -> dict[str, str]:
    """The fields of the service form as a browser would post them (first form only)."""
    body = html[html.index('id="service-form"') :]
    fields = {}
    for m in re.finditer(r'<input id="[^"]*" name="([^"]+)" value="([^"]*)"', body):
        fields[m[1]] = m[2]
    for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body):
        fields[m[1]] = m[2]
    for m in re.finditer(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', body):
        fields[m[1]] = m[2]
    for m in re.finditer(r'<select id="[^"]*" name="([^"]+)">(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', m[2])
        fields[m[1]] = chosen[1] if chosen else ""
    if 'name="fee_unknown" value="1" checked' in body:
        fields["fee_unknown"] = "1"
    return {
        k: v.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
        for k, v in fields.items()
    }


def test_every_editor_page_needs_a_login(app):
    client = app.test_client()
    for path in ("/katalog/", "/katalog/layanan/kia", "/katalog/terbitkan", "/katalog/riwayat"):
        response = client.get(path)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], path


def test_petugas_changes_a_fee_and_a_bad_value_is_refused_in_indonesian(app, catalog_copy):
    client = client_as(app, "budi")
    path = catalog_copy / "services" / "kia.yaml"
    before = path.read_text()
    fields = form_of(client.get("/katalog/layanan/kia").get_data(as_text=True))
    assert fields["fee"] == "0" and fields["name"] == "Kartu Identitas Anak (KIA)"

    bad = client.post("/katalog/layanan/kia", data={**fields, "fee": "lima ribu"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    error = re.search(r'id="err-fee"[^>]*><p class="ed-error">([^<]+)</p>', html)
    assert error and "Isi biaya dalam rupiah" in error[1] and "lima ribu" in error[1]
    assert path.read_text() == before

    good = client.post("/katalog/layanan/kia", data={**fields, "fee": "Rp 15.000"})
    assert good.status_code == 303
    assert path.read_text() == before.replace("\nfee: 0\n", "\nfee: 15000\n")


def test_check_as_you_type_answers_json_and_writes_nothing(app, catalog_copy):
    client = client_as(app, "budi")
    fields = form_of(client.get("/katalog/layanan/kia").get_data(as_text=True))
    before = (catalog_copy / "services" / "kia.yaml").read_bytes()
    answer = client.post("/katalog/layanan/kia/periksa", data={**fields, "name": ""}).get_json()
    assert answer["errors"] == {"name": ["Wajib diisi."]} and answer["count"] == 1
    assert (catalog_copy / "services" / "kia.yaml").read_bytes() == before


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(app, catalog_copy):
    client = client_as(app, "budi")
    fields = form_of(client.get("/katalog/layanan/kia").get_data(as_text=True))
    path = catalog_copy / "services" / "kia.yaml"
    path.write_text(path.read_text().replace("\nfee: 0\n", "\nfee: 1000\n"))
    on_disk = path.read_text()
    response = client.post("/katalog/layanan/kia", data={**fields, "fee": "2000"})
    assert response.status_code == 409
    assert "diubah orang lain" in response.get_data(as_text=True)
    assert 'value="2000"' in response.get_data(as_text=True)  # the typing is not lost
    assert path.read_text() == on_disk


def test_confirm_names_who_and_the_page_note_goes(app, catalog_copy):
    client = client_as(app, "budi")
    page = client.get("/katalog/layanan/kia").get_data(as_text=True)
    digest = re.search(r'name="digest" value="([^"]+)"', page)[1]
    response = client.post(
        "/katalog/layanan/kia/konfirmasi",
        data={
            "csrf_token": csrf_of(page),
            "digest": digest,
            "confirmed_by": "Bu Sari, Kasi PATEN",
            "source": "Perbup Mojokerto 2025 tentang PATEN",
        },
    )
    assert response.status_code == 303
    text = (catalog_copy / "services" / "kia.yaml").read_text()
    assert "  confirmed: true\n  confirmed_by: Bu Sari, Kasi PATEN\n" in text
    preview = client.get("/katalog/layanan/kia/pratinjau/halaman").get_data(as_text=True)
    assert "Belum dipastikan" not in preview
    other = client.get("/katalog/layanan/sktm/pratinjau/halaman").get_data(as_text=True)
    assert "Belum dipastikan" in other


def test_preview_page_slip_text_and_png(app):
    client = client_as(app, "budi")
    page = client.get("/katalog/layanan/kia/pratinjau")
    html = page.get_data(as_text=True)
    assert 'width="360"' in html and "Biaya: GRATIS" in html
    framed = client.get("/katalog/layanan/kia/pratinjau/halaman")
    assert framed.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in framed.headers["Content-Security-Policy"]
    png = client.get("/katalog/layanan/kia/pratinjau/slip.png")
    assert png.content_type == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_only_admin_publishes_and_a_wrong_passphrase_publishes_nothing(app, hub_dir):
    petugas = client_as(app, "budi")
    page = petugas.get("/katalog/terbitkan").get_data(as_text=True)
    assert "Hanya admin" in page
    refused = petugas.post(
        "/katalog/terbitkan", data={"csrf_token": csrf_of(page), "passphrase": PASSPHRASE}
    )
    assert refused.status_code == 403
    admin = client_as(app, "ani")
    token = csrf_of(admin.get("/katalog/terbitkan").get_data(as_text=True))
    public = sorted(p.name for p in (hub_dir / "public").rglob("*"))
    wrong = admin.post("/katalog/terbitkan", data={"csrf_token": token, "passphrase": "salah"})
    assert wrong.status_code == 303
    assert "Kata sandi kunci salah" in admin.get("/katalog/terbitkan").get_data(as_text=True)
    assert sorted(p.name for p in (hub_dir / "public").rglob("*")) == public
    assert History(hub_dir).versions() == []
    done = admin.post("/katalog/terbitkan", data={"csrf_token": token, "passphrase": PASSPHRASE})
    assert done.status_code == 303
    assert [(r.version, r.published_by) for r in History(hub_dir).all()] == [(1, "ani")]
    assert Hub(hub_dir).last_release_version() == 1


def test_offices_page_saves_an_address(app, catalog_copy):
    client = client_as(app, "budi")
    page = client.get("/katalog/kantor").get_data(as_text=True)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    fields.update(dict(re.findall(r'name="([^"]+)" rows="\d+" class="ed-wide">([^<]*)<', page)))
    fields = {k: v.replace("&#34;", '"').replace("&amp;", "&") for k, v in fields.items()}
    fields = {k: v for k, v in fields.items() if not k.endswith(("-placeholder", "-delete", "add"))}
    fields["main_office"] = "kecamatan"
    fields["offices-1-address"] = "Jl. Raya Kemlagi No. 1"
    response = client.post("/katalog/kantor", data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    text = (catalog_copy / "offices.yaml").read_text()
    assert '    address: "Jl. Raya Kemlagi No. 1"\n' in text  # its quoting style is kept
    assert text.startswith("# Values in")


def test_a_new_service_starts_as_an_unconfirmed_copy(app, catalog_copy):
    client = client_as(app, "budi")
    token = csrf_of(client.get("/katalog/").get_data(as_text=True))
    bad = client.post(
        "/katalog/baru", data={"csrf_token": token, "id": "KIA", "copy_of": "kia", "name": "x"}
    )
    assert bad.status_code == 303 and not (catalog_copy / "services/KIA.yaml").exists()
    made = client.post(
        "/katalog/baru",
        data={"csrf_token": token, "id": "sk-usaha", "copy_of": "sktm", "name": "SK Usaha"},
    )
    assert made.headers["Location"].endswith("/katalog/layanan/sk-usaha")
    from kiosk.catalog.load import check_catalog_dir

    catalog, problems = check_catalog_dir(catalog_copy)
    assert problems == []
    new = catalog.service("sk-usaha")
    assert (new.name, new.review.confirmed, new.review.source) == (
        "SK Usaha",
        False,
        "Disalin dari sktm; belum dicek",
    )
    assert new.requirements == catalog.service("sktm").requirements


def test_residents_answers_show_beside_the_review(app):
    import datetime as dt

    from kiosk.hub import db

    engine = app.extensions["hub_db"]
    day = dt.date(2026, 11, 10)
    with engine.begin() as conn:
        conn.execute(
            db.kiosks.insert().values(
                kiosk_id="betro", name="Betro", created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
            )
        )
        answers = ["sesuai"] * 3 + ["kurang"]
        conn.execute(
            db.feedback.insert(),
            [{"kiosk_id": "betro", "day": day, "service_id": "kia", "answer": a} for a in answers],
        )
    page = client_as(app, "budi").get("/katalog/layanan/kia").get_data(as_text=True)
    assert "<strong>3</strong> sesuai, <strong>1</strong> kurang" in page


def test_without_javascript_move_and_add_show_the_form_again_and_save_nothing(app, catalog_copy):
    client = client_as(app, "budi")
    before = (catalog_copy / "services/kia.yaml").read_bytes()
    fields = form_of(client.get("/katalog/layanan/kia").get_data(as_text=True))
    moved = client.post("/katalog/layanan/kia", data={**fields, "move": "steps-1-up"})
    html = moved.get_data(as_text=True)
    assert moved.status_code == 200
    assert html.index(fields["steps-1-text"]) < html.index(fields["steps-0-text"])
    added = client.post("/katalog/layanan/kia", data={**fields, "add": "requirements"})
    rows = len(re.findall(r'name="requirements-\d+-document"', added.get_data(as_text=True)))
    assert rows == len(re.findall(r"^requirements-\d+-document$", "\n".join(fields), re.M)) + 1
    assert (catalog_copy / "services/kia.yaml").read_bytes() == before
    saved = client.post("/katalog/layanan/kia", data=form_of(html))
    assert saved.status_code == 303
    steps = (catalog_copy / "services/kia.yaml").read_text().split("steps:")[1]
    assert steps.index(fields["steps-1-text"][:30]) < steps.index(fields["steps-0-text"][:30])


def test_the_list_names_services_and_unfilled_fields(app):
    page = client_as(app, "camat").get("/katalog/").get_data(as_text=True)
    assert "<title>Katalog · Konsol Pelita Kecamatan</title>" in page
    assert page.count("Tambah layanan") == 1
    assert "Kartu Identitas Anak (KIA)" in page and "Belum dipastikan" in page
    assert "isian masih contoh" in page and "offices[kecamatan].address" in page


def test_pimpinan_reads_but_does_not_change(app, catalog_copy):
    client = client_as(app, "camat")
    before = (catalog_copy / "services/kia.yaml").read_bytes()
    fields = form_of(client.get("/katalog/layanan/kia").get_data(as_text=True))
    assert client.post("/katalog/layanan/kia", data={**fields, "fee": "5"}).status_code == 403
    token = fields["csrf_token"]
    assert client.post("/katalog/kantor", data={"csrf_token": token}).status_code == 403
    assert client.post("/katalog/desa", data={"csrf_token": token}).status_code == 403
    assert (catalog_copy / "services/kia.yaml").read_bytes() == before


def test_the_console_does_not_publish_with_an_unprotected_key(make_hub_app, tmp_path, catalog_copy):
    hub_dir = tmp_path / "open-hub"
    Hub(hub_dir).init(root_keys=1, root_threshold=1)
    app = make_hub_app(hub_dir, CATALOG_DIR=str(catalog_copy), **CONFIG)
    add_users(app.extensions["hub_db"])
    admin = client_as(app, "ani")
    page = admin.get("/katalog/terbitkan").get_data(as_text=True)
    assert "belum dilindungi kata sandi" in page and 'name="passphrase"' not in page
    admin.post("/katalog/terbitkan", data={"csrf_token": csrf_of(page), "passphrase": ""})
    assert Hub(hub_dir).last_release_version() == 0
