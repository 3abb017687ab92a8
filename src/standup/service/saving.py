"""What the service says about saving, once each (the log refusing writes, writable again, its file
recreated), and when writes kept in memory are tried again: a fixed instant the runner wakes for,
so an answer waits at most UNSAVED_RETRY after the log accepts writes again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from standup.service.ports import Listener, Log

UNSAVED_RETRY = timedelta(seconds=30)  # while the log refuses writes, try it again this often

Event = Callable[[Listener], None]


class SavingWatch:
    """Kept by the service under its lock."""

    def __init__(self, every: timedelta = UNSAVED_RETRY) -> None:
        self._every = every
        self._told: str | None = None  # the write failure listeners were last told of
        self.retry_at: datetime | None = None

    def events(self, store: Log, now: datetime) -> tuple[list[Event], bool]:
        """The listener events due since the last call, and whether the status moved (a retry set)."""
        events: list[Event] = []
        error = store.write_error
        if (error is None) != (self._told is None):
            events.append(_unwritable(error) if error else _writable)
        self._told = error
        for notice in _take_notices(store):
            events.append(_recreated(notice))
        moved = False
        if not store.unsaved:
            self.retry_at = None
        elif self.retry_at is None:
            self.retry_at, moved = now + self._every, True
        return events, moved

    def retry_due(self, store: Log, now: datetime) -> bool:
        return bool(store.unsaved) and (self.retry_at is None or now >= self.retry_at)

    def tried(self, saved: bool, now: datetime) -> None:
        self.retry_at = None if saved else now + self._every

    def next_at(self, store: Log, now: datetime) -> list[datetime]:
        """When the runner must wake for a retry (none while everything is saved)."""
        return [self.retry_at or now] if store.unsaved else []


def _unwritable(reason: str) -> Event:
    return lambda listener: listener.log_unwritable(reason)


def _writable(listener: Listener) -> None:
    listener.log_writable()


def _recreated(notice: str) -> Event:
    return lambda listener: listener.log_recreated(notice)


def _take_notices(store: Log) -> list[str]:
    """What the log has to tell the user once (its file recreated), taken so it is told only once."""
    notices = getattr(store, "notices", None)
    if not notices:
        return []
    taken = list(notices)
    notices.clear()
    return taken
