from datetime import date, datetime

import pytest

from kiosk.hub import complaint_flow as flow
from kiosk.hub.utc import WIB


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


def test_deadline_counts_working_days_in_wib():
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=WIB)
    assert flow.due_date(friday, 5) == date(2026, 12, 4)  # next Friday
    assert flow.due_date(friday, 1) == date(2026, 11, 30)  # Monday
    assert not flow.is_overdue("diterima", friday, 5, datetime(2026, 12, 4, 23, 0, tzinfo=WIB))
    assert flow.is_overdue("diverifikasi", friday, 5, datetime(2026, 12, 5, 8, 0, tzinfo=WIB))
    assert not flow.is_overdue("selesai", friday, 5, datetime(2027, 1, 1, tzinfo=WIB))
    # 20:00 UTC on Thursday is already Friday in Kemlagi
    late = datetime(2026, 11, 26, 20, 0)  # naive = UTC
    assert flow.due_date(late, 1) == date(2026, 11, 30)


def test_overdue_before_matches_is_overdue():
    now = datetime(2026, 12, 2, 10, 0, tzinfo=WIB)  # Wednesday
    cutoff = flow.overdue_before(5, now)
    assert cutoff == date(2026, 11, 25)
    assert flow.is_overdue("diterima", datetime(2026, 11, 24, 16, 0, tzinfo=WIB), 5, now)
    assert not flow.is_overdue("diterima", datetime(2026, 11, 25, 8, 0, tzinfo=WIB), 5, now)


def test_contact_expiry():
    closed = datetime(2026, 11, 1, 10, 0)
    assert not flow.contact_expired(None, 30, datetime(2030, 1, 1))
    assert not flow.contact_expired(closed, 30, datetime(2026, 12, 1, 9, 59))
    assert flow.contact_expired(closed, 30, datetime(2026, 12, 1, 10, 0))
