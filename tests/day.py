"""A scripted day: the real service and store driven by a fake clock the way the runner drives it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from standup.service.evening import EveningNote
from standup.service.reminders import ReminderService
from standup.core.settings import Settings
from standup.adapters.store import Store
from tests.fakes import BERLIN, FakeClock, Recorder, local_start


class Day:
    """`day.until("10:00")` lets time pass to 10:00, ticking at every decision point on the way."""

    def __init__(self, tmp_path: Path, start: str = "2026-11-23 09:00", settings: Settings | None = None,
                 tz=BERLIN, suggest=None) -> None:  # noqa: ANN001
        day, hhmm = start.split()
        self.path = tmp_path / "standup.db"
        self.clock = FakeClock(local_start(day, hhmm, tz), tz)
        self.settings = settings or Settings()
        self.suggest = suggest
        self.store = Store.open(self.path)
        self.seen = Recorder(self.clock)
        self.service = self._new_service()
        self.service.start()

    def _new_service(self) -> ReminderService:
        service = ReminderService(self.clock, self.store, self.settings, self.suggest)
        service.subscribe(self.seen)
        self.evening = EveningNote(self.store, self.settings, self.clock.tz)  # add_reader() to hear it
        service.subscribe(self.evening)
        return service

    def restart(self) -> None:
        """The app died (no clean stop) and starts again on the same log."""
        self.store.close()
        self.store = Store.open(self.path)
        self.service = self._new_service()
        self.service.start()

    def until(self, hhmm: str, day: str | None = None) -> None:
        target = self.clock.at(hhmm, date.fromisoformat(day) if day else None)
        self.until_instant(target)

    def until_instant(self, target) -> None:  # noqa: ANN001
        for _ in range(100_000):
            due = self.service.next_decision_at()
            if due is None or due > target:
                break
            self.clock.set(max(due, self.clock.now()))
            self.service.tick()
        else:
            raise AssertionError("the service never stopped asking for decisions: a stall")
        if target > self.clock.now():
            self.clock.set(target)

    def minutes(self, minutes: float) -> None:
        self.until_instant(self.clock.now() + timedelta(minutes=minutes))

    def log(self, day: str | None = None) -> list[tuple[str, str | None]]:
        """(local HH:MM prompted, outcome) for the day's prompts."""
        local_day = date.fromisoformat(day) if day else self.clock.local().date()
        start = self.clock.at("00:00", local_day)
        records = self.store.prompts_between(start, start + timedelta(days=1, hours=1))
        return [
            (r.prompted_at.astimezone(self.clock.tz).strftime("%H:%M"), r.outcome.value if r.outcome else None)
            for r in records
            if r.prompted_at.astimezone(self.clock.tz).date() == local_day
        ]


def settings(**changes: object) -> Settings:
    return replace(Settings(), **changes)  # type: ignore[arg-type]
