"""The figures in words: durations and the evening's one line."""

from __future__ import annotations

from standup.core.summary.figures import DaySummary


def format_minutes(minutes: int) -> str:
    """'45 min', '2 h', '1 h 40 min'."""
    hours, rest = divmod(max(0, minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def evening_line(summary: DaySummary) -> str:
    """The day in one line: '6 of 8 breaks · 92 squats · longest sit 1 h 40 min'."""
    parts = []
    if summary.ended:
        parts.append(f"{summary.moved} of {summary.ended} break{'s' if summary.ended != 1 else ''}")
    else:
        parts.append("no prompted breaks")
    if summary.self_breaks:
        parts[-1] += f" + {summary.self_breaks} of your own"
    if summary.squats_done or summary.squat_goal:
        parts.append(f"{summary.squats_done} squat{'s' if summary.squats_done != 1 else ''}")
    parts.append(f"longest sit {format_minutes(summary.longest_sitting_minutes)}")
    return " · ".join(parts)
