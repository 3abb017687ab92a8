"""The evening note: a listener that sums up the day in one line when work hours end.

It hears `work_ended` from the service, reads that day from the log, and hands the line to every
reader added (the notifier, the terminal). With `evening_note = false` it stays silent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from standup.core import policy, summary
from standup.core.errors import StoreError
from standup.core.settings import Settings
from standup.service.ports import DayLog, Listener

log = logging.getLogger(__name__)


class NoteReader(Protocol):
    def evening_note(self, text: str) -> None: ...


class EveningNote(Listener):
    def __init__(self, day_log: DayLog, settings: Settings, tz: tzinfo | None) -> None:
        self._log = day_log
        self._settings = settings
        self._tz = tz
        self._readers: list[NoteReader] = []

    def add_reader(self, reader: NoteReader) -> None:
        self._readers.append(reader)

    def work_ended(self, at: datetime) -> None:
        if not self._settings.evening_note:
            return
        day = policy.local_day(at - timedelta(seconds=1), self._tz)
        start, end = policy.day_bounds_utc(day, self._tz)
        try:
            prompts, events = self._log.prompts_between(start, end), self._log.events_between(start, end)
        except StoreError as exc:
            log.warning("no evening note: %s", exc)
            return
        line = summary.evening_line(summary.summarize_day(day, prompts, events, self._settings, self._tz, now=at))
        for reader in list(self._readers):
            try:
                reader.evening_note(line)
            except Exception:  # one broken reader must not keep the note from the others
                log.exception("Reader %r failed to show the evening note", reader)
