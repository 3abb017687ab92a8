"""Whether a day meets the goal, and the streak of days that do. Definitions: the package docstring."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, tzinfo

from standup.core.model import Outcome, PromptRecord
from standup.core.policy import day_bounds_utc
from standup.core.settings import Settings
from standup.core.summary.figures import GoalStatus, compliance, group_by_day, outcome_counts

GOAL_COMPLIANCE = 0.75
BREAKS_GOAL = "breaks"  # compliance reached GOAL_COMPLIANCE
SQUAT_GOAL = "squats"  # the day's squats reached its squat goal


def goals_met(day_compliance: float | None, squats_done: int, squat_goal: int) -> tuple[str, ...]:
    """Which of the day's two goals it reached: BREAKS_GOAL, SQUAT_GOAL, both (in that order) or none."""
    met = []
    if day_compliance is not None and day_compliance >= GOAL_COMPLIANCE:
        met.append(BREAKS_GOAL)
    if squat_goal > 0 and squats_done >= squat_goal:
        met.append(SQUAT_GOAL)
    return tuple(met)


def goal_status(
    day_compliance: float | None,
    squats_done: int,
    squat_goal: int,
    *,
    workday: bool,
    in_progress: bool,
) -> GoalStatus:
    """Whether a day meets the goal (either of the two), or does not count either way."""
    if goals_met(day_compliance, squats_done, squat_goal):
        return GoalStatus.MET
    if in_progress or not workday or day_compliance is None:
        return GoalStatus.NEUTRAL
    return GoalStatus.NOT_MET


def goal_statuses(
    first_day: date,
    last_day: date,
    prompts: Iterable[PromptRecord],
    settings: Settings,
    tz: tzinfo | None,
    *,
    now: datetime | None = None,
    squat_goal_for: Callable[[date], int | None] | None = None,
) -> list[GoalStatus]:
    """Each day's goal status from `last_day` back to `first_day` (newest first), from prompts alone.

    Cheaper than summarizing every day; it gives the same status as `summarize_day`.
    """
    by_day = group_by_day(prompts, lambda p: p.prompted_at, tz)
    statuses = []
    day = last_day
    while day >= first_day:
        day_prompts = by_day.get(day, [])
        counts = outcome_counts(day_prompts)
        workday = day.weekday() in settings.workdays
        explicit = squat_goal_for(day) if squat_goal_for else None
        goal = explicit if explicit is not None else (settings.daily_squat_goal if workday else 0)
        start, end = day_bounds_utc(day, tz)
        statuses.append(
            goal_status(
                compliance(counts["done"], counts["skipped"], counts["missed"], counts["natural"]),
                sum(p.squats for p in day_prompts if p.outcome is Outcome.DONE),
                goal,
                workday=workday,
                in_progress=now is not None and now < end,
            )
        )
        day -= timedelta(days=1)
    return statuses


def count_streak(statuses_newest_first: Iterable[GoalStatus]) -> tuple[int, bool]:
    """(days meeting the goal before the first that does not, whether such a day was reached).

    Neutral days are passed over. When the second value is False the history ran out first, so a
    caller holding older records may continue the count.
    """
    streak = 0
    for status in statuses_newest_first:
        if status is GoalStatus.NOT_MET:
            return streak, True
        if status is GoalStatus.MET:
            streak += 1
    return streak, False
