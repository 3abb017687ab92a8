"""The figures in words: durations, which goal a day met, the evening's one line, how full a goal's bar is."""

from __future__ import annotations

from standup.core.summary.figures import DaySummary, GoalStatus
from standup.core.summary.goals import BREAKS_GOAL, SQUAT_GOAL
from standup.core.words import counted


def format_minutes(minutes: int) -> str:
    """'45 min', '2 h', '1 h 40 min'."""
    hours, rest = divmod(max(0, minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def percent(fraction: float | None) -> str:
    """'75 %', or '–' when there is nothing to divide."""
    return "–" if fraction is None else f"{round(fraction * 100)} %"


def goal_met_words(day: DaySummary) -> str:
    """'goal met: 6 of 8 breaks (75 %)', 'goal met: 100 squats', or both joined by 'and'; '' when neither.

    The breaks goal of a day in progress is met "so far": a skipped prompt later can still undo it,
    while squats once done stay done.
    """
    parts = []
    if BREAKS_GOAL in day.goals_met:
        parts.append(f"{day.moved} of {counted(day.ended, 'break')} ({percent(day.compliance)})"
                     + (" so far" if day.in_progress else ""))
    if SQUAT_GOAL in day.goals_met:
        parts.append(counted(day.squat_goal, "squat"))
    return "goal met: " + " and ".join(parts) if parts else ""


def goal_met_cell(day: DaySummary) -> str:
    """The goal in a period's table: 'breaks', 'squats', 'both', 'no' (missed) or '' (not judged)."""
    if len(day.goals_met) == 2:
        return "both"
    if day.goals_met:
        return day.goals_met[0]
    return "no" if day.goal is GoalStatus.NOT_MET else ""


def filled_steps(done: int, goal: int, steps: int) -> int:
    """How many of a bar's `steps` are filled: rounded down, so the bar is full only at the goal."""
    if goal <= 0:
        return 0
    return max(0, min(steps, done * steps // goal))


def evening_line(summary: DaySummary) -> str:
    """The day in one line: '6 of 8 breaks · 92 squats · longest sit 1 h 40 min'."""
    parts = []
    if summary.ended:
        parts.append(f"{summary.moved} of {counted(summary.ended, 'break')}")
    else:
        parts.append("no prompted breaks")
    if summary.self_breaks:
        parts[-1] += f" + {summary.self_breaks} of your own"
    if summary.squats_done or summary.squat_goal:
        parts.append(counted(summary.squats_done, "squat"))
    parts.append(f"longest sit {format_minutes(summary.longest_sitting_minutes)}")
    return " · ".join(parts)
