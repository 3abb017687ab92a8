"""The figures in words: durations, the evening's one line, how full a goal's bar is."""

from __future__ import annotations

from standup.core.summary.figures import DaySummary
from standup.core.words import counted


def format_minutes(minutes: int) -> str:
    """'45 min', '2 h', '1 h 40 min'."""
    hours, rest = divmod(max(0, minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


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
