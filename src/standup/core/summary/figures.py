"""The summary's shapes (an hour, a day, a period) and the rules every figure shares: compliance,
outcome counts, grouping records by local day. Definitions: the package docstring."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from typing import TypeVar

from standup.core.model import PromptRecord
from standup.core.policy import to_local

_R = TypeVar("_R")


class HourState(enum.Enum):
    """What one clock hour of the day looked like, most telling first."""

    MOVED = "moved"  # a movement touched the hour
    MISSED = "missed"  # a prompt of the hour was skipped or missed, and nobody moved
    SITTING = "sitting"  # observed sitting (work hours)
    PAUSED = "paused"  # reminders were paused for most of the hour (work hours)
    UNOBSERVED = "unobserved"  # the app was not running or the machine slept (work hours)
    FUTURE = "future"  # the hour has not begun yet
    OFF = "off"  # outside work hours, nothing happened


class DayStatus(enum.Enum):
    """Where a day stands against `now`: over, under way, or not begun (no figures, no targets yet)."""

    PAST = "past"
    TODAY = "today"
    COMING = "coming"


class GoalStatus(enum.Enum):
    """How a day counts for the streak."""

    MET = "met"
    NOT_MET = "not_met"
    NEUTRAL = "neutral"  # day off, nothing to judge, or still in progress: skipped over


@dataclass(frozen=True)
class HourSlot:
    """One local clock hour of the day (a DST day has 23 or 25 of them)."""

    start: datetime  # aware, local time
    end: datetime  # aware, local time
    work: bool  # overlaps work hours
    state: HourState
    stand: bool  # counts as a stand hour
    prompts: int = 0
    done: int = 0
    skipped: int = 0
    missed: int = 0
    natural: int = 0
    self_breaks: int = 0

    @property
    def label(self) -> str:
        return f"{self.start.hour:02d}"


@dataclass(frozen=True)
class ExerciseTotal:
    """What the done prompts of one routine added up to."""

    routine: str
    name: str  # as the prompt showed it; the routine id when the log does not say
    breaks: int  # done prompts with this routine
    sets: int
    reps: int  # sets × reps, summed (0 for timed routines)
    seconds: int  # sets × seconds, summed (0 for counted routines)
    doses: tuple[str, ...] = ()  # each done prompt's dose, as the prompt showed it, in order


@dataclass(frozen=True)
class DaySummary:
    """The figures of one local day."""

    date: date
    workday: bool
    in_progress: bool
    prompts: int
    done: int
    skipped: int
    missed: int
    natural: int
    open: int
    snoozes: int
    self_breaks: int
    natural_breaks: int  # every natural-break event, with or without a prompt
    compliance: float | None
    moved_minutes: int
    stand_hours: int
    work_hour_slots: int
    longest_sitting_minutes: int
    longest_sitting_from: datetime | None  # aware UTC
    longest_sitting_to: datetime | None
    exercises: tuple[ExerciseTotal, ...]
    squats_done: int
    squat_goal: int
    goal: GoalStatus
    timeline: tuple[HourSlot, ...]
    streak_days: int = 0
    status: DayStatus = DayStatus.PAST
    goals_met: tuple[str, ...] = ()  # "breaks", "squats": which goals the day reached (goals.goals_met)
    paused: int = 0  # prompts a pause set aside: neither ended nor open, left out of compliance

    @property
    def ended(self) -> int:
        return self.done + self.skipped + self.missed + self.natural

    @property
    def moved(self) -> int:
        """Prompts answered by moving (done or natural)."""
        return self.done + self.natural

    def as_json(self) -> dict[str, object]:
        """The `standup summary --json` contract for a day (docs/summary.md)."""
        return {
            "date": self.date.isoformat(),
            "status": self.status.value,
            "workday": self.workday,
            "in_progress": self.in_progress,
            "prompts": self.prompts,
            "done": self.done,
            "skipped": self.skipped,
            "missed": self.missed,
            "natural": self.natural,
            "open": self.open,
            "paused": self.paused,
            "snoozes": self.snoozes,
            "self_breaks": self.self_breaks,
            "natural_breaks": self.natural_breaks,
            "compliance": _rounded(self.compliance),
            "moved_minutes": self.moved_minutes,
            "stand_hours": self.stand_hours,
            "work_hour_slots": self.work_hour_slots,
            "longest_sitting_minutes": self.longest_sitting_minutes,
            "longest_sitting": (
                {"from": _iso(self.longest_sitting_from), "to": _iso(self.longest_sitting_to)}
                if self.longest_sitting_from is not None
                else None
            ),
            "squats": {"done": self.squats_done, "goal": self.squat_goal},
            "exercises": [
                {"routine": e.routine, "name": e.name, "breaks": e.breaks, "sets": e.sets, "reps": e.reps,
                 "seconds": e.seconds, "doses": list(e.doses)}
                for e in self.exercises
            ],
            "goal_met": self.goal is GoalStatus.MET,
            "goals_met": list(self.goals_met),
            "streak_days": self.streak_days,
            "timeline": [
                {
                    "start": slot.start.isoformat(),
                    "hour": slot.label,
                    "work": slot.work,
                    "state": slot.state.value,
                    "stand": slot.stand,
                    "prompts": slot.prompts,
                    "done": slot.done,
                    "skipped": slot.skipped,
                    "missed": slot.missed,
                    "natural": slot.natural,
                    "self_breaks": slot.self_breaks,
                }
                for slot in self.timeline
            ],
        }


@dataclass(frozen=True)
class PeriodSummary:
    """A week or a month: the same figures per day, and their totals.

    Totals count the days up to and including today (`counted_days`); days still to come add
    neither figures nor targets (a Tuesday's week has two days' squat goal, not seven).
    """

    kind: str  # "week" or "month"
    first_day: date
    last_day: date
    days: tuple[DaySummary, ...]
    streak_days: int = 0

    @property
    def counted_days(self) -> tuple[DaySummary, ...]:
        """The days that have begun: every day of a past period, up to today in the current one."""
        return tuple(day for day in self.days if day.status is not DayStatus.COMING)

    @property
    def coming_days(self) -> tuple[DaySummary, ...]:
        return tuple(day for day in self.days if day.status is DayStatus.COMING)

    def _sum(self, name: str) -> int:
        return sum(getattr(day, name) for day in self.counted_days)

    @property
    def prompts(self) -> int:
        return self._sum("prompts")

    @property
    def done(self) -> int:
        return self._sum("done")

    @property
    def skipped(self) -> int:
        return self._sum("skipped")

    @property
    def missed(self) -> int:
        return self._sum("missed")

    @property
    def natural(self) -> int:
        return self._sum("natural")

    @property
    def compliance(self) -> float | None:
        """The same formula over the whole period's prompts (not an average of days)."""
        return compliance(self.done, self.skipped, self.missed, self.natural)

    @property
    def longest_sitting_minutes(self) -> int:
        return max((day.longest_sitting_minutes for day in self.counted_days), default=0)

    @property
    def days_meeting_goal(self) -> int:
        return sum(1 for day in self.counted_days if day.goal is GoalStatus.MET)

    def as_json(self, requested: date) -> dict[str, object]:
        """The `standup summary --week/--month --json` contract: totals on top, then each day."""
        return {
            "date": requested.isoformat(),
            "period": self.kind,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "days_counted": len(self.counted_days),
            "days_coming": len(self.coming_days),
            "prompts": self.prompts,
            "done": self.done,
            "skipped": self.skipped,
            "missed": self.missed,
            "natural": self.natural,
            "open": self._sum("open"),
            "paused": self._sum("paused"),
            "snoozes": self._sum("snoozes"),
            "self_breaks": self._sum("self_breaks"),
            "natural_breaks": self._sum("natural_breaks"),
            "compliance": _rounded(self.compliance),
            "moved_minutes": self._sum("moved_minutes"),
            "stand_hours": self._sum("stand_hours"),
            "work_hour_slots": self._sum("work_hour_slots"),
            "longest_sitting_minutes": self.longest_sitting_minutes,
            "squats": {"done": self._sum("squats_done"), "goal": self._sum("squat_goal"),
                       "period_goal": sum(day.squat_goal for day in self.days)},
            "days_meeting_goal": self.days_meeting_goal,
            "streak_days": self.streak_days,
            "days": [day.as_json() for day in self.days],
        }


def compliance(done: int, skipped: int, missed: int, natural: int) -> float | None:
    """(done + natural) / ended prompts; None when none ended."""
    ended = done + skipped + missed + natural
    return (done + natural) / ended if ended else None


def group_by_day(records: Iterable[_R], instant: Callable[[_R], datetime], tz: tzinfo | None) -> dict[date, list[_R]]:
    """Records keyed by the local day of `instant(record)`."""
    grouped: dict[date, list[_R]] = {}
    for record in records:
        grouped.setdefault(to_local(instant(record), tz).date(), []).append(record)
    return grouped


def outcome_counts(prompts: Iterable[PromptRecord]) -> dict[str, int]:
    counts = {"done": 0, "skipped": 0, "missed": 0, "natural": 0, "paused": 0, "open": 0}
    for prompt in prompts:
        counts[prompt.outcome.value if prompt.outcome is not None else "open"] += 1
    return counts


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _iso(instant: datetime | None) -> str | None:
    return instant.astimezone(timezone.utc).isoformat() if instant is not None else None
