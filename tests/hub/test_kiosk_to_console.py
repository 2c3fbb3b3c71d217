"""Issue 15's acceptance through real servers on 127.0.0.1: residents fill the SKM on a
kiosk (`kiosk serve`), `kiosk sync` delivers, and a logged-in staff member sees on the
console's /skm (and in `kiosk hub report ikm`) the n and the IKM those answers imply; a
complaint sent on the kiosk is moved through its statuses in the console, "Terbitkan ke
kios" signs it, and after the next `kiosk sync` the kiosk's ticket page shows the
status and the answer.

The hub is the real app (create_hub_app) under waitress in this process, on SQLite and
on PostgreSQL; everything on the kiosk side runs as the real commands. The expected
figures are worked out here from the answers, by the rule in docs/ikm.md, not read from
the code under test."""

from __future__ import annotations

import html
import http.cookiejar
import json
import random
import re
import signal
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from kiosk.hub.ikm import UNSUR
from kiosk.hub.simulate import Sim
from kiosk.hub.utc import WIB
from kiosk.voice import skm

from ..conftest import CATALOG_DIR, LiveServer, free_port
from ..voice.live import Resident, kiosk, run_kiosk, start
from .console_helpers import FAST, add_users, csrf_of

pytest.importorskip("kiosk.reports.push", reason="needs issue 13's report channel")
pytestmark = pytest.mark.slow

VILLAGE = "kemlagi"


@dataclass
class Staff:
    """A staff member's browser without JavaScript: a cookie jar and the forms' CSRF."""

    base: str

    def __post_init__(self):
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def post(self, path: str, fields: dict, *, form_on: str) -> str:
        """Post ``fields`` with the CSRF token of the page ``form_on``; the page after
        the redirect."""
        fields = {**fields, "csrf_token": csrf_of(self.get(form_on))}
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return response.read().decode("utf-8")


def expected_report(surveys: list[dict[str, int | None]]) -> dict:
    """n, NRR per unsur, IKM (2 decimals, half up, once) and mutu, by docs/ikm.md."""
    nrr = {}
    for key in skm.ELEMENTS:
        given = [s[key] for s in surveys if s[key] is not None]
        nrr[key] = Fraction(sum(given), len(given))
    mean = sum(nrr.values(), Fraction(0)) / len(nrr) * 25
    ikm = (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    grades = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"))
    mutu = next((grade for low, grade in grades if ikm >= low), "D")
    return {"n": len(surveys), "nrr": nrr, "ikm": ikm, "mutu": mutu}


def survey_answers(rng: random.Random) -> dict[str, int]:
    return {key: rng.randint(1, 4) for key in skm.ELEMENTS}


def fill_survey(resident: Resident, answers: dict[str, int], rng: random.Random) -> str:
    """The resident fills /survei on the kiosk, with the form's own token."""
    saran = f"Antrean di loket {rng.randint(1, 9)} terlalu lama."
    fields = resident.form("/survei", "/survei") | {k: str(v) for k, v in answers.items()}
    fields |= {
        "kapan": rng.choice(sorted(skm.WHEN)),
        "layanan": rng.choice(("kia", "")),
        "jenis_kelamin": rng.choice(skm.GENDERS),
        "usia": rng.choice(skm.AGE_BANDS),
        "pendidikan": rng.choice(skm.EDUCATION),
        "pekerjaan": rng.choice(skm.OCCUPATIONS),
        "saran": saran,
    }
    assert resident.post("/survei", fields).status == 200
    return saran


def console_figures(page: str) -> dict:
    """n, IKM and mutu as the console's /skm page shows them."""
    cards = dict(
        (label, value)
        for value, label in re.findall(r"<b>([^<]*)</b> (responden|IKM|mutu pelayanan)", page)
    )
    return {"n": int(cards["responden"]), "ikm": cards["IKM"], "mutu": cards["mutu pelayanan"]}


def shown_nrr(page: str) -> dict[str, str]:
    """The NRR column of the console's /skm page, by unsur key."""
    found = {}
    for unsur in UNSUR:
        row = re.search(
            rf'<th scope="row">U\d+ {re.escape(html.escape(unsur.name))}</th>'
            r'<td class="num">\d+</td>\s*<td class="num">([^<]+)</td>',
            page,
        )
        assert row, unsur.name
        found[unsur.key] = row.group(1)
    return found


@pytest.fixture
def hub(tmp_path, hub_db):
    """A hub made by the real commands, its app (console + report endpoint) on waitress,
    and the three console users of tests/hub/console_helpers."""
    from kiosk.hub.app import create_hub_app

    hub_dir = tmp_path / "hub"
    kiosk("hub", "init", str(hub_dir), "--root-keys", "1", "--root-threshold", "1")
    kiosk("hub", "publish", str(CATALOG_DIR), "--hub", str(hub_dir))
    test_config = {"CONSOLE_PASSWORD_HASHER": FAST}
    app = create_hub_app(hub_dir, db_url=hub_db.url, test_config=test_config)
    add_users(app.extensions["hub_db"])
    server = LiveServer(app)
    try:
        yield hub_dir, server.url, hub_db.url, app.extensions["hub_db"]
    finally:
        server.stop()
        app.extensions["hub_db"].dispose()


@pytest.fixture
def kiosk_site(tmp_path, hub):
    """An enrolled kiosk that synced once (catalog and the hub's report key), serving."""
    hub_dir, hub_url, db_url, _ = hub
    port = free_port()
    conf = tmp_path / f"{VILLAGE}.toml"
    conf.write_text(
        f'village = "{VILLAGE}"\nstate_dir = "{tmp_path / "kiosk"}"\nport = {port}\n'
        f'hub_url = "{hub_url}/public/"\n'
        f'trust_root = "{hub_dir / "public" / "metadata" / "1.root.json"}"\n'
        f'report_url = "{hub_url}/api/reports"\n',
        encoding="utf-8",
    )
    out = kiosk("hub", "enroll", VILLAGE, "--hub", str(hub_dir), "--db", db_url)
    code = next(x for x in out.splitlines() if x.startswith("Enrollment code")).split()[-1]
    kiosk("enroll", code, "--config", str(conf))
    first = kiosk("sync", "--config", str(conf))
    assert "No complaint statuses published by the hub yet" in first
    site = start("serve", "--config", str(conf), url=f"http://127.0.0.1:{port}/")
    try:
        yield conf, f"http://127.0.0.1:{port}"
    finally:
        site.send_signal(signal.SIGTERM)
        site.wait(15)


def test_kiosk_surveys_reach_the_ikm_and_the_console_answer_reaches_the_kiosk(hub, kiosk_site):
    hub_dir, hub_url, db_url, engine = hub
    conf, site = kiosk_site
    rng = random.Random(15)
    today = datetime.now(WIB).date()
    period = {"dari": today - timedelta(days=1), "sampai": today + timedelta(days=1)}
    skm_path = "/skm?" + urllib.parse.urlencode({"periode": "custom", "desa": VILLAGE, **period})

    # Earlier surveys of this village already on the hub (one left "biaya" blank).
    earlier = [survey_answers(rng), survey_answers(rng) | {"biaya": None}]
    sim = Sim(engine, rng)
    for answers in earlier:
        sim.survey(VILLAGE, today, None, **answers)
    staff = Staff(hub_url)
    staff.post("/masuk", {"name": "budi", "password": "rahasia-kecamatan-1"}, form_on="/masuk")
    before = expected_report(earlier)
    assert console_figures(staff.get(skm_path))["n"] == before["n"]

    # Three residents answer on the kiosk, each from their own phone.
    residents = [Resident(site, f"127.0.0.{i}") for i in (2, 3, 4)]
    submitted = [survey_answers(rng) for _ in residents]
    sarans = [fill_survey(r, a, rng) for r, a in zip(residents, submitted, strict=True)]
    fields = residents[0].form("/pengaduan", "/pengaduan")
    complaint = "Lampu ruang tunggu balai desa mati sejak seminggu, antrean gelap sore hari."
    fields |= {"kategori": "pelayanan_kecamatan", "isi": complaint}
    fields |= {"nama": "Sri Wahyuni", "hp": "0812 3456 7890", "setuju": "ya"}
    sent = residents[0].post("/pengaduan", fields)
    assert sent.status == 200
    ticket = sent.url.rsplit("/", 1)[1].split("?")[0]
    assert "Belum ada jawaban" in residents[0].get(f"/pengaduan/{ticket}").html

    assert "Reports delivered" in kiosk("sync", "--config", str(conf))

    # The console's SKM page: n went up by three, and the figures are the answers'.
    want = expected_report(earlier + submitted)
    assert want["n"] == before["n"] + len(submitted)
    page = staff.get(skm_path)
    assert console_figures(page) == {"n": want["n"], "ikm": str(want["ikm"]), "mutu": want["mutu"]}
    assert shown_nrr(page) == {k: f"{float(v):.3f}" for k, v in want["nrr"].items()}
    for saran in sarans:
        assert html.escape(saran) in page
    exported = json.loads(staff.get(skm_path + "&format=json"))
    cli = json.loads(
        run_kiosk(
            "hub",
            "report",
            "ikm",
            "--hub",
            str(hub_dir),
            "--db",
            db_url,
            "--village",
            VILLAGE,
            "--from",
            str(period["dari"]),
            "--to",
            str(period["sampai"]),
            "--format",
            "json",
        ).stdout
    )
    for report in (exported, cli):
        assert report["n"] == want["n"] and report["mutu"] == want["mutu"]
        assert Decimal(str(report["ikm"])) == want["ikm"]
        assert report["unsur"] == {k: round(float(v), 4) for k, v in want["nrr"].items()}

    # The complaint, in the console: text and contact for the petugas; then its way.
    inbox = staff.get("/pengaduan")
    assert ticket in inbox
    detail = staff.get(f"/pengaduan/{ticket}")
    assert html.escape(complaint) in detail and "Sri Wahyuni" in detail
    first = "Sudah kami teruskan ke desa; lampu diganti minggu ini."
    for status, answer in (("diverifikasi", ""), ("diteruskan", ""), ("ditindaklanjuti", first)):
        page = staff.post(
            f"/pengaduan/{ticket}",
            {"status": status, "jawaban": answer},
            form_on=f"/pengaduan/{ticket}",
        )
        assert f"Status pengaduan {ticket} diubah menjadi" in page, status
    published = staff.post("/pengaduan/terbitkan", {}, form_on="/pengaduan")
    assert "diterbitkan ke kios" in published
    assert "Complaint statuses updated (1 tickets)" in kiosk("sync", "--config", str(conf))
    shown = residents[0].get(f"/pengaduan/{ticket}").html
    assert "Sedang ditindaklanjuti" in shown and html.escape(first) in shown

    last = "Lampu sudah diganti pada hari Kamis. Terima kasih atas laporannya."
    page = staff.post(
        f"/pengaduan/{ticket}",
        {"status": "selesai", "jawaban": last},
        form_on=f"/pengaduan/{ticket}",
    )
    assert f"Status pengaduan {ticket} diubah menjadi Selesai" in page
    staff.post("/pengaduan/terbitkan", {}, form_on="/pengaduan")
    kiosk("sync", "--config", str(conf))
    shown = Resident(site, "127.0.0.9").get(f"/pengaduan/{ticket}").html
    assert "<strong>Selesai</strong>" in shown and html.escape(last) in shown
    assert first not in shown and "Sri" not in shown and "0812" not in shown
