"""The pure scheduling rules, checked against hand-worked times (Europe/Berlin)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from standup.core import policy
from tests.day import settings
from tests.fakes import BERLIN


def local(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=BERLIN).astimezone(timezone.utc)


def test_expected_prompts_of_a_default_weekday():
    times = policy.expected_prompt_times(date(2026, 11, 23), settings(), BERLIN)
    assert [t.astimezone(BERLIN).strftime("%H:%M") for t in times] == [f"{h}:00" for h in range(10, 18)]


def test_no_prompts_expected_on_a_day_off():
    assert policy.expected_prompt_times(date(2026, 11, 22), settings(), BERLIN) == []


def test_sitting_before_work_counts_from_work_start():
    due = policy.next_prompt_due(local("2026-11-23", "07:00"), settings(), BERLIN)
    assert due == local("2026-11-23", "10:00")


def test_a_due_time_past_work_end_moves_to_the_next_workday():
    due = policy.next_prompt_due(local("2026-11-27", "17:30"), settings(), BERLIN)  # Friday
    assert due == local("2026-11-30", "10:00")  # Monday


def test_not_before_inside_the_window_delays_to_that_moment():
    due = policy.next_prompt_due(local("2026-11-23", "09:00"), settings(), BERLIN, local("2026-11-23", "12:34"))
    assert due == local("2026-11-23", "12:34")


def test_not_before_after_work_moves_to_the_next_window():
    due = policy.next_prompt_due(local("2026-11-23", "09:00"), settings(), BERLIN, local("2026-11-23", "19:00"))
    assert due == local("2026-11-24", "10:00")


def test_no_workdays_means_no_prompts():
    assert policy.next_prompt_due(local("2026-11-23", "09:00"), settings(workdays=frozenset()), BERLIN) is None


def test_clock_grid_with_a_30_minute_interval():
    grid = settings(align_to_clock=True, interval_minutes=30)
    assert policy.next_prompt_due(local("2026-11-23", "09:50"), grid, BERLIN) == local("2026-11-23", "10:30")
    assert policy.next_prompt_due(local("2026-11-23", "09:40"), grid, BERLIN) == local("2026-11-23", "10:00")


def test_expiry_is_the_next_prompt_or_the_end_of_work():
    s = settings()
    at = local("2026-11-23", "10:00")
    assert policy.prompt_expiry(at, at, None, s, BERLIN) == local("2026-11-23", "11:00")
    late = local("2026-11-23", "17:30")
    assert policy.prompt_expiry(late, late, None, s, BERLIN) == local("2026-11-23", "18:00")
    snoozed = at + timedelta(minutes=10)
    assert policy.prompt_expiry(at, at, snoozed, s, BERLIN) == local("2026-11-23", "11:10")


def test_day_bounds_on_dst_days():
    start, end = policy.day_bounds_utc(date(2026, 10, 25), BERLIN)
    assert end - start == timedelta(hours=25)
    start, end = policy.day_bounds_utc(date(2026, 3, 29), BERLIN)
    assert end - start == timedelta(hours=23)


def test_system_zone_is_used_when_tz_is_none(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        start, _ = policy.day_bounds_utc(date(2026, 11, 23), None)
        assert start == datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
