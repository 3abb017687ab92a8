"""Domain types shared by every layer: outcomes, event kinds, states and the log's records.

Standard library only. Every datetime here is timezone-aware UTC unless a name says `local`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone

from standup.core import dose as doses


def utc_text(instant: datetime) -> str:
    """The stored and exported form: UTC ISO-8601 with seconds, e.g. 2026-11-21T09:00:00+00:00."""
    return instant.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_utc(text: str) -> datetime:
    """The aware UTC instant of an ISO-8601 text (any offset)."""
    return datetime.fromisoformat(text).astimezone(timezone.utc)


class Outcome(enum.Enum):
    """How a prompt ended. Exactly one per prompt; an open prompt has none yet."""

    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"
    NATURAL = "natural"
    PAUSED = "paused"  # the user paused while it was open: set aside, counted neither for nor against


class EventKind(enum.Enum):
    """What the log records. Events tied to a prompt carry its id."""

    STARTED = "started"  # the app started
    STOPPED = "stopped"  # the app stopped cleanly
    PROMPTED = "prompted"  # a prompt was opened and shown
    RESHOWN = "reshown"  # an open prompt was shown again (after a snooze, or once as a reminder)
    SNOOZED = "snoozed"  # data: {"minutes": int, "until": iso}
    DONE = "done"  # a prompt was answered done
    SKIPPED = "skipped"  # data may hold {"reason": "paused"} (logs before pausing set prompts aside)
    MISSED = "missed"  # nobody answered before the next prompt or the end of work hours
    NATURAL = "natural"  # the user was away long enough; data: {"away_from": iso, "back_at": iso}
    SELF_BREAK = "self_break"  # `standup done` with no open prompt: a movement break of one's own
    PAUSED = "paused"  # data: {"until": iso}
    PROMPT_PAUSED = "prompt_paused"  # a pause closed the open prompt (outcome paused); data: {"until": iso}
    RESUMED = "resumed"
    SUSPENDED = "suspended"  # the machine slept; data: {"seconds": float}
    CLOCK_STEP = "clock_step"  # the wall clock jumped; data: {"seconds": float}


OUTCOME_EVENTS = {
    Outcome.DONE: EventKind.DONE,
    Outcome.SKIPPED: EventKind.SKIPPED,
    Outcome.MISSED: EventKind.MISSED,
    Outcome.NATURAL: EventKind.NATURAL,
    Outcome.PAUSED: EventKind.PROMPT_PAUSED,
}

# Events that restart the sitting clock: the user moved.
MOVEMENT_EVENTS = frozenset({EventKind.DONE, EventKind.NATURAL, EventKind.SELF_BREAK})


class State(enum.Enum):
    """What the reminder is doing right now, as `standup status` reports it."""

    SITTING = "sitting"
    PROMPTING = "prompting"
    SNOOZED = "snoozed"
    PAUSED = "paused"
    OFF_HOURS = "off_hours"


@dataclass(frozen=True)
class Suggestion:
    """What a prompt asks the user to do: a routine and its dose for this break.

    `dose_text` and `why` are written once, when the planner makes the suggestion, and stored with
    the prompt; every view of the prompt shows them as stored, so a prompt reads the same in the
    toast, the tray, the terminal, the log, the summary and the plan.
    """

    routine_id: str
    name: str
    sets: int = 1
    reps: int | None = None
    seconds: int | None = None
    minutes: float = 0.0  # estimated time including rest
    cue: str = ""  # the movement's key cue
    squats: int = 0  # squat repetitions in this dose, counted towards the daily goal
    per_side: bool = False
    dose_text: str = ""  # '2 × 10'; empty only in suggestions made before it was stored
    why: str = ""  # why the dose differs from the routine's base dose: '30 squats left today'

    @property
    def dose(self) -> str:
        """'3 × 12', '2 × 8 each side', '2 × 30 s', '45 s' or '4 min': as stored, else as written now."""
        return self.dose_text or doses.dose_text(self.sets, self.reps, self.seconds, self.per_side)

    @property
    def headline(self) -> str:
        """'Chair squats — 3 × 12 (about 4 min) · 36 squats left today'."""
        return doses.headline(self.name, self.dose, self.minutes, self.why)

    @classmethod
    def from_json(cls, raw: object) -> Suggestion | None:
        """A suggestion as the log stored it (`asdict`), older field names included; None if unreadable."""
        if not isinstance(raw, dict):
            return None
        values = {key: value for key, value in raw.items() if key in _SUGGESTION_FIELDS}
        if "cue" not in values and isinstance(raw.get("first_cue"), str):
            values["cue"] = raw["first_cue"]  # logs written before the key cue was stored
        try:
            return cls(**values)
        except TypeError:
            return None


@dataclass(frozen=True)
class PromptRecord:
    """One row of the prompts table."""

    id: int
    prompted_at: datetime
    outcome: Outcome | None = None
    answered_at: datetime | None = None
    snoozes: int = 0
    routine: str | None = None
    sets: int | None = None
    reps: int | None = None
    seconds: int | None = None
    squats: int = 0


@dataclass(frozen=True)
class EventRecord:
    """One row of the events table."""

    id: int
    at: datetime
    kind: EventKind
    prompt_id: int | None = None
    data: dict[str, object] = field(default_factory=dict)


_SUGGESTION_FIELDS = frozenset(f.name for f in fields(Suggestion))
