"""A script posting thousands of forms is refused plainly; everyone else is served."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from kiosk.outbox import Outbox
from kiosk.voice import skm
from kiosk.web.voice import AGAIN, BUSY, OK, PER_KIOSK_PER_HOUR, Voice
from tests.reports.keys import new_hub_keys

from .phone import Phone

SURVEY = {key: "2" for key in skm.ELEMENTS} | {"kapan": "hari-ini"}
FLOOD = 400


@pytest.fixture
def phone(live_server, config):
    new_hub_keys().give_to(config.state_path)
    return Phone(live_server.url)


def test_a_flood_of_surveys_from_one_phone(phone, config):
    fields = phone.form("/survei", "/survei")
    with ThreadPoolExecutor(8) as pool:
        floods = pool.map(
            lambda _: phone.post("/survei", {**fields, **SURVEY}).status, range(FLOOD)
        )
        pages = pool.map(lambda _: phone.get("/layanan/kia").status, range(50))
        statuses = list(floods)
        assert list(pages) == [200] * 50
    assert statuses.count(200) == 1 and statuses.count(429) == FLOOD - 1
    assert [r.kind for r in Outbox.for_config(config).pending()] == ["survey"]
    busy = phone.post("/survei", {**fields, **SURVEY})
    assert "Dari HP ini sudah ada survei hari ini" in busy.html


def test_the_kiosk_wide_budget_stops_a_script_that_changes_address(config):
    new_hub_keys().give_to(config.state_path)
    voice = Voice(config, outbox=Outbox.for_config(config))
    body = {
        "service": None,
        "when": "hari-ini",
        "answers": {key: 3 for key in skm.ELEMENTS},
        "respondent": {"jenis_kelamin": None, "usia": None, "pendidikan": None, "pekerjaan": None},
        "saran": None,
    }
    limit = PER_KIOSK_PER_HOUR["survey"]
    outcomes = [voice.submit("survey", (f"10.42.0.{n}",), body) for n in range(limit + 5)]
    assert outcomes == [OK] * limit + [BUSY] * 5
    assert voice.submit("survey", ("10.42.0.1",), body) == AGAIN  # its own quota first
    assert len(Outbox.for_config(config).pending()) == limit
