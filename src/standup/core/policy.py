"""When reminders happen: work windows, the next prompt's due time, a prompt's expiry and re-show.

Pure functions of the settings, the local time zone and the instants they are given. Instants are
aware UTC datetimes; wall-clock rules (work hours, the clock grid) are applied in local time, so a
DST day keeps its 09:00-18:00 window. `tz` is a tzinfo, or None for the system's local zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo

from standup.core.settings import Settings

# How far ahead to look for the next work window (a week covers any workday set).
_SEARCH_DAYS = 8


def to_local(instant: datetime, tz: tzinfo | None) -> datetime:
    """An aware instant in local time."""
    return instant.astimezone(tz) if tz is not None else instant.astimezone()


def local_to_utc(naive_local: datetime, tz: tzinfo | None) -> datetime:
    """A naive local wall-clock time as an aware UTC instant."""
    if tz is None:
        return naive_local.astimezone(timezone.utc)
    return naive_local.replace(tzinfo=tz).astimezone(timezone.utc)


def day_bounds_utc(day: date, tz: tzinfo | None) -> tuple[datetime, datetime]:
    """[start, end) of a local day in UTC; 23 or 25 hours long on DST days."""
    midnight = datetime.combine(day, time())
    return local_to_utc(midnight, tz), local_to_utc(midnight + timedelta(days=1), tz)


def local_day(instant: datetime, tz: tzinfo | None) -> date:
    return to_local(instant, tz).date()


def work_window(day: date, settings: Settings, tz: tzinfo | None) -> tuple[datetime, datetime] | None:
    """The day's work hours as UTC instants [start, end), or None on a day off."""
    if day.weekday() not in settings.workdays:
        return None
    midnight = datetime.combine(day, time())
    start = local_to_utc(midnight + timedelta(minutes=settings.work_start_minute), tz)
    end = local_to_utc(midnight + timedelta(minutes=settings.work_end_minute), tz)
    return start, end


def window_at(instant: datetime, settings: Settings, tz: tzinfo | None) -> tuple[datetime, datetime] | None:
    """The work window containing `instant`, if any.

    Days whose work hours meet at midnight (until 24:00, then from 00:00) make one window: the
    work does not end at midnight, so neither does a prompt or the sitting clock.
    """
    day = local_day(instant, tz)
    window = work_window(day, settings, tz)
    if not (window and window[0] <= instant < window[1]):
        return None
    start, end = window
    for offset in range(1, _SEARCH_DAYS):
        before = work_window(day - timedelta(days=offset), settings, tz)
        if before is None or before[1] != start:
            break
        start = before[0]
    for later in windows_from(instant, settings, tz)[:1]:
        end = later[1]
    return start, end


def windows_from(instant: datetime, settings: Settings, tz: tzinfo | None) -> list[tuple[datetime, datetime]]:
    """Work windows that end after `instant`, in order, over the next week; windows that meet at
    midnight are joined into one."""
    first = local_day(instant, tz)
    found: list[tuple[datetime, datetime]] = []
    for offset in range(_SEARCH_DAYS):
        window = work_window(first + timedelta(days=offset), settings, tz)
        if window is None:
            continue
        if found and found[-1][1] == window[0]:
            found[-1] = (found[-1][0], window[1])
        else:
            found.append(window)
    return [window for window in found if window[1] > instant]


def in_work_hours(instant: datetime, settings: Settings, tz: tzinfo | None) -> bool:
    return window_at(instant, settings, tz) is not None


def next_prompt_due(
    sitting_since: datetime,
    settings: Settings,
    tz: tzinfo | None,
    not_before: datetime | None = None,
) -> datetime | None:
    """When the sitting clock next reaches the interval inside work hours (None: no workdays).

    The sitting clock never counts time outside work hours: the first prompt of a day comes one
    interval after work starts. `not_before` (now, a pause's end, the end of a skipped prompt)
    only delays: a prompt that came due earlier fires at `not_before` if that is inside the same
    work window, and otherwise in the next window.
    """
    floor = max(sitting_since, not_before) if not_before else sitting_since
    for start, end in windows_from(floor, settings, tz):
        due = _due_from(max(sitting_since, start), settings, tz)
        if not_before is not None and due < not_before:
            if not start <= not_before < end:
                due = _due_from(max(not_before, start), settings, tz)
            else:
                due = not_before
        if due < end:
            return due
    return None


def next_prompt_after(
    now: datetime,
    sitting_since: datetime,
    settings: Settings,
    tz: tzinfo | None,
    *,
    paused_until: datetime | None = None,
    asked_until: datetime | None = None,
) -> datetime | None:
    """When the next prompt comes, seen from `now`: not during a pause, and after a skip or a miss
    (`asked_until`: when the skipped or missed prompt ended) not before that ended."""
    floor = max([now, *(d for d in (paused_until, asked_until) if d is not None)])
    due = next_prompt_due(sitting_since, settings, tz, floor)
    if asked_until is not None and due is not None and due > floor:
        # A missed or skipped prompt proves the interval was sat. After a clock step back the sitting
        # clock can start before work did and count from the window's start; the next prompt still
        # comes when the skipped or missed one ended, if that is in this work window.
        window = window_at(floor, settings, tz)
        if window is not None and window[0] <= asked_until:
            return floor
    return due


def _due_from(origin: datetime, settings: Settings, tz: tzinfo | None) -> datetime:
    interval = timedelta(minutes=settings.interval_minutes)
    if not settings.align_to_clock:
        return origin + interval
    # On the clock grid (every :00 for a 60-minute interval), a grid point counts once at least
    # half an interval of sitting has passed, so answering a 10:00 prompt at 10:05 still gets 11:00.
    earliest = to_local(origin + interval / 2, tz).replace(tzinfo=None)
    midnight = datetime.combine(earliest.date(), time())
    minutes = (earliest - midnight).total_seconds() / 60
    steps = -(-minutes // settings.interval_minutes)  # ceiling
    return local_to_utc(midnight + timedelta(minutes=steps * settings.interval_minutes), tz)


def prompt_expiry(
    prompted_at: datetime,
    last_shown_at: datetime,
    snoozed_until: datetime | None,
    settings: Settings,
    tz: tzinfo | None,
) -> datetime:
    """When an unanswered prompt counts as missed: the next prompt is due, or work hours end.

    The next prompt is due one interval after the prompt was last shown (or after its snooze
    ends); a prompt opened inside work hours also ends with them.
    """
    anchor = snoozed_until if snoozed_until is not None else last_shown_at
    expiry = anchor + timedelta(minutes=settings.interval_minutes)
    window = window_at(prompted_at, settings, tz)
    return min(expiry, window[1]) if window else expiry


def reminder_at(last_shown_at: datetime, settings: Settings) -> datetime:
    """When an unanswered, unsnoozed prompt is shown once more: half an interval after it was shown."""
    return last_shown_at + timedelta(minutes=settings.interval_minutes) / 2


def expected_prompt_times(day: date, settings: Settings, tz: tzinfo | None) -> list[datetime]:
    """The day's prompts if every break is taken when asked: one per interval after work starts."""
    window = work_window(day, settings, tz)
    if window is None:
        return []
    start, end = window
    times = []
    due = _due_from(start, settings, tz)
    while due < end:
        times.append(due)
        due = _due_from(due, settings, tz)
    return times


def start_of_tomorrow(now: datetime, tz: tzinfo | None) -> datetime:
    """Local midnight after `now`, in UTC (the end of "pause until tomorrow")."""
    return day_bounds_utc(local_day(now, tz), tz)[1]
