"""Every prompt and event of the log as one flat table, written as CSV or JSON.

The columns are a stable contract (docs/summary.md): one row per prompt and per event, ordered by
time, each instant in UTC and in local time. Standard library only; the caller reads the records.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone, tzinfo
from typing import TextIO

from standup.model import EventRecord, PromptRecord
from standup.policy import to_local

FORMAT_NAME = "standup-export"
FORMAT_VERSION = 1

COLUMNS = (
    "record",  # "prompt" or "event"
    "id",  # the prompt's or the event's id (separate sequences)
    "kind",  # "prompt" for prompts; the event kind for events (prompted, done, snoozed, ...)
    "prompt_id",  # the prompt an event belongs to; a prompt row repeats its own id
    "at_utc",  # prompted_at for prompts, at for events; ISO-8601 with +00:00
    "at_local",  # the same instant in local time, ISO-8601 with its offset
    "local_date",  # YYYY-MM-DD of at_local
    "outcome",  # prompts: done, skipped, missed, natural, or empty while open
    "answered_at_utc",  # prompts: when the outcome was recorded
    "answered_at_local",
    "snoozes",  # prompts: how often it was snoozed
    "routine",  # prompts: the suggested routine id, if any
    "sets",
    "reps",
    "seconds",
    "squats",  # prompts: squat repetitions in the suggested dose
    "data",  # events: their data as a JSON object text ("{}" when none)
)


def export_rows(
    prompts: Iterable[PromptRecord], events: Iterable[EventRecord], tz: tzinfo | None
) -> Iterator[dict[str, object]]:
    """The rows in time order (a prompt before the events of the same instant), typed for JSON."""
    keyed: list[tuple[datetime, int, int, PromptRecord | EventRecord]] = []
    keyed.extend((p.prompted_at, 0, p.id, p) for p in prompts)
    keyed.extend((e.at, 1, e.id, e) for e in events)
    keyed.sort(key=lambda item: item[:3])
    for _, _, _, record in keyed:
        yield _prompt_row(record, tz) if isinstance(record, PromptRecord) else _event_row(record, tz)


def write_csv(out: TextIO, prompts: Iterable[PromptRecord], events: Iterable[EventRecord], tz: tzinfo | None) -> int:
    """Write a header and the rows; empty cells for missing values. Returns the number of rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in export_rows(prompts, events, tz):
        writer.writerow(["" if row[column] is None else _cell(row[column]) for column in COLUMNS])
        count += 1
    return count


def write_json(
    out: TextIO,
    prompts: Iterable[PromptRecord],
    events: Iterable[EventRecord],
    tz: tzinfo | None,
    first_day: date | None,
    last_day: date | None,
) -> int:
    """Write {"format", "version", "timezone", "from", "to", "columns", "records": [...]}."""
    records = list(export_rows(prompts, events, tz))
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "timezone": zone_name(tz),
        "from": first_day.isoformat() if first_day else None,
        "to": last_day.isoformat() if last_day else None,
        "columns": list(COLUMNS),
        "records": records,
    }
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(records)


def zone_name(tz: tzinfo | None) -> str:
    """'Europe/Berlin' for a ZoneInfo, the tzinfo's text otherwise, 'system' for the local zone."""
    if tz is None:
        return "system"
    return str(getattr(tz, "key", None) or tz)


def _prompt_row(prompt: PromptRecord, tz: tzinfo | None) -> dict[str, object]:
    local = to_local(prompt.prompted_at, tz)
    answered = prompt.answered_at
    return {
        "record": "prompt",
        "id": prompt.id,
        "kind": "prompt",
        "prompt_id": prompt.id,
        "at_utc": _utc(prompt.prompted_at),
        "at_local": local.isoformat(),
        "local_date": local.date().isoformat(),
        "outcome": prompt.outcome.value if prompt.outcome is not None else None,
        "answered_at_utc": _utc(answered) if answered is not None else None,
        "answered_at_local": to_local(answered, tz).isoformat() if answered is not None else None,
        "snoozes": prompt.snoozes,
        "routine": prompt.routine,
        "sets": prompt.sets,
        "reps": prompt.reps,
        "seconds": prompt.seconds,
        "squats": prompt.squats,
        "data": None,
    }


def _event_row(event: EventRecord, tz: tzinfo | None) -> dict[str, object]:
    local = to_local(event.at, tz)
    return {
        "record": "event",
        "id": event.id,
        "kind": event.kind.value,
        "prompt_id": event.prompt_id,
        "at_utc": _utc(event.at),
        "at_local": local.isoformat(),
        "local_date": local.date().isoformat(),
        "outcome": None,
        "answered_at_utc": None,
        "answered_at_local": None,
        "snoozes": None,
        "routine": None,
        "sets": None,
        "reps": None,
        "seconds": None,
        "squats": None,
        "data": dict(event.data),
    }


def _utc(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).isoformat()


def _cell(value: object) -> object:
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return value
