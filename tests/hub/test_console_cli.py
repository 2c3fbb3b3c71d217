"""kiosk hub user add / report ikm / purge-contacts, run in-process on a hub folder."""

from __future__ import annotations

import io
import json
import random
from datetime import date, timedelta

from click.testing import CliRunner
from openpyxl import load_workbook

from kiosk.cli import main
from kiosk.hub import accounts, db, ikm
from kiosk.hub.simulate import Sim

from .console_helpers import NOW


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_user_add_reads_the_password_from_stdin(tmp_path):
    hub = str(tmp_path / "hub")
    result = run(
        "hub",
        "user",
        "add",
        "sari",
        "--role",
        "petugas",
        "--hub",
        hub,
        input="kata-sandi-panjang\n",
    )
    assert result.exit_code == 0, result.output
    assert "user sari (petugas) added" in result.output
    assert "kata-sandi-panjang" not in result.output
    engine = db.connect(db.default_url(hub))
    user = accounts.authenticate(engine, "sari", "kata-sandi-panjang", addr="t", now=db.utcnow())
    assert user.role == "petugas"
    short = run("hub", "user", "add", "sri", "--role", "admin", "--hub", hub, input="pendek\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    bad_role = run("hub", "user", "add", "sri", "--role", "camat", "--hub", hub, input="x\n")
    assert bad_role.exit_code == 2
    engine.dispose()


def test_report_ikm_json_xlsx_and_village_filter(tmp_path):
    hub = tmp_path / "hub"
    hub.mkdir()
    engine = db.connect(db.default_url(hub))
    db.upgrade(engine)
    sim = Sim(engine, random.Random(5))
    sim.kiosks([("betro", "Betro"), ("kemlagi", "Kemlagi")], at=NOW)
    rng = random.Random(9)
    answers = [{k: rng.randint(2, 4) for k in ikm.UNSUR_KEYS} for _ in range(12)]
    for i, given in enumerate(answers):
        sim.survey(
            "betro" if i < 8 else "kemlagi", date(2026, 3, 1) + timedelta(days=i), None, **given
        )
    engine.dispose()
    result = run(
        "hub",
        "report",
        "ikm",
        "--hub",
        str(hub),
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = ikm.compute(answers)
    assert (data["n"], data["ikm"], data["mutu"]) == (12, float(expected.ikm), expected.mutu)
    assert set(data["unsur"]) == set(ikm.UNSUR_KEYS)
    betro = json.loads(
        run(
            "hub",
            "report",
            "ikm",
            "--hub",
            str(hub),
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--village",
            "betro",
        ).output
    )
    assert betro["n"] == 8 and betro["ikm"] == float(ikm.compute(answers[:8]).ikm)
    out = tmp_path / "ikm.xlsx"
    result = run(
        "hub",
        "report",
        "ikm",
        "--hub",
        str(hub),
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(io.BytesIO(out.read_bytes()))["IKM"]
    assert any(
        row[0].value == "IKM" and row[4].value == float(expected.ikm) for row in sheet.iter_rows()
    )
    backwards = run(
        "hub", "report", "ikm", "--hub", str(hub), "--from", "2026-06-30", "--to", "2026-01-01"
    )
    assert backwards.exit_code == 2 and "before --from" in backwards.output


def test_purge_contacts_command(tmp_path):
    hub = tmp_path / "hub"
    hub.mkdir()
    engine = db.connect(db.default_url(hub))
    db.upgrade(engine)
    sim = Sim(engine, random.Random(5))
    sim.kiosks([("betro", "Betro")], at=NOW)
    closed = db.utcnow() - timedelta(days=31)
    sim.complaint(
        "betro",
        "AAAA-BBBB",
        closed,
        status="selesai",
        status_changed_at=closed,
        contact_name="Sri",
        contact_phone="0812",
    )
    engine.dispose()
    result = run("hub", "purge-contacts", "--hub", str(hub))
    assert result.exit_code == 0, result.output
    assert "contacts deleted from 1 closed complaint(s) (after 30 days)" in result.output
