"""Day, week and month figures computed from the log's records.

The package: `figures` (the shapes and the shared rules), `day` (one day), `period` (weeks,
months), `goals` (the goal and the streak), `lines` (figures in words).

Pure: standard library only, no clock, no I/O. Every function receives the records, the settings,
the local zone (`tz`, a tzinfo or None for the system zone) and, where "so far today" matters,
`now`. Days are local calendar days: a DST day has 23 or 25 hours.

Definitions (docs/summary.md repeats them for users):

- prompts/done/skipped/missed/natural/paused/open: prompts whose `prompted_at` falls on the day,
  counted by outcome (open = no outcome yet; paused = set aside by a pause the user chose).
  snoozes: the sum of those prompts' snoozes.
- compliance = (done + natural) / (done + natural + skipped + missed); open and paused prompts are
  left out; None when no prompt of the day has ended.
- movements: `done`, `natural` and `self_break` events (model.MOVEMENT_EVENTS). A done or self
  break is an instant; a natural break covers its away span (data `away_from`..`back_at`, or the
  `break_minutes` before the event when the data lacks it).
- moved_minutes: `break_minutes` for each done and self-break event, plus each natural break's
  away span clipped to the day's work hours (to the local day on a day off), rounded to minutes.
- stand hours: local clock hours that overlap work hours and hold a movement inside work hours.
- longest sitting stretch: the longest stretch of work hours (up to `now` on the day itself)
  without a movement, that is neither paused, nor suspended, nor away, nor unobserved. Pauses,
  suspends and the time the app was not running are not sitting: they end a stretch, and a new
  stretch starts when they end. The app counts as not running before the day's first event when
  that event is `started`, and from each `stopped` to the next `started`; a day without any
  record is unobserved entirely.
- day status: a day after `now` is coming, the day holding `now` is today, the rest are past.
  A week's or month's totals and targets count the past days and today, never a coming day.
- goal: a day has two, the breaks goal (compliance >= 0.75) and the squat goal (above 0, and the
  squats done reach it); it meets the goal when it meets either, and `goals_met` names which
  (docs/summary.md, "The goal", is the one definition users read). Days off, days with no ended
  prompt and the day still in progress neither break nor extend a streak unless they meet the
  goal; streak_days counts the days meeting the goal back from the day, stopping at the first day
  that does not.
"""

from __future__ import annotations

from standup.core.summary.day import summarize_day
from standup.core.summary.figures import (
    DayStatus,
    DaySummary,
    ExerciseTotal,
    GoalStatus,
    HourSlot,
    HourState,
    PeriodSummary,
    compliance,
    group_by_day,
)
from standup.core.summary.goals import (
    BREAKS_GOAL,
    GOAL_COMPLIANCE,
    SQUAT_GOAL,
    count_streak,
    goal_status,
    goal_statuses,
    goals_met,
)
from standup.core.summary.lines import evening_line, filled_steps, format_minutes, goal_met_cell, goal_met_words, percent
from standup.core.summary.period import period_bounds, summarize_days, summarize_period

__all__ = [
    "BREAKS_GOAL", "GOAL_COMPLIANCE", "SQUAT_GOAL", "DayStatus", "DaySummary", "ExerciseTotal", "GoalStatus", "HourSlot",
    "HourState", "PeriodSummary", "compliance", "count_streak", "evening_line", "filled_steps", "format_minutes",
    "goal_met_cell", "goal_met_words", "goal_status", "goal_statuses", "goals_met", "group_by_day", "percent",
    "period_bounds", "summarize_day", "summarize_days", "summarize_period",
]
