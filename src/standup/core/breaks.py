"""The breaks a day's log holds besides its prompts: natural breaks and breaks of one's own, as data.

Pure: events in, breaks out. A natural break spans its away time (`away_span`: data
`away_from`..`back_at`, or the `break_minutes` before the event in logs that lack them; the summary
reads it the same way); a break of one's own is the instant it was logged and counts
`break_minutes`, as in the summary's moved minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from standup.core.model import EventKind, EventRecord, utc_text

NATURAL, SELF_BREAK = EventKind.NATURAL.value, EventKind.SELF_BREAK.value


@dataclass(frozen=True)
class Break:
    """One break that is not a prompt's answer by the user: away from the desk, or logged by hand."""

    kind: str  # "natural" or "self_break", the event kinds of the log
    start: datetime  # natural: when the user left; self_break: when it was logged
    end: datetime | None  # natural: when the user came back; self_break: None (not known)
    seconds: float  # natural: end - start; self_break: break_minutes as counted
    event_id: int
    prompt_id: int | None = None  # the prompt a natural break answered
    offline: bool = False  # a break of one's own written while standup was not running

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "start": utc_text(self.start), "end": utc_text(self.end) if self.end else None,
                "seconds": round(self.seconds), "prompt_id": self.prompt_id, "event_id": self.event_id,
                "offline": self.offline}


def breaks_in(events: Iterable[EventRecord], break_minutes: int) -> list[Break]:
    """The natural breaks and breaks of one's own among `events`, by start."""
    found = []
    for event in events:
        if event.kind is EventKind.NATURAL:
            start, end = away_span(event, break_minutes)
            found.append(Break(NATURAL, start, end, (end - start).total_seconds(), event.id, event.prompt_id))
        elif event.kind is EventKind.SELF_BREAK:
            found.append(Break(SELF_BREAK, event.at, None, 60.0 * break_minutes, event.id,
                               offline=event.data.get("offline") is True))
    return sorted(found, key=lambda b: (b.start, b.event_id))


def length_text(seconds: float) -> str:
    """'2 min 45 s', '12 min', '45 s', '1 h 5 min': a break's length in words, to the second."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs and not hours:
        parts.append(f"{secs} s")
    return " ".join(parts) or "0 s"


def away_span(event: EventRecord, break_minutes: int) -> tuple[datetime, datetime]:
    """When the user left and came back for a natural-break event (never ending before it starts)."""
    start = event_instant(event, "away_from") or event.at - timedelta(minutes=break_minutes)
    return start, max(start, event_instant(event, "back_at") or event.at)


def event_instant(event: EventRecord, key: str) -> datetime | None:
    """The instant an event's data holds under `key` (UTC when it names no offset), or None."""
    value = event.data.get(key)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)
