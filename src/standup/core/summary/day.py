"""The figures of one local day: counts, movements, the longest sitting stretch, the hour timeline.

Definitions: the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from standup.core.breaks import away_span, event_instant
from standup.core.dose import dose_text
from standup.core.model import EventKind, EventRecord, Outcome, PromptRecord, Suggestion
from standup.core.policy import day_bounds_utc, to_local, work_window
from standup.core.settings import Settings
from standup.core.summary.figures import (
    DayStatus,
    DaySummary,
    ExerciseTotal,
    HourSlot,
    HourState,
    compliance,
    outcome_counts,
)
from standup.core.summary.goals import goal_status, goals_met

_HOUR = timedelta(hours=1)


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
    up to it; a day after `now` is "coming", one before it "past" (so is every day when `now` is
    None). `squat_goal` is the day's goal (the planner's); None means the settings' daily goal on a
    workday and 0 on a day off.
    """
    day_start, day_end = day_bounds_utc(day, tz)
    day_prompts = sorted((p for p in prompts if day_start <= p.prompted_at < day_end), key=lambda p: p.prompted_at)
    day_events = sorted((e for e in events if day_start <= e.at < day_end), key=lambda e: (e.at, e.id))
    window = work_window(day, settings, tz)
    workday = window is not None
    goal = squat_goal if squat_goal is not None else (settings.daily_squat_goal if workday else 0)
    in_progress = now is not None and day_start <= now < day_end
    if now is not None and now < day_start:
        day_status = DayStatus.COMING
    else:
        day_status = DayStatus.TODAY if in_progress else DayStatus.PAST
    observed_until = min(max(now, day_start), day_end) if now is not None else day_end

    counts = outcome_counts(day_prompts)
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
        goals_met=goals_met(day_compliance, squats_done, goal),
        timeline=timeline,
        streak_days=streak_days,
        status=day_status,
        paused=counts["paused"],
    )


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
                start, end = away_span(event, settings.break_minutes)
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


def _exercise_totals(prompts: Iterable[PromptRecord], events: Iterable[EventRecord]) -> tuple[ExerciseTotal, ...]:
    events = list(events)
    shown = {e.prompt_id: Suggestion.from_json(e.data.get("suggestion")) for e in events if e.kind is EventKind.PROMPTED}
    # the break window counts the sets actually completed, which may be fewer than suggested
    completed = {e.prompt_id: counted for e in events
                 if e.kind is EventKind.DONE and isinstance(counted := e.data.get("sets_completed"), int)}
    totals: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    doses: dict[str, list[str]] = {}
    for prompt in prompts:
        if prompt.outcome is not Outcome.DONE or not prompt.routine:
            continue
        suggestion = shown.get(prompt.id)
        labels[prompt.routine] = (suggestion.name if suggestion else None) or labels.get(prompt.routine) or prompt.routine
        sets = prompt.sets or 1
        # the dose as the prompt showed it; a prompt the log kept no suggestion for, from its numbers
        doses.setdefault(prompt.routine, []).append(
            suggestion.dose if suggestion else dose_text(sets, prompt.reps, prompt.seconds)
        )
        sets = completed.get(prompt.id, sets)  # what was done, when the break window counted it
        row = totals.setdefault(prompt.routine, [0, 0, 0, 0])
        row[0] += 1
        row[1] += sets
        row[2] += sets * (prompt.reps or 0)
        row[3] += sets * (prompt.seconds or 0)
    return tuple(
        ExerciseTotal(routine, labels[routine], breaks, sets, reps, seconds, doses=tuple(doses[routine]))
        for routine, (breaks, sets, reps, seconds) in sorted(totals.items())
    )


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
            until = event_instant(event, "until")
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
        outcomes = outcome_counts(in_slot)
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


def _whole_minutes(seconds: float) -> int:
    """Seconds to whole minutes, halves rounded up."""
    return int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))
