"""Every prompt and event of the log as one flat table, written as CSV or JSON.

The columns are a stable contract (docs/summary.md): one row per prompt and per event, ordered by
time, each instant in UTC and in local time. Standard library only; the caller reads the records.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timezone, tzinfo
from typing import TextIO

from standup.core.model import EventRecord, PromptRecord
from standup.core.policy import to_local

FORMAT_NAME = "standup-export"
FORMAT_VERSION = 1

# The store's own spelling of event data (json.dumps(data, sort_keys=True)), so both write paths
# give the same text; one encoder for every row, as json.dumps with options builds one per call.
_DATA_TEXT = json.JSONEncoder(sort_keys=True)

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
    for values in _ordered_values(prompts, events, tz, data_as_text=False):
        yield dict(zip(COLUMNS, values, strict=True))


def write_csv(out: TextIO, prompts: Iterable[PromptRecord], events: Iterable[EventRecord], tz: tzinfo | None) -> int:
    """Write a header and the rows; empty cells for missing values. Returns the number of rows."""
    return _write_csv_rows(out, _ordered_values(prompts, events, tz, data_as_text=True))


def write_csv_stored(
    out: TextIO, prompt_rows: Sequence[Sequence[object]], event_rows: Sequence[Sequence[object]], tz: tzinfo | None
) -> int:
    """`write_csv` from rows as the store holds them (store.stored_rows_between): the same bytes, faster.

    Prompt rows: (id, prompted_at, outcome, answered_at, routine, sets, reps, seconds, squats, snoozes);
    event rows: (id, at, kind, prompt_id, data); instants as stored UTC text, data as JSON text.
    """
    local_text = _local_text_maker(tz)
    keyed: list[tuple[str, int, int, Sequence[object]]] = [(str(r[1]), 0, int(r[0]), r) for r in prompt_rows]  # type: ignore[call-overload]
    keyed.extend((str(r[1]), 1, int(r[0]), r) for r in event_rows)  # type: ignore[call-overload]
    keyed.sort(key=lambda item: item[:3])

    def rows() -> Iterator[Sequence[object]]:
        for at_utc, is_event, record_id, row in keyed:
            at_local = local_text(at_utc)
            if is_event:
                yield ("event", record_id, row[2], row[3], at_utc, at_local, at_local[:10],
                       None, None, None, None, None, None, None, None, None, row[4] or "{}")
            else:
                _, _, outcome, answered, routine, sets, reps, seconds, squats, snoozes = row
                yield ("prompt", record_id, "prompt", record_id, at_utc, at_local, at_local[:10], outcome,
                       answered, local_text(str(answered)) if answered else None, snoozes, routine, sets,
                       reps, seconds, squats or 0, None)

    return _write_csv_rows(out, rows())


def _write_csv_rows(out: TextIO, rows: Iterable[Sequence[object]]) -> int:
    """The header and `rows`; returns the number of rows.

    Rows go through a buffer and reach `out` in large writes: far faster on a pipe or a file.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for values in rows:
        writer.writerow(values)
        count += 1
        if count % 4096 == 0:
            out.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue())
    return count


def _local_text_maker(tz: tzinfo | None) -> Callable[[str], str]:
    def local_text(utc_text: str) -> str:
        instant = datetime.fromisoformat(utc_text)
        return (instant.astimezone(tz) if tz is not None else instant.astimezone()).isoformat()

    return local_text


def write_json(
    out: TextIO,
    prompts: Iterable[PromptRecord],
    events: Iterable[EventRecord],
    tz: tzinfo | None,
    first_day: date | None,
    last_day: date | None,
) -> int:
    """Write {"format", "version", "timezone", "from", "to", "columns", "records": [...]}."""
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "timezone": zone_name(tz),
        "from": first_day.isoformat() if first_day else None,
        "to": last_day.isoformat() if last_day else None,
        "columns": list(COLUMNS),
    }
    # One record per line, written by the C encoder (an indented dump is several times slower).
    encode = json.JSONEncoder(ensure_ascii=False).encode
    out.write(encode(header)[:-1] + ', "records": [')
    count = 0
    for record in export_rows(prompts, events, tz):
        out.write(("\n" if count == 0 else ",\n") + encode(record))
        count += 1
    out.write("\n]}\n")
    return count


def _ordered_values(
    prompts: Iterable[PromptRecord], events: Iterable[EventRecord], tz: tzinfo | None, *, data_as_text: bool
) -> Iterator[tuple[object, ...]]:
    """Each record's values in COLUMNS order (None for an empty cell), oldest first."""
    # Already in order when they come from the store, so these sorts cost next to nothing.
    ordered_prompts = sorted(prompts, key=lambda p: (p.prompted_at, p.id))
    ordered_events = sorted(events, key=lambda e: (e.at, e.id))
    merged = heapq.merge(
        ((p.prompted_at, 0, p.id, p) for p in ordered_prompts),
        ((e.at, 1, e.id, e) for e in ordered_events),
        key=lambda item: item[:3],
    )
    for _, is_event, _, record in merged:
        if is_event:
            yield _event_values(record, tz, data_as_text)  # type: ignore[arg-type]
        else:
            yield _prompt_values(record, tz)  # type: ignore[arg-type]


def _prompt_values(prompt: PromptRecord, tz: tzinfo | None) -> tuple[object, ...]:
    local = to_local(prompt.prompted_at, tz)
    answered = prompt.answered_at
    return (
        "prompt",
        prompt.id,
        "prompt",
        prompt.id,
        _utc(prompt.prompted_at),
        local.isoformat(),
        local.date().isoformat(),
        prompt.outcome.value if prompt.outcome is not None else None,
        _utc(answered) if answered is not None else None,
        to_local(answered, tz).isoformat() if answered is not None else None,
        prompt.snoozes,
        prompt.routine,
        prompt.sets,
        prompt.reps,
        prompt.seconds,
        prompt.squats,
        None,
    )


def _event_values(event: EventRecord, tz: tzinfo | None, data_as_text: bool) -> tuple[object, ...]:
    local = to_local(event.at, tz)
    data: object
    if data_as_text:
        data = _DATA_TEXT.encode(event.data) if event.data else "{}"
    else:
        data = dict(event.data)
    return (
        "event",
        event.id,
        event.kind.value,
        event.prompt_id,
        _utc(event.at),
        local.isoformat(),
        local.date().isoformat(),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        data,
    )


def zone_name(tz: tzinfo | None) -> str:
    """'Europe/Berlin' for a ZoneInfo, the tzinfo's text otherwise, 'system' for the local zone."""
    if tz is None:
        return "system"
    return str(getattr(tz, "key", None) or tz)


def _utc(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).isoformat()
