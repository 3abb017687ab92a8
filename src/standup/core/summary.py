"""Day, week and month figures computed from the log's records.

Pure: standard library only, no clock, no I/O. Every function receives the records, the settings,
the local zone (`tz`, a tzinfo or None for the system zone) and, where "so far today" matters,
`now`. Days are local calendar days: a DST day has 23 or 25 hours.

Definitions (docs/summary.md repeats them for users):

- prompts/done/skipped/missed/natural/open: prompts whose `prompted_at` falls on the day, counted
  by outcome (open = no outcome yet). snoozes: the sum of those prompts' snoozes.
- compliance = (done + natural) / (done + natural + skipped + missed); open prompts are left out;
  None when no prompt of the day has ended.
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
- goal: a day meets it when compliance >= 0.75 or (the squat goal is above 0 and the squats done
  reach it). Days off, days with no ended prompt and the day still in progress neither break nor
  extend a streak unless they meet the goal; streak_days counts the days meeting the goal back from
  the day, stopping at the first day that does not.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import TypeVar

from standup.core.model import EventKind, EventRecord, Outcome, PromptRecord
from standup.core.policy import day_bounds_utc, to_local, work_window
from standup.core.settings import Settings

GOAL_COMPLIANCE = 0.75

_HOUR = timedelta(hours=1)

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
            "workday": self.workday,
            "in_progress": self.in_progress,
            "prompts": self.prompts,
            "done": self.done,
            "skipped": self.skipped,
            "missed": self.missed,
            "natural": self.natural,
            "open": self.open,
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
                {"routine": e.routine, "name": e.name, "breaks": e.breaks, "sets": e.sets, "reps": e.reps, "seconds": e.seconds}
                for e in self.exercises
            ],
            "goal_met": self.goal is GoalStatus.MET,
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
    """A week or a month: the same figures per day, and their totals."""

    kind: str  # "week" or "month"
    first_day: date
    last_day: date
    days: tuple[DaySummary, ...]
    streak_days: int = 0

    def _sum(self, name: str) -> int:
        return sum(getattr(day, name) for day in self.days)

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
        return max((day.longest_sitting_minutes for day in self.days), default=0)

    @property
    def days_meeting_goal(self) -> int:
        return sum(1 for day in self.days if day.goal is GoalStatus.MET)

    def as_json(self, requested: date) -> dict[str, object]:
        """The `standup summary --week/--month --json` contract: totals on top, then each day."""
        return {
            "date": requested.isoformat(),
            "period": self.kind,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "prompts": self.prompts,
            "done": self.done,
            "skipped": self.skipped,
            "missed": self.missed,
            "natural": self.natural,
            "open": self._sum("open"),
            "snoozes": self._sum("snoozes"),
            "self_breaks": self._sum("self_breaks"),
            "natural_breaks": self._sum("natural_breaks"),
            "compliance": _rounded(self.compliance),
            "moved_minutes": self._sum("moved_minutes"),
            "stand_hours": self._sum("stand_hours"),
            "work_hour_slots": self._sum("work_hour_slots"),
            "longest_sitting_minutes": self.longest_sitting_minutes,
            "squats": {"done": self._sum("squats_done"), "goal": self._sum("squat_goal")},
            "days_meeting_goal": self.days_meeting_goal,
            "streak_days": self.streak_days,
            "days": [day.as_json() for day in self.days],
        }


def compliance(done: int, skipped: int, missed: int, natural: int) -> float | None:
    """(done + natural) / ended prompts; None when none ended."""
    ended = done + skipped + missed + natural
    return (done + natural) / ended if ended else None


def summarize_day(
    day: date,
    prompts: Iterable[PromptRecord],
    events: Iterable[EventRecord],
    settings: Settings,
    tz: tzinfo | None,
    *,
    now: datetime | None = None,
    squat_goal: int | None = None,
    streak_days: int = 0,
) -> DaySummary:
    """The figures of local `day`. Records outside the day are ignored, so a superset may be passed.

    `now` (aware) marks the day in progress: hours after it are "future" and sitting is measured
    up to it. `squat_goal` is the day's goal (the planner's); None means the settings' daily goal
    on a workday and 0 on a day off.
    """
    day_start, day_end = day_bounds_utc(day, tz)
    day_prompts = sorted((p for p in prompts if day_start <= p.prompted_at < day_end), key=lambda p: p.prompted_at)
    day_events = sorted((e for e in events if day_start <= e.at < day_end), key=lambda e: (e.at, e.id))
    window = work_window(day, settings, tz)
    workday = window is not None
    goal = squat_goal if squat_goal is not None else (settings.daily_squat_goal if workday else 0)
    in_progress = now is not None and day_start <= now < day_end
    observed_until = min(max(now, day_start), day_end) if now is not None else day_end

    counts = _outcome_counts(day_prompts)
    squats_done = sum(p.squats for p in day_prompts if p.outcome is Outcome.DONE)
    movement = _Movements.from_events(day_events, settings, day_start, day_end)
    blocked = _blocked_intervals(day_prompts, day_events, day_start, day_end)
    blocked.append((observed_until, day_end))

    moved_seconds = 60.0 * settings.break_minutes * len(movement.points)
    clip_start, clip_end = window if window is not None else (day_start, day_end)
    for start, end in movement.spans:
        moved_seconds += max(0.0, (min(end, clip_end) - max(start, clip_start)).total_seconds())

    longest: tuple[float, datetime | None, datetime | None] = (0.0, None, None)
    if window is not None:
        sit_start, sit_end = window[0], min(window[1], observed_until)
        longest = _longest_sitting(sit_start, sit_end, blocked + movement.spans, movement.points)

    timeline = _timeline(day_start, day_end, window, day_prompts, day_events, movement, blocked, now, tz)
    day_compliance = compliance(counts["done"], counts["skipped"], counts["missed"], counts["natural"])
    # A day not over yet (today, or a later day) cannot break a streak.
    status = goal_status(day_compliance, squats_done, goal, workday=workday, in_progress=now is not None and now < day_end)
    return DaySummary(
        date=day,
        workday=workday,
        in_progress=in_progress,
        prompts=len(day_prompts),
        done=counts["done"],
        skipped=counts["skipped"],
        missed=counts["missed"],
        natural=counts["natural"],
        open=counts["open"],
        snoozes=sum(p.snoozes for p in day_prompts),
        self_breaks=sum(1 for e in day_events if e.kind is EventKind.SELF_BREAK),
        natural_breaks=sum(1 for e in day_events if e.kind is EventKind.NATURAL),
        compliance=day_compliance,
        moved_minutes=_whole_minutes(moved_seconds),
        stand_hours=sum(1 for slot in timeline if slot.stand),
        work_hour_slots=sum(1 for slot in timeline if slot.work),
        longest_sitting_minutes=_whole_minutes(longest[0]),
        longest_sitting_from=longest[1],
        longest_sitting_to=longest[2],
        exercises=_exercise_totals(day_prompts, day_events),
        squats_done=squats_done,
        squat_goal=goal,
        goal=status,
        timeline=timeline,
        streak_days=streak_days,
    )


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


def group_by_day(records: Iterable[_R], instant: Callable[[_R], datetime], tz: tzinfo | None) -> dict[date, list[_R]]:
    """Records keyed by the local day of `instant(record)`."""
    grouped: dict[date, list[_R]] = {}
    for record in records:
        grouped.setdefault(to_local(instant(record), tz).date(), []).append(record)
    return grouped


def goal_status(
    day_compliance: float | None,
    squats_done: int,
    squat_goal: int,
    *,
    workday: bool,
    in_progress: bool,
) -> GoalStatus:
    """Whether a day meets the goal (see the module docstring), or does not count either way."""
    if (day_compliance is not None and day_compliance >= GOAL_COMPLIANCE) or (
        squat_goal > 0 and squats_done >= squat_goal
    ):
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
        counts = _outcome_counts(day_prompts)
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


# --- internals ---------------------------------------------------------------------------------

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class _Movements:
    points: list[datetime]  # done and self-break events
    spans: list[Interval]  # natural breaks' away spans, clipped to the day

    @classmethod
    def from_events(
        cls, events: Sequence[EventRecord], settings: Settings, day_start: datetime, day_end: datetime
    ) -> _Movements:
        points, spans = [], []
        for event in events:
            if event.kind in (EventKind.DONE, EventKind.SELF_BREAK):
                points.append(event.at)
            elif event.kind is EventKind.NATURAL:
                start = _data_instant(event, "away_from") or event.at - timedelta(minutes=settings.break_minutes)
                end = _data_instant(event, "back_at") or event.at
                start, end = max(start, day_start), min(end, day_end)
                spans.append((start, end) if end > start else (start, start))
        return cls(points, spans)

    def touches(self, low: datetime, high: datetime) -> bool:
        """Whether a movement falls in [low, high)."""
        if high <= low:
            return False
        return any(low <= p < high for p in self.points) or any(
            (s < high and e > low) if e > s else low <= s < high for s, e in self.spans
        )


def _outcome_counts(prompts: Iterable[PromptRecord]) -> dict[str, int]:
    counts = {"done": 0, "skipped": 0, "missed": 0, "natural": 0, "open": 0}
    for prompt in prompts:
        counts[prompt.outcome.value if prompt.outcome is not None else "open"] += 1
    return counts


def _exercise_totals(prompts: Iterable[PromptRecord], events: Iterable[EventRecord]) -> tuple[ExerciseTotal, ...]:
    names = {e.prompt_id: _shown_name(e.data) for e in events if e.kind is EventKind.PROMPTED}
    totals: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for prompt in prompts:
        if prompt.outcome is not Outcome.DONE or not prompt.routine:
            continue
        labels[prompt.routine] = names.get(prompt.id) or labels.get(prompt.routine) or prompt.routine
        sets = prompt.sets or 1
        row = totals.setdefault(prompt.routine, [0, 0, 0, 0])
        row[0] += 1
        row[1] += sets
        row[2] += sets * (prompt.reps or 0)
        row[3] += sets * (prompt.seconds or 0)
    return tuple(ExerciseTotal(routine, labels[routine], *row) for routine, row in sorted(totals.items()))


def _shown_name(data: dict[str, object]) -> str | None:
    suggestion = data.get("suggestion")
    name = suggestion.get("name") if isinstance(suggestion, dict) else None
    return name if isinstance(name, str) else None


def _blocked_intervals(
    prompts: Sequence[PromptRecord], events: Sequence[EventRecord], day_start: datetime, day_end: datetime
) -> list[Interval]:
    """Pauses, suspends and unobserved time (app not running), clipped to the day, as [start, end)."""
    if not prompts and not events:
        return [(day_start, day_end)]
    blocked: list[Interval] = []
    if events and events[0].kind is EventKind.STARTED and (not prompts or prompts[0].prompted_at >= events[0].at):
        blocked.append((day_start, events[0].at))
    blocked.extend(_pauses(events, day_end))
    for index, event in enumerate(events):
        if event.kind is EventKind.STOPPED:
            restart = next((e.at for e in events[index + 1 :] if e.kind is EventKind.STARTED), day_end)
            blocked.append((event.at, restart))
        elif event.kind is EventKind.SUSPENDED:
            seconds = event.data.get("seconds")
            if isinstance(seconds, (int, float)) and seconds > 0:
                blocked.append((max(day_start, event.at - timedelta(seconds=float(seconds))), event.at))
    return [(start, end) for start, end in blocked if end > start]


def _pauses(events: Sequence[EventRecord], day_end: datetime) -> list[Interval]:
    """Each pause from its event to the first of: resumed, stopped, its `until`, the day's end."""
    pauses = []
    for index, event in enumerate(events):
        if event.kind is EventKind.PAUSED:
            later = events[index + 1 :]
            ends = [e.at for e in later if e.kind in (EventKind.RESUMED, EventKind.STOPPED)][:1]
            until = _data_instant(event, "until")
            if until is not None:
                ends.append(until)
            pauses.append((event.at, min(min(ends, default=day_end), day_end)))
    return pauses


def _longest_sitting(
    start: datetime, end: datetime, blocked: Sequence[Interval], points: Sequence[datetime]
) -> tuple[float, datetime | None, datetime | None]:
    """The longest piece of [start, end) outside `blocked` and not crossing a point: (seconds, from, to)."""
    if end <= start:
        return 0.0, None, None
    cuts = sorted({p for p in points if start < p < end})
    free = _subtract([(start, end)], blocked)
    best: tuple[float, datetime | None, datetime | None] = (0.0, None, None)
    for low, high in free:
        edges = [low] + [c for c in cuts if low < c < high] + [high]
        for a, b in zip(edges, edges[1:], strict=False):
            length = (b - a).total_seconds()
            if length > best[0]:
                best = (length, a, b)
    return best


def _subtract(base: list[Interval], holes: Iterable[Interval]) -> list[Interval]:
    pieces = base
    for hole_start, hole_end in sorted(holes):
        if hole_end <= hole_start:
            continue
        next_pieces = []
        for low, high in pieces:
            if hole_end <= low or hole_start >= high:
                next_pieces.append((low, high))
                continue
            if hole_start > low:
                next_pieces.append((low, hole_start))
            if hole_end < high:
                next_pieces.append((hole_end, high))
        pieces = next_pieces
    return pieces


def _overlap(intervals: Iterable[Interval], low: datetime, high: datetime) -> float:
    """Seconds of [low, high) covered by `intervals` (merged first, so overlaps count once)."""
    covered = (high - low).total_seconds()
    remaining = _subtract([(low, high)], intervals)
    return covered - sum((b - a).total_seconds() for a, b in remaining)


def _timeline(
    day_start: datetime,
    day_end: datetime,
    window: Interval | None,
    prompts: Sequence[PromptRecord],
    events: Sequence[EventRecord],
    movement: _Movements,
    blocked: Sequence[Interval],
    now: datetime | None,
    tz: tzinfo | None,
) -> tuple[HourSlot, ...]:
    pauses = _pauses(events, day_end)
    not_sitting = list(blocked) + movement.spans
    slots = []
    # Whole UTC hours from local midnight are the local clock hours, across DST changes too.
    slot_start = day_start
    while slot_start < day_end:
        slot_end = min(slot_start + _HOUR, day_end)
        in_slot = [p for p in prompts if slot_start <= p.prompted_at < slot_end]
        outcomes = _outcome_counts(in_slot)
        self_breaks = sum(1 for e in events if e.kind is EventKind.SELF_BREAK and slot_start <= e.at < slot_end)
        work_low = max(slot_start, window[0]) if window else slot_end
        work_high = min(slot_end, window[1]) if window else slot_start
        work = work_high > work_low
        stand = work and movement.touches(work_low, work_high)
        if movement.touches(slot_start, slot_end):
            state = HourState.MOVED
        elif outcomes["skipped"] or outcomes["missed"]:
            state = HourState.MISSED
        elif now is not None and slot_start >= now:
            state = HourState.FUTURE
        elif not work:
            state = HourState.OFF
        else:
            paused = _overlap(pauses, work_low, work_high)
            unobserved = _overlap(blocked, work_low, work_high) - paused
            sitting = (work_high - work_low).total_seconds() - _overlap(not_sitting, work_low, work_high)
            if sitting > 0 and sitting >= max(paused, unobserved):
                state = HourState.SITTING
            elif paused > 0 and paused >= unobserved:
                state = HourState.PAUSED
            else:
                state = HourState.UNOBSERVED
        slots.append(
            HourSlot(
                start=to_local(slot_start, tz),
                end=to_local(slot_end, tz),
                work=work,
                state=state,
                stand=stand,
                prompts=len(in_slot),
                done=outcomes["done"],
                skipped=outcomes["skipped"],
                missed=outcomes["missed"],
                natural=outcomes["natural"],
                self_breaks=self_breaks,
            )
        )
        slot_start = slot_end
    return tuple(slots)


def _data_instant(event: EventRecord, key: str) -> datetime | None:
    value = event.data.get(key)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _whole_minutes(seconds: float) -> int:
    """Seconds to whole minutes, halves rounded up."""
    return int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _iso(instant: datetime | None) -> str | None:
    return instant.astimezone(timezone.utc).isoformat() if instant is not None else None
