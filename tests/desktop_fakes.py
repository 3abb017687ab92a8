"""Fakes for the desktop adapters' tests: a service that records calls and a settable status.

Shaped like `service.ReminderService` and its `Status`/`PromptView` (docs/architecture.md), and
small enough to read in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from standup.core.errors import NothingToAnswerError
from standup.core.model import State, Suggestion
from standup.service.views import Status, no_counts

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # a Monday, 10:00 in Berlin

SQUATS = Suggestion(
    routine_id="chair-squat",
    name="Chair squats",
    sets=3,
    reps=12,
    minutes=4,
    cue="Feet hip-width apart, sit back until you touch the chair <lightly> & stand tall.",
    squats=36,
)


@dataclass(frozen=True)
class View:
    id: int
    prompted_at: datetime
    suggestion: Suggestion | None = None
    snoozes: int = 0
    snoozed_until: datetime | None = None
    reshown: bool = False


_STATUS_ORDER = ("state", "now", "next_prompt_at", "sitting_since", "interval_minutes", "open_prompt", "paused_until")


def FakeStatus(*args: Any, **changes: Any) -> Status:  # noqa: N802 - stands where a status class stood
    """The service's own Status, sitting since T0 with an hourly interval, changed by `args` (in the
    order of Status's fields) and `changes`."""
    values: dict[str, Any] = {"state": State.SITTING, "now": T0, "next_prompt_at": T0 + timedelta(minutes=60),
                              "sitting_since": T0, "interval_minutes": 60, "open_prompt": None, "paused_until": None,
                              "today": no_counts()}
    values.update(zip(_STATUS_ORDER, args, strict=False))
    values.update(changes)
    return Status(**values)


@dataclass
class FakeService:
    """Records every call as (method, args); answers change the status the way the real one would."""

    current: Status = field(default_factory=FakeStatus)
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    listeners: list[Any] = field(default_factory=list)
    natural_breaks: str = "off: no idle detector"

    def subscribe(self, listener: Any) -> None:
        self.listeners.append(listener)

    def status(self) -> Status:
        return self.current

    def set(self, **changes: Any) -> None:
        self.current = replace(self.current, **changes)
        for listener in self.listeners:
            handler = getattr(listener, "state_changed", None)
            if handler:
                handler(self.current)

    def _record(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))

    def take_break(self) -> View:
        self._record("take_break")
        view = View(1, self.current.now, SQUATS)
        self.set(state=State.PROMPTING, open_prompt=view)
        return view

    def done(self) -> None:
        self._record("done")
        self.set(state=State.SITTING, open_prompt=None)

    def snooze(self, minutes: int | None = None) -> None:
        self._record("snooze", minutes)
        if self.current.open_prompt is None:
            raise NothingToAnswerError("there is no open prompt to snooze")

    def skip(self) -> None:
        self._record("skip")
        if self.current.open_prompt is None:
            raise NothingToAnswerError("there is no open prompt to skip")
        self.set(state=State.SITTING, open_prompt=None)

    def pause(self, minutes: int | None = None, until_tomorrow: bool = False) -> None:
        self._record("pause", minutes, until_tomorrow)

    def resume(self) -> None:
        self._record("resume")

    def user_away(self, since: datetime) -> None:
        self._record("user_away", since)

    def user_back(self, at: datetime) -> None:
        self._record("user_back", at)

    def hold(self, reason: str) -> None:
        self._record("hold", reason)

    def release(self, reason: str) -> None:
        self._record("release", reason)

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


class ScriptedIdle:
    """An idle source read on the fake clock from a script of input: single presses and spells of typing.

    The idle time is what XScreenSaver reports: seconds since the latest input at or before now.
    """

    def __init__(self, clock: Any, method: str = "x11-screensaver") -> None:
        from standup.desktop.idle import IdleSupport

        self.support = IdleSupport(method)
        self.clock = clock
        self.spells: list[tuple[datetime, datetime]] = [(clock.now(), clock.now())]
        self.reads: list[datetime] = []

    def press(self, at: datetime) -> None:
        self.spells.append((at, at))

    def typing(self, start: datetime, end: datetime) -> None:
        """Input all the time from `start` to `end`."""
        self.spells.append((start, end))

    def idle_seconds(self) -> float:
        now = self.clock.now()
        self.reads.append(now)
        latest = max(min(end, now) for start, end in self.spells if start <= now)
        return (now - latest).total_seconds()

    def close(self) -> None:
        pass
