"""The ports the service owns: the clock it reads, the log it writes, the listeners it tells.

Adapters implement these (the system clock, the SQLite store, the tray, the notifier, the terminal,
the runner); the service imports none of them. A listener subclasses `Listener` and overrides the
events it cares about; the others do nothing.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Protocol

from standup.core.model import EventKind, EventRecord, Outcome, PromptRecord, Suggestion
from standup.service.views import PromptView, Status


class Clock(Protocol):
    """What the service and runner need to know about time."""

    tz: tzinfo | None  # the local zone for wall-clock rules; None = the system's

    def now(self) -> datetime:
        """The wall-clock instant, aware UTC."""

    def monotonic(self) -> float:
        """Seconds that never jump; stop while the machine is suspended."""

    def boottime(self) -> float:
        """Seconds that never jump; keep counting while the machine is suspended."""


class DayLog(Protocol):
    """Reading a stretch of the log: what a summary of a day needs."""

    def prompts_between(self, start: datetime, end: datetime) -> list[PromptRecord]: ...

    def events_between(self, start: datetime, end: datetime) -> list[EventRecord]: ...


class Log(DayLog, Protocol):
    """The compliance log as the service uses it. A write the disk refuses is kept in memory
    (`unsaved` counts them, `write_error` says why) and tried again by each later write or `flush()`."""

    path: Path
    write_error: str | None

    @property
    def unsaved(self) -> int: ...

    def flush(self) -> bool: ...

    def unsaved_writes(self) -> list[str]: ...

    def add_prompt(self, at: datetime, suggestion: Suggestion | None) -> PromptRecord: ...

    def add_event(self, at: datetime, kind: EventKind, prompt_id: int | None = None,
                  data: dict[str, object] | None = None) -> bool: ...

    def close_prompt(self, prompt_id: int, outcome: Outcome, at: datetime,
                     data: dict[str, object] | None = None, squats: int | None = None) -> bool: ...

    def open_prompt(self) -> PromptRecord | None: ...

    def last_event(self, kinds: frozenset[EventKind] | set[EventKind]) -> EventRecord | None: ...

    def counts_between(self, start: datetime, end: datetime) -> dict[str, int]: ...


class Listener:
    """Every event the service emits, each after its lock is released and its log write committed.

    A listener that raises is logged and skipped; the answer it was told of stands.
    """

    def prompt_shown(self, view: PromptView) -> None:
        """A prompt opened, or an open one is shown again (after a snooze, as a reminder, on `break`)."""

    def prompt_snoozed(self, view: PromptView) -> None:
        """The open prompt was snoozed until `view.snoozed_until`."""

    def prompt_closed(self, view: PromptView, outcome: Outcome) -> None:
        """The prompt ended: done, skipped, missed or a natural break."""

    def paused(self, until: datetime) -> None:
        """Reminders are paused until `until`."""

    def resumed(self) -> None:
        """A pause ended, by the user or because its time ran out."""

    def work_ended(self, at: datetime) -> None:
        """Work hours ended at `at` (the evening note's cue)."""

    def log_unwritable(self, reason: str) -> None:
        """The log refused a write; answers are kept in memory. `reason` names the file and the fix."""

    def log_writable(self) -> None:
        """The log accepts writes again; what was kept in memory is saved."""

    def log_recreated(self, message: str) -> None:
        """The log's file was deleted, moved or replaced; a fresh one holds everything. Said once."""

    def state_changed(self, status: Status) -> None:
        """Last after any of the above: the status as it now stands."""
