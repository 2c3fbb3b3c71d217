"""Residents' forms through a real server, as a phone posts them; sealed in the outbox."""

from __future__ import annotations

import secrets

import html5lib
import pytest
from markupsafe import escape
from nacl.public import SealedBox

from kiosk.outbox import Outbox, OutboxFull, unpack
from kiosk.records import SURVEY_UNSUR
from kiosk.voice import skm
from kiosk.voice.ticket import parse_ticket
from tests.reports.keys import new_hub_keys

from .phone import Phone

SURVEY = {key: "3" for key in skm.ELEMENTS} | {"kapan": "minggu-ini", "layanan": "kia"}


@pytest.fixture
def hub_keys(config):
    keys = new_hub_keys()
    keys.give_to(config.state_path)
    return keys


@pytest.fixture
def phone(live_server, hub_keys):
    return Phone(live_server.url)


@pytest.fixture
def outbox(config):
    return Outbox.for_config(config)


def opened(hub_keys, outbox, kind):
    """The bodies of ``kind`` records, unsealed with the hub's private key."""
    box = SealedBox(hub_keys.seal_private)
    records = [r for r in outbox.pending() if r.kind == kind]
    assert all(r.sealed for r in records)
    return [unpack(box.decrypt(r.body)) for r in records]


def disk_bytes(config) -> bytes:
    folder = config.state_path
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_feedback_from_the_service_page(phone, hub_keys, outbox, config):
    fields = phone.form("/layanan/kia", "/layanan/kia/sesuai")
    note = "Di kecamatan diminta fotokopi KK dua lembar."
    answer = phone.post("/layanan/kia/sesuai", {**fields, "jawaban": "kurang", "catatan": note})
    assert answer.status == 200
    assert "<h1>Terima kasih</h1>" in answer.html
    assert opened(hub_keys, outbox, "feedback") == [
        {"service": "kia", "answer": "kurang", "note": note}
    ]
    assert b"fotokopi KK dua" not in disk_bytes(config)  # sealed: nothing readable
    again = phone.post("/layanan/kia/sesuai", {**fields, "jawaban": "sesuai"})
    assert again.status == 429 and "Sudah terkirim hari ini" in again.html
    other = phone.post("/layanan/skck/sesuai", {**fields, "jawaban": "sesuai"})
    assert other.status == 200  # one answer per phone per service per day
    assert len(opened(hub_keys, outbox, "feedback")) == 2


def test_survey_asks_the_nine_elements_by_key(phone, bundled_catalog):
    doc = phone.get("/survei/kia").doc()
    radios = {}
    for field in doc.iter("input"):
        if field.get("type") == "radio":
            radios.setdefault(field.get("name"), []).append(field.get("value"))
    assert [k for k in radios if k in SURVEY_UNSUR] == list(skm.ELEMENTS) == list(SURVEY_UNSUR)
    for key in skm.ELEMENTS:
        assert radios[key] == ["1", "2", "3", "4"]
    # The service is fixed (no list to choose from again), with a way to choose another.
    assert "layanan" not in {field.get("name") for field in doc.iter("select")}
    text = phone.get("/survei/kia").html
    name = escape(bundled_catalog.service("kia").name)
    assert f"<strong>{name}</strong>" in text and 'href="/survei"' in text
    text = phone.get("/survei").html
    assert "kesesuaian persyaratan pelayanan dengan jenis pelayanannya" in text
    assert "Dikelola dengan baik" in text and "Sangat Baik" not in text


def test_survey_through_the_server(phone, hub_keys, outbox):
    fields = phone.form("/survei", "/survei")
    answer = phone.post("/survei", {**fields, **SURVEY, "pengaduan": "1", "usia": "30-39"})
    assert answer.status == 200 and "Survei Anda sudah tersimpan" in answer.html
    [body] = opened(hub_keys, outbox, "survey")
    assert body["answers"]["pengaduan"] == 1 and body["answers"]["sarana_prasarana"] == 3
    assert body["respondent"]["usia"] == "30-39" and body["service"] == "kia"
    again = phone.post("/survei", {**fields, **SURVEY})
    assert again.status == 429 and "Dari HP ini sudah ada survei hari ini" in again.html
    assert len(opened(hub_keys, outbox, "survey")) == 1


def test_the_survey_for_one_service_records_that_service(phone, hub_keys, outbox):
    fields = phone.form("/survei/kia", "/survei")
    assert fields["layanan"] == "kia"  # fixed in the form, not chosen again
    answer = phone.post("/survei", {**fields, **SURVEY, "layanan": fields["layanan"]})
    assert answer.status == 200 and "Survei Anda sudah tersimpan" in answer.html
    assert [b["service"] for b in opened(hub_keys, outbox, "survey")] == ["kia"]
    assert phone.get("/survei/no-such-service").status == 404


def test_survey_with_a_missing_answer_keeps_the_others(phone, outbox):
    fields = phone.form("/survei", "/survei")
    answer = phone.post("/survei", {**fields, **SURVEY, "waktu": "", "saran": "Lebih cepat."})
    assert answer.status == 400
    assert "Belum terkirim." in answer.html and "Mohon diisi atau dipilih." in answer.html
    doc = html5lib.parse(answer.html, namespaceHTMLElements=False)
    checked = {
        i.get("name"): i.get("value") for i in doc.iter("input") if i.get("checked") is not None
    }
    assert checked["persyaratan"] == "3" and "waktu" not in checked
    assert "Lebih cepat." in answer.html
    assert outbox.pending() == []


def test_complaint_gets_a_ticket_and_its_page(phone, hub_keys, outbox, config):
    fields = phone.form("/pengaduan", "/pengaduan")
    answer = phone.post(
        "/pengaduan",
        {
            **fields,
            "kategori": "pelayanan_kecamatan",
            "isi": "Petugas meminta uang Rp 50.000 untuk KK.",
            "nama": "Siti Aminah",
            "hp": "0812 3456 7890",
            "setuju": "ya",
        },
    )
    assert answer.status == 200 and "?baru=1" in answer.url  # 303 → the ticket's page
    doc = answer.doc()
    [shown] = [p.text for p in doc.iter("p") if p.get("class") == "ticket"]
    assert parse_ticket(shown) == shown and answer.url.endswith(f"/pengaduan/{shown}?baru=1")
    assert "Pengaduan Anda sudah tercatat" in answer.html and "Belum ada jawaban" in answer.html
    [body] = opened(hub_keys, outbox, "complaint")
    assert body["ticket"] == shown and body["consent"] is True
    assert body["contact"] == {"name": "Siti Aminah", "phone": "081234567890"}
    [record] = outbox.pending()
    assert record.priority
    raw = disk_bytes(config)
    assert b"Siti Aminah" not in raw and b"081234567890" not in raw and b"Rp 50.000" not in raw
    lookup = phone.get(f"/pengaduan/cek?kode={shown.lower().replace('-', '')}")
    assert lookup.url.endswith(f"/pengaduan/{shown}") and "Belum ada jawaban" in lookup.html


def test_contact_without_consent_is_not_kept(phone, outbox):
    fields = phone.form("/pengaduan", "/pengaduan")
    answer = phone.post(
        "/pengaduan", {**fields, "kategori": "lainnya", "isi": "Printer kios macet.", "hp": "0812"}
    )
    assert answer.status == 400
    assert "Centang persetujuan ini, atau kosongkan nama dan nomor HP." in answer.html
    assert "Nomor HP tidak dikenali" in answer.html
    assert outbox.pending() == []


def test_mistyped_ticket(phone):
    answer = phone.get("/pengaduan/ABCD-EFGH")
    assert answer.status == 404 and "Kode tidak dikenali" in answer.html


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Referer": "http://evil.example/form.html"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_cross_site_posts_are_refused(phone, outbox, headers):
    fields = phone.form("/survei", "/survei")
    answer = phone.post("/survei", {**fields, **SURVEY}, headers=headers)
    assert answer.status == 403
    assert "Formulir ini tidak dikirim dari halaman kios" in answer.html
    assert outbox.pending() == []


def test_own_origin_and_null_origin_are_fine(phone, live_server, outbox):
    fields = phone.form("/survei", "/survei")
    headers = {"Origin": live_server.url, "Referer": live_server.url + "/survei"}
    assert phone.post("/survei", {**fields, **SURVEY}, headers=headers).status == 200
    fields = phone.form("/pengaduan", "/pengaduan")
    complaint = {**fields, "kategori": "lainnya", "isi": "Kertas printer habis."}
    assert phone.post("/pengaduan", complaint, headers={"Origin": "null"}).status == 200


def test_a_post_without_the_token_is_refused(phone, outbox):
    answer = phone.post("/survei", SURVEY)
    assert answer.status == 403 and "Halaman sudah lama" in answer.html
    forged = phone.post("/survei", {**SURVEY, "token": "x" * 24})
    assert forged.status == 403
    assert outbox.pending() == []


def test_oversized_post_is_refused_before_parsing(phone, outbox):
    fields = phone.form("/pengaduan", "/pengaduan")
    answer = phone.post("/pengaduan", {**fields, "kategori": "lainnya", "isi": "a" * 40_000})
    assert answer.status == 413 and "Isian terlalu panjang" in answer.html
    assert outbox.pending() == []


def test_a_full_outbox_refuses_a_complaint_plainly(tmp_path, hub_keys, config):
    from kiosk.web import create_app

    from ..conftest import LiveServer

    small = config.replace(outbox_max_kb=2)
    keep = Outbox.for_config(small)
    for size in (250, 20, 0):  # fill every gap, down to the smallest survey
        with pytest.raises(OutboxFull):
            for _ in range(200):
                keep.append("survey", _survey_body(size))
    before = keep.stats()
    server = LiveServer(create_app(small))
    try:
        phone = Phone(server.url)
        fields = phone.form("/pengaduan", "/pengaduan")
        text = "Jalan menuju balai desa rusak parah. " * 20
        answer = phone.post("/pengaduan", {**fields, "kategori": "lainnya", "isi": text[:990]})
    finally:
        server.stop()
    assert answer.status == 503
    assert (
        "Penyimpanan kios sedang penuh" in answer.html
        and "Kiriman sebelumnya tetap aman" in answer.html
    )
    assert keep.stats() == before


def _survey_body(size: int) -> dict:
    return {
        "service": None,
        "when": "hari-ini",
        "answers": {key: 4 for key in skm.ELEMENTS},
        "respondent": {"jenis_kelamin": None, "usia": None, "pendidikan": None, "pekerjaan": None},
        "saran": secrets.token_hex(size) or None,  # incompressible
    }


def test_a_kiosk_that_never_synced_keeps_no_resident_record(live_server, config):
    phone = Phone(live_server.url)  # no hub key given: nothing can be sealed
    fields = phone.form("/survei", "/survei")
    answer = phone.post("/survei", {**fields, **SURVEY})
    assert answer.status == 503 and "belum pernah tersambung ke kecamatan" in answer.html
    assert Outbox.for_config(config).pending() == []
    assert b"minggu-ini" not in disk_bytes(config)


def test_the_ticket_prints_at_the_hall(phone, config, bundled_catalog):
    from kiosk.printer.backends import DummyBackend
    from kiosk.printer.spool import Spool
    from kiosk.printer.worker import PrintWorker
    from kiosk.status import write_status
    from tests.escpos_decode import decode

    fields = phone.form("/pengaduan", "/pengaduan")
    answer = phone.post("/pengaduan", {**fields, "kategori": "kios_rusak", "isi": "Printer macet."})
    ticket = answer.url.rsplit("/", 1)[1].split("?")[0]
    print_fields = phone.form(f"/pengaduan/{ticket}?baru=1", f"/pengaduan/{ticket}/cetak")
    off = phone.post(f"/pengaduan/{ticket}/cetak", print_fields)
    assert off.status == 503 and "Printer balai desa sedang tidak bisa dipakai" in off.html
    write_status(config, "printer", "Printer ready", True, state="ready")
    taken = phone.post(f"/pengaduan/{ticket}/cetak", print_fields)
    assert taken.status == 200 and "Kode sedang dicetak" in taken.html
    spool = Spool(config.state_path / "spool")
    [path] = spool.pending()
    assert spool.load(path).ticket == ticket
    printer = DummyBackend()
    assert PrintWorker(config, printer, lambda: bundled_catalog, spool).step(wait=0)
    decoded = decode(printer.jobs[0])
    texts = [line.text for line in decoded.lines]
    assert ticket in texts and "Kode pengaduan" in texts
    assert decoded.qr_payloads() == [f"http://127.0.0.1:8080/pengaduan/{ticket}"]
    assert not any("Printer macet" in t for t in texts)  # the slip carries the code only
