"""Write five years of realistic standup history through the real Store (deterministic seed).

    .venv/bin/python bench/generate_history.py [--home bench/results/history] [--years 5] [--seed 5]

The simulated user works 07:30-18:30 Monday to Friday with a Pomodoro-like 25-minute interval
(about 20 prompts a day: five years come to about 23,000 prompts and 61,000 events), takes ~25 days
off a year, answers most prompts, snoozes some, skips or misses a few, walks away now and then (natural breaks), takes breaks of
their own, pauses for lunch meetings and closes the laptop (suspend). The folder gets a config.toml
with those settings, so `STANDUP_HOME=<folder> standup summary` reads it like a real install.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from standup.core.model import EventKind, Outcome, Suggestion
from standup.adapters.paths import resolve_paths
from standup.adapters.store import Store, utc_text

CONFIG = """\
interval_minutes = 25
break_minutes = 5
work_hours = "07:30-18:30"
workdays = ["mon", "tue", "wed", "thu", "fri"]
daily_squat_goal = 100
"""
INTERVAL = timedelta(minutes=25)
ROUTINES = (
    Suggestion("chair-squats", "Chair squats", sets=2, reps=10, minutes=3, squats=20),
    Suggestion("split-squats", "Split squats", sets=2, reps=8, minutes=4, squats=16),
    Suggestion("calf-raises", "Calf raises", sets=2, reps=15, minutes=2),
    Suggestion("wall-sit", "Wall sit", sets=2, seconds=30, minutes=2),
    Suggestion("march", "March in place", seconds=90, minutes=2),
    Suggestion("hip-flexor-stretch", "Hip flexor stretch", sets=2, seconds=30, minutes=2),
)


class Simulator:
    def __init__(self, store: Store, rng: random.Random, tz: ZoneInfo) -> None:
        self.store, self.rng, self.tz = store, rng, tz
        self.prompts = 0
        self.events = 0

    def at(self, day: date, minute: float) -> datetime:
        local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
        return local.replace(tzinfo=self.tz).astimezone(timezone.utc)

    def event(self, instant: datetime, kind: EventKind, prompt_id: int | None = None,
              data: dict[str, object] | None = None) -> None:
        self.store.add_event(instant, kind, prompt_id, data)
        self.events += 1

    def workday(self, day: date) -> None:
        rng = self.rng
        start = self.at(day, 7 * 60 + 30 - rng.uniform(0, 25))
        end = self.at(day, 18 * 60 + 30)
        self.event(start, EventKind.STARTED)
        sitting_since = max(start, self.at(day, 7 * 60 + 30))
        lunch_pause = rng.random() < 0.15
        now = sitting_since
        while True:
            due = sitting_since + INTERVAL
            if rng.random() < 0.04:  # a break of one's own before the prompt
                own = sitting_since + timedelta(minutes=rng.uniform(10, 24))
                self.event(own, EventKind.SELF_BREAK)
                sitting_since = own
                continue
            if lunch_pause and self.at(day, 12 * 60) <= due < self.at(day, 13 * 60 + 30):
                paused = self.at(day, 12 * 60 + rng.uniform(0, 10))
                until = paused + timedelta(minutes=60)
                self.event(paused, EventKind.PAUSED, data={"until": utc_text(until), "minutes": 60})
                self.event(until, EventKind.RESUMED, data={"automatic": True})
                sitting_since, lunch_pause = until, False
                continue
            if due >= end:
                break
            now = self.prompt(due, rng.choice(ROUTINES), end)
            sitting_since = now
        if rng.random() < 0.1:  # the laptop slept over a long meeting
            wake = self.at(day, 15 * 60 + rng.uniform(0, 60))
            self.event(wake, EventKind.SUSPENDED, data={"seconds": round(rng.uniform(600, 2400), 1)})
        self.event(max(end, now) + timedelta(minutes=rng.uniform(1, 20)), EventKind.STOPPED)

    def prompt(self, due: datetime, suggestion: Suggestion, end: datetime) -> datetime:
        """Open a prompt at `due`, answer it; returns when the sitting clock restarts."""
        rng = self.rng
        record = self.store.add_prompt(due, suggestion)
        self.prompts += 1
        self.events += 1
        roll = rng.random()
        answered = due + timedelta(minutes=rng.uniform(0.5, 4))
        if roll < 0.16:  # snoozed once or twice, then usually done
            snoozes = 1 if rng.random() < 0.8 else 2
            shown = due
            for _ in range(snoozes):
                snoozed = shown + timedelta(minutes=rng.uniform(0.2, 2))
                until = snoozed + timedelta(minutes=10)
                self.event(snoozed, EventKind.SNOOZED, record.id, {"minutes": 10, "until": utc_text(until)})
                self.event(until, EventKind.RESHOWN, record.id, {"after": "snooze"})
                shown = until
            answered = shown + timedelta(minutes=rng.uniform(0.5, 3))
            outcome = Outcome.DONE if rng.random() < 0.75 else Outcome.SKIPPED
        elif roll < 0.74:
            outcome = Outcome.DONE
        elif roll < 0.84:
            outcome = Outcome.SKIPPED
        elif roll < 0.91:
            outcome = Outcome.MISSED
        else:
            outcome = Outcome.NATURAL
        if outcome is Outcome.MISSED:
            reminder = due + INTERVAL / 2
            self.event(reminder, EventKind.RESHOWN, record.id, {"after": "reminder"})
            answered = min(due + INTERVAL, end)
            self.store.close_prompt(record.id, outcome, answered)
            self.events += 1
            return answered
        if outcome is Outcome.NATURAL:
            away_from = due - timedelta(minutes=rng.uniform(0, 3))
            back_at = due + timedelta(minutes=rng.uniform(6, 45))
            self.store.close_prompt(record.id, outcome, back_at,
                                    {"away_from": utc_text(away_from), "back_at": utc_text(back_at)})
            self.events += 1
            return back_at
        self.store.close_prompt(record.id, outcome, answered)
        self.events += 1
        if outcome is Outcome.SKIPPED:
            return due  # the next prompt comes one interval after this one
        return answered


def generate(home: Path, years: int, seed: int, last_day: date, tz: ZoneInfo) -> tuple[int, int]:
    home.mkdir(parents=True, exist_ok=True)
    paths = resolve_paths({"STANDUP_HOME": str(home)})
    if paths.database.exists():
        raise SystemExit(f"{paths.database} exists; remove the folder first")
    paths.config_file.write_text(CONFIG, encoding="utf-8")
    rng = random.Random(seed)
    store = Store.open(paths.database)
    simulator = Simulator(store, rng, tz)
    first_day = last_day - timedelta(days=round(365.25 * years) - 1)
    holidays = _holidays(rng, first_day, last_day)
    day = first_day
    while day <= last_day:
        if day.weekday() < 5 and day not in holidays:
            simulator.workday(day)
        elif rng.random() < 0.05:  # a weekend walk logged by hand
            simulator.event(simulator.at(day, rng.uniform(10 * 60, 17 * 60)), EventKind.SELF_BREAK)
        day += timedelta(days=1)
    store.close()
    return simulator.prompts, simulator.events


def _holidays(rng: random.Random, first: date, last: date) -> set[date]:
    """About 25 workdays off a year: a two-week summer holiday, a week at new year, single days."""
    off: set[date] = set()
    for year in range(first.year, last.year + 1):
        summer = date(year, 7, 1) + timedelta(days=rng.randrange(0, 45))
        off.update(summer + timedelta(days=n) for n in range(14))
        off.update(date(year, 12, 24) + timedelta(days=n) for n in range(9))
        for _ in range(8):
            off.add(date(year, 1, 1) + timedelta(days=rng.randrange(0, 365)))
    return off


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(__file__).parent / "results" / "history")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--last-day", type=date.fromisoformat, default=date(2026, 11, 20))
    parser.add_argument("--tz", default="Europe/Berlin")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    prompts, events = generate(args.home, args.years, args.seed, args.last_day, ZoneInfo(args.tz))
    print(f"{args.home}: {prompts} prompts, {events} events in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
