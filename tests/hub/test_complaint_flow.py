from datetime import date, datetime

import pytest

from kiosk.hub import complaint_flow as flow


def test_forward_moves_and_early_close():
    assert flow.allowed_next("diterima") == (
        "diverifikasi",
        "diteruskan",
        "ditindaklanjuti",
        "selesai",
        "ditolak",
        "bukan_wewenang",
    )
    assert flow.allowed_next("ditindaklanjuti") == ("selesai", "ditolak", "bukan_wewenang")
    assert flow.allowed_next("selesai") == ()
    assert flow.allowed_next("ditolak") == ()


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("diteruskan", "diverifikasi", "cannot go from 'diteruskan' to 'diverifikasi'"),
        ("selesai", "diterima", "cannot go from 'selesai'"),
        ("diterima", "dibuang", "unknown complaint status 'dibuang'"),
    ],
)
def test_bad_moves_are_refused(current, new, message):
    with pytest.raises(ValueError, match=message):
        flow.check_move(current, new)


def test_deadline_counts_working_days():
    friday = datetime(2026, 11, 27, 15, 0)
    assert flow.due_date(friday, 5) == date(2026, 12, 4)  # next Friday
    assert flow.due_date(friday, 1) == date(2026, 11, 30)  # Monday
    assert not flow.is_overdue("diterima", friday, 5, datetime(2026, 12, 4, 23, 0))
    assert flow.is_overdue("diverifikasi", friday, 5, datetime(2026, 12, 5, 8, 0))
    assert not flow.is_overdue("selesai", friday, 5, datetime(2027, 1, 1))


def test_contact_expiry():
    closed = datetime(2026, 11, 1, 10, 0)
    assert not flow.contact_expired(None, 30, datetime(2030, 1, 1))
    assert not flow.contact_expired(closed, 30, datetime(2026, 12, 1, 9, 59))
    assert flow.contact_expired(closed, 30, datetime(2026, 12, 1, 10, 0))
