"""A few days of real history in a STANDUP_HOME: the service and store driven by a fake clock.

Each day the app starts at 08:55 local, prompts every hour of 09:00–18:00, and the user answers
in a pattern of its own each day: done, snoozed then done, skipped, walked away (a natural break),
left unanswered (missed), a long lunch pause, a break of their own. The app stops at 18:05.
What the user did each day is returned, counted by the script, for the report to be checked against.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

from standup.adapters.store import Store
from standup.app import build_planner
from standup.core.planner import Planner
from standup.core.settings import Settings, parse_settings
from standup.service.reminders import ReminderService
from tests.fakes import FakeClock

CONFIG = """\
work_hours = "09:00-18:00"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""
# How each day's prompts were answered, oldest day first; the last is today's.
DAYS = (
    ("done", "done", "skipped", "done", "missed", "done", "natural", "done", "done"),
    ("snoozed-done", "natural", "done", "done", "done", "skipped", "skipped", "done", "done"),
    ("done", "missed", "snoozed-done", "paused", "natural", "skipped", "done+own", "done", "done"),
    ("snoozed-done", "done", "natural", "done", "skipped", "done", "done", "done", "done"),
)


def fixed_zone(posix_tz: str) -> tzinfo:
    """The fixed-offset zone a POSIX TZ like tests.processes.noon_tz()'s 'NOON-3' (UTC+3) names."""
    offset = -int(posix_tz.removeprefix("NOON"))
    return timezone(timedelta(hours=offset))


def write_history(home: Path, tz: tzinfo, today: date, days: int, until: time) -> dict[date, Counter[str]]:
    """`days` days of use ending on `today` (stopped at `until` local, while the day goes on);
    returns, per day, how its prompts ended and its breaks of one's own, as the script answered."""
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    settings = parse_settings(CONFIG, "config.toml")
    planner = build_planner(None, settings, tz, lambda warning: None)
    store = Store.open(home / "standup.db")
    per_day: dict[date, Counter[str]] = {}
    try:
        for back in range(days - 1, 0, -1):
            day = today - timedelta(days=back)
            earlier = DAYS[(days - 1 - back) % (len(DAYS) - 1)]
            per_day[day] = _one_day(store, settings, planner, tz, day, time(18, 5), earlier)
        per_day[today] = _one_day(store, settings, planner, tz, today, until, DAYS[-1])
    finally:
        store.close()
    return per_day


def _one_day(store: Store, settings: Settings, planner: Planner, tz: tzinfo, day: date, end: time,
             answers: tuple[str, ...]) -> Counter[str]:
    clock = FakeClock(datetime.combine(day, time(8, 55), tz), tz)
    service = ReminderService(clock, store, settings, planner.suggest_hook(store.prompts_between))
    service.start()
    stop_at = datetime.combine(day, end, tz)
    counts: Counter[str] = Counter()
    answered: set[int] = set()

    def advance(to: datetime) -> None:
        while (due := service.next_decision_at()) is not None and due <= to:
            clock.set(max(due, clock.now()))
            service.tick()
        clock.set(max(to, clock.now()))

    while (due := service.next_decision_at()) is not None and due <= stop_at:
        advance(due)
        view = service.status().open_prompt
        if view is None or view.id in answered:
            continue
        answered.add(view.id)
        answer = answers[(len(answered) - 1) % len(answers)]
        advance(clock.now() + timedelta(minutes=2))
        still_open = service.status().open_prompt
        if still_open is None or still_open.id != view.id:  # work ended meanwhile: nobody answered in time
            counts["missed"] += 1
            continue
        if answer == "done":
            service.done()
        elif answer == "snoozed-done":
            service.snooze()
            advance(clock.now() + timedelta(minutes=settings.snooze_minutes + 1))
            service.done()
            counts["snoozes"] += 1
            answer = "done"
        elif answer == "skipped":
            service.skip()
        elif answer == "paused":
            service.pause(minutes=120)  # a long lunch: the open prompt is set aside as paused
        elif answer == "natural":
            service.user_away(clock.now())
            advance(clock.now() + timedelta(minutes=settings.break_minutes + 3))
            service.user_back(clock.now())
        elif answer == "done+own":
            service.done()
            advance(clock.now() + timedelta(minutes=25))  # up for a coffee before the next prompt
            service.done()
            counts["self_breaks"] += 1
            answer = "done"
        counts[answer] += 1
    advance(stop_at)
    if end >= time(18, 0):
        service.stop()
    return counts
