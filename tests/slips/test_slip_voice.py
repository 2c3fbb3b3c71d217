"""The survey line on every checklist, and the complaint ticket slip."""

from __future__ import annotations

import pytest

from kiosk.config import load_config
from kiosk.slips.layout import COLUMNS, SMALL_COLUMNS, Line, service_slip, ticket_slip
from kiosk.voice.ticket import new_ticket


@pytest.fixture
def hall_config(tmp_path):
    return load_config(
        env={}, overrides={"state_dir": str(tmp_path), "portal_address": "10.42.0.1"}
    )


def fits(slip, width) -> bool:
    lines = [item for item in slip.items if isinstance(item, Line)]
    return all(len(i.text) <= (SMALL_COLUMNS if i.small else COLUMNS)[width] for i in lines)


@pytest.mark.parametrize("width", [58, 80])
def test_every_checklist_points_to_the_survey(bundled_catalog, hall_config, width):
    for service in bundled_catalog.services:
        slip = service_slip(bundled_catalog, service, hall_config, paper_width=width)
        text = " ".join(slip.lines)
        assert "Sudah dilayani? Isi survei kepuasan di HP: http://10.42.0.1/survei" in text
        assert fits(slip, width)


def test_ticket_slip_has_the_code_and_nothing_else_about_the_complaint(
    bundled_catalog, hall_config
):
    ticket = new_ticket()
    slip = ticket_slip(bundled_catalog, ticket, hall_config)
    assert ticket in slip.lines and "Kode pengaduan" in slip.lines
    assert slip.qr_payloads == [f"http://10.42.0.1/pengaduan/{ticket}"]
    assert fits(slip, 58)
