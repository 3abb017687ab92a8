"""Hand-written fakes for tests: a clock you advance, and a recorder of service events."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from standup.service.ports import Listener

BERLIN = ZoneInfo("Europe/Berlin")


class FakeClock:
    """A clock that moves only when told. Wall, monotonic and boot time move together unless
    the test suspends the machine (wall + boot) or steps the wall clock (wall only)."""

    def __init__(self, start: datetime, tz: tzinfo | None = BERLIN) -> None:
        self.tz = tz
        self._wall = start.astimezone(timezone.utc)
        self._monotonic = 1000.0
        self._boot = 1000.0

    def now(self) -> datetime:
        return self._wall

    def monotonic(self) -> float:
        return self._monotonic

    def boottime(self) -> float:
        return self._boot

    def advance(self, *, hours: float = 0, minutes: float = 0, seconds: float = 0) -> None:
        delta = timedelta(hours=hours, minutes=minutes, seconds=seconds)
        self._wall += delta
        self._monotonic += delta.total_seconds()
        self._boot += delta.total_seconds()

    def set(self, instant: datetime) -> None:
        """Move forward to `instant` as time passing normally."""
        self.advance(seconds=(instant - self._wall).total_seconds())

    def suspend(self, *, hours: float = 0, minutes: float = 0) -> None:
        delta = timedelta(hours=hours, minutes=minutes)
        self._wall += delta
        self._boot += delta.total_seconds()

    def step(self, *, hours: float = 0, minutes: float = 0) -> None:
        self._wall += timedelta(hours=hours, minutes=minutes)

    def local(self) -> datetime:
        return self._wall.astimezone(self.tz)

    def at(self, hhmm: str, day: date | None = None) -> datetime:
        """An instant at local `hhmm` on `day` (default: the clock's local day)."""
        day = day or self.local().date()
        hour, minute = (int(part) for part in hhmm.split(":"))
        return datetime.combine(day, time(hour, minute), self.tz).astimezone(timezone.utc)


def local_start(day: str, hhmm: str, tz: tzinfo = BERLIN) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tz)


class Recorder(Listener):
    """A service listener that remembers what it was told, as local HH:MM strings."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.shown: list[tuple[str, int, bool]] = []  # (HH:MM, prompt id, reshown)
        self.closed: list[tuple[str, int, str]] = []  # (HH:MM, prompt id, outcome)
        self.states: list[str] = []

    def _hhmm(self) -> str:
        return self.clock.local().strftime("%H:%M")

    def prompt_shown(self, view) -> None:  # noqa: ANN001
        self.shown.append((self._hhmm(), view.id, view.reshown))

    def prompt_closed(self, view, outcome) -> None:  # noqa: ANN001
        self.closed.append((self._hhmm(), view.id, outcome.value))

    def state_changed(self, status) -> None:  # noqa: ANN001
        self.states.append(status.state.value)

    def prompt_times(self) -> list[str]:
        """Local times of new prompts (not re-shows)."""
        return [at for at, _, reshown in self.shown if not reshown]
