"""A week or a month: each day's figures, with the records grouped by local day once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo

from standup.core.model import EventRecord, PromptRecord
from standup.core.settings import Settings
from standup.core.summary.day import summarize_day
from standup.core.summary.figures import DaySummary, PeriodSummary, group_by_day


def summarize_days(
    days: Sequence[date],
    prompts: Iterable[PromptRecord],
    events: Iterable[EventRecord],
    settings: Settings,
    tz: tzinfo | None,
    *,
    now: datetime | None = None,
    squat_goal_for: Callable[[date], int | None] | None = None,
) -> list[DaySummary]:
    """`summarize_day` for each of `days`, grouping the records by local day once."""
    prompts_by_day = group_by_day(prompts, lambda p: p.prompted_at, tz)
    events_by_day = group_by_day(events, lambda e: e.at, tz)
    return [
        summarize_day(
            day,
            prompts_by_day.get(day, []),
            events_by_day.get(day, []),
            settings,
            tz,
            now=now,
            squat_goal=squat_goal_for(day) if squat_goal_for else None,
        )
        for day in days
    ]


def summarize_period(
    kind: str,
    day: date,
    prompts: Iterable[PromptRecord],
    events: Iterable[EventRecord],
    settings: Settings,
    tz: tzinfo | None,
    *,
    now: datetime | None = None,
    squat_goal_for: Callable[[date], int | None] | None = None,
    streak_days: int = 0,
) -> PeriodSummary:
    """The week (Monday to Sunday) or calendar month containing `day`."""
    first, last = period_bounds(kind, day)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    summaries = summarize_days(days, prompts, events, settings, tz, now=now, squat_goal_for=squat_goal_for)
    return PeriodSummary(kind, first, last, tuple(summaries), streak_days)


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """First and last day of the ISO week (Monday-Sunday) or calendar month containing `day`."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    if kind == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    raise ValueError(f"unknown period {kind!r}; use 'week' or 'month'")
