"""Rebuilding the service's state from the log when the app starts again: pure, records in, state out.

`LogFacts` are the few records that matter (`read_facts` asks the log for them); `rebuild` turns them
into the sitting clock, a pause still running, the open prompt, and how long a skip or a miss
keeps the next prompt away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from standup.core.breaks import event_instant
from standup.core.model import MOVEMENT_EVENTS, EventKind, EventRecord, PromptRecord, Suggestion, parse_utc
from standup.service.ports import Log
from standup.service.state import OpenPrompt, Pause
from standup.service.views import PromptView


@dataclass(frozen=True)
class LogFacts:
    """What the log says about the moment the app starts again."""

    last_movement: EventRecord | None = None
    last_start_or_stop: EventRecord | None = None
    last_start: EventRecord | None = None
    last_pause_or_resume: EventRecord | None = None
    last_skip_or_miss: EventRecord | None = None
    open_prompt: PromptRecord | None = None
    open_prompt_events: list[EventRecord] = field(default_factory=list)  # the open prompt's own events


@dataclass(frozen=True)
class Rebuilt:
    sitting_since: datetime
    pause: Pause | None
    open: OpenPrompt | None
    not_before: datetime | None  # after a skip or a miss: no prompt before this


def read_facts(log: Log, now: datetime) -> LogFacts:
    record = log.open_prompt()
    events = [] if record is None else [
        e for e in log.events_between(record.prompted_at, now + timedelta(days=1)) if e.prompt_id == record.id]
    return LogFacts(
        last_movement=log.last_event(MOVEMENT_EVENTS),
        last_start_or_stop=log.last_event({EventKind.STARTED, EventKind.STOPPED}),
        last_start=log.last_event({EventKind.STARTED}),
        last_pause_or_resume=log.last_event({EventKind.PAUSED, EventKind.RESUMED}),
        last_skip_or_miss=log.last_event({EventKind.SKIPPED, EventKind.MISSED}),
        open_prompt=record,
        open_prompt_events=events,
    )


def rebuild(facts: LogFacts, now: datetime, *, break_minutes: int, interval_minutes: int) -> Rebuilt:
    sitting_since = _sitting_since(facts, now, break_minutes)
    pause = None
    paused = facts.last_pause_or_resume
    if paused is not None and paused.kind is EventKind.PAUSED and isinstance(paused.data.get("until"), str):
        until = parse_utc(str(paused.data["until"]))
        if until > now:
            pause = Pause(until, relative=paused.data.get("minutes") is not None)
    open_prompt = _reopen(facts.open_prompt, facts.open_prompt_events) if facts.open_prompt else None
    not_before = None
    last = facts.last_skip_or_miss
    if last is not None and last.at > sitting_since:
        not_before = last.at if last.kind is EventKind.MISSED else last.at + timedelta(minutes=interval_minutes)
    return Rebuilt(sitting_since, pause, open_prompt, not_before)


def _sitting_since(facts: LogFacts, now: datetime, break_minutes: int) -> datetime:
    # The sitting clock runs from the last movement or the last start, whichever is later,
    # unless the app was stopped cleanly a break's length ago: then nobody sat meanwhile.
    lifecycle, movement = facts.last_start_or_stop, facts.last_movement
    origins = [now]
    if lifecycle is not None:
        stopped_long_ago = lifecycle.kind is EventKind.STOPPED and now - lifecycle.at >= timedelta(minutes=break_minutes)
        if not stopped_long_ago and facts.last_start is not None:
            origins = [facts.last_start.at]
            if movement is not None:
                origins.append(_movement_end(movement))
    return min(now, max(origins))


def _reopen(record: PromptRecord, events: list[EventRecord]) -> OpenPrompt:
    suggestion = next((_suggestion_from(e.data) for e in events if e.kind is EventKind.PROMPTED), None)
    # Ordered by id, not time: a snooze and a re-show can share a second.
    shown = [e for e in events if e.kind is EventKind.PROMPTED or e.data.get("after") == "snooze"]
    snoozes = [e for e in events if e.kind is EventKind.SNOOZED]
    last_shown_event = max(shown, key=lambda e: e.id, default=None)
    last_shown = last_shown_event.at if last_shown_event else record.prompted_at
    snoozed_until = None
    last_snooze = max(snoozes, key=lambda e: e.id, default=None)
    if (last_snooze is not None and (last_shown_event is None or last_snooze.id > last_shown_event.id)
            and isinstance(last_snooze.data.get("until"), str)):
        snoozed_until = parse_utc(str(last_snooze.data["until"]))
    reshown = any(e.kind is EventKind.RESHOWN for e in events)
    view = PromptView(record.id, record.prompted_at, suggestion, len(snoozes), snoozed_until, reshown)
    reminded = any(e.data.get("after") == "reminder" for e in events)
    return OpenPrompt(view, last_shown, reminded)


def _movement_end(movement: EventRecord) -> datetime:
    return event_instant(movement, "back_at") or movement.at


def _suggestion_from(data: dict[str, object]) -> Suggestion | None:
    return Suggestion.from_json(data.get("suggestion"))
