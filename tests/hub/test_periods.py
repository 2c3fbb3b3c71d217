from datetime import date

import pytest

from kiosk.hub.periods import custom_period, make_period, period_containing


@pytest.mark.parametrize(
    ("kind", "index", "start", "end", "label"),
    [
        ("triwulan", 1, date(2026, 1, 1), date(2026, 3, 31), "Triwulan I 2026"),
        ("triwulan", 4, date(2026, 10, 1), date(2026, 12, 31), "Triwulan IV 2026"),
        ("semester", 1, date(2026, 1, 1), date(2026, 6, 30), "Semester 1 2026"),
        ("semester", 2, date(2026, 7, 1), date(2026, 12, 31), "Semester 2 2026"),
        ("tahun", 1, date(2026, 1, 1), date(2026, 12, 31), "Tahun 2026"),
    ],
)
def test_periods(kind, index, start, end, label):
    period = make_period(kind, 2026, index)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_leap_february_in_first_triwulan():
    assert make_period("triwulan", 2028, 1).end == date(2028, 3, 31)
    assert period_containing("semester", date(2028, 2, 29)).label == "Semester 1 2028"


def test_bad_periods_are_refused():
    with pytest.raises(ValueError, match="triwulan must be 1-4"):
        make_period("triwulan", 2026, 5)
    with pytest.raises(ValueError, match="before it starts"):
        custom_period(date(2026, 2, 1), date(2026, 1, 1))
