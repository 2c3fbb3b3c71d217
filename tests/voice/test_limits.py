"""In-memory quotas and budgets."""

from __future__ import annotations

from datetime import date

from kiosk.voice.limits import DailyQuota, HourlyBudget


def test_daily_quota_per_key_and_day():
    today = [date(2026, 12, 1)]
    quota = DailyQuota(1, today=lambda: today[0])
    assert quota.reserve(("10.42.0.7", "kia"))
    assert not quota.reserve(("10.42.0.7", "kia"))
    assert quota.reserve(("10.42.0.7", "skck"))
    assert quota.reserve(("10.42.0.8", "kia"))
    today[0] = date(2026, 12, 2)
    assert quota.reserve(("10.42.0.7", "kia"))


def test_release_gives_the_use_back():
    quota = DailyQuota(1)
    assert quota.reserve("phone")
    quota.release("phone")
    assert quota.reserve("phone")


def test_quota_memory_is_bounded():
    quota = DailyQuota(1, max_keys=3)
    assert [quota.reserve(n) for n in range(5)] == [True, True, True, False, False]


def test_hourly_budget_refills():
    now = [0.0]
    budget = HourlyBudget(3, clock=lambda: now[0])
    assert [budget.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 1200  # a third of an hour: one more
    assert [budget.take(), budget.take()] == [True, False]
    budget.give_back()
    assert budget.take()
