"""What the service shows of itself: an open prompt, an answer, a status, and today's counts.

These are read-only values; `as_json()` of each is the control socket's and `--json`'s contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Protocol, TypedDict

from standup.core import policy
from standup.core.model import Outcome, State, Suggestion, utc_text



class PromptJSON(TypedDict):
    """`PromptView.as_json()`: an open prompt (`standup break --json`, a status's `open_prompt`)."""

    id: int
    prompted_at: str | None
    snoozes: int
    snoozed_until: str | None
    routine: str | None
    dose: str | None
    why: str | None
    text: str


class AnswerJSON(TypedDict):
    """`Answer.as_json()`: what `standup done|snooze|skip --json` print."""

    action: str
    at: str | None
    prompt: PromptJSON | None
    until: str | None
    saved: bool


class StatusJSON(TypedDict):
    """`Status.as_json()`, the `standup status --json` contract. Not running: None where only the
    running app knows (state, sitting, interval, natural breaks, tray)."""

    running: bool
    state: str | None
    now: str | None
    next_prompt_at: str | None
    sitting_since: str | None
    sitting_minutes: int | None
    interval_minutes: int | None
    paused_until: str | None
    open_prompt: PromptJSON | None
    today: dict[str, int]
    away: bool
    held: list[str]
    natural_breaks: str | None
    tray: str | None
    unsaved: int
    log_error: str | None


def iso(instant: datetime | None) -> str | None:
    return utc_text(instant) if instant is not None else None


@dataclass(frozen=True)
class PromptView:
    """An open prompt as listeners and the CLI see it."""

    id: int
    prompted_at: datetime
    suggestion: Suggestion | None
    snoozes: int = 0
    snoozed_until: datetime | None = None
    reshown: bool = False

    @property
    def text(self) -> str:
        if self.suggestion is None:
            return "Time to stand up and move for a few minutes."
        cue = f" {self.suggestion.cue}" if self.suggestion.cue else ""
        return f"{self.suggestion.headline}.{cue}"

    def as_json(self) -> PromptJSON:
        return {
            "id": self.id,
            "prompted_at": iso(self.prompted_at),
            "snoozes": self.snoozes,
            "snoozed_until": iso(self.snoozed_until),
            "routine": self.suggestion.routine_id if self.suggestion else None,
            "dose": self.suggestion.dose if self.suggestion else None,
            "why": self.suggestion.why if self.suggestion else None,
            "text": self.text,
        }


@dataclass(frozen=True)
class Answer:
    """What an answer did: `done`, `self_break`, `snoozed` or `skipped`."""

    action: str
    at: datetime
    prompt: PromptView | None = None
    until: datetime | None = None
    saved: bool = True  # False: kept in memory until the log can be written

    def as_json(self) -> AnswerJSON:
        return {
            "action": self.action,
            "at": iso(self.at),
            "prompt": self.prompt.as_json() if self.prompt else None,
            "until": iso(self.until),
            "saved": self.saved,
        }


@dataclass(frozen=True)
class Status:
    """Where the user stands; `as_json()` is the `standup status --json` contract."""

    state: State
    now: datetime
    next_prompt_at: datetime | None
    sitting_since: datetime
    interval_minutes: int
    open_prompt: PromptView | None
    paused_until: datetime | None
    today: dict[str, int]
    away: bool = False
    held: tuple[str, ...] = ()
    natural_breaks: str = "off: no idle detector"
    tray: str = "none"  # which tray shows the icon: sni, xembed-gtk, xembed-xorg, appindicator, win32, darwin, none
    running: bool = True
    unsaved: int = 0  # writes kept in memory because the log cannot be written
    log_error: str | None = None

    @property
    def sitting_minutes(self) -> int:
        return max(0, int((self.now - self.sitting_since).total_seconds() // 60))

    def as_json(self) -> StatusJSON:
        return {
            "running": self.running,
            "state": self.state.value,
            "now": iso(self.now),
            "next_prompt_at": iso(self.next_prompt_at),
            "sitting_since": iso(self.sitting_since),
            "sitting_minutes": self.sitting_minutes,
            "interval_minutes": self.interval_minutes,
            "paused_until": iso(self.paused_until),
            "open_prompt": self.open_prompt.as_json() if self.open_prompt else None,
            "today": dict(self.today),
            "away": self.away,
            "held": list(self.held),
            "natural_breaks": self.natural_breaks,
            "tray": self.tray,
            "unsaved": self.unsaved,
            "log_error": self.log_error,
        }


def offline_status_json(now: datetime, today: dict[str, int]) -> StatusJSON:
    """`Status.as_json()`'s shape when standup is not running: only the time and the log's counts are known."""
    return {"running": False, "state": None, "now": iso(now), "next_prompt_at": None, "sitting_since": None,
            "sitting_minutes": None, "interval_minutes": None, "paused_until": None, "open_prompt": None,
            "today": today, "away": False, "held": [], "natural_breaks": None, "tray": None, "unsaved": 0,
            "log_error": None}


class Counts(Protocol):
    def counts_between(self, start: datetime, end: datetime) -> dict[str, int]: ...


def today_counts(log: Counts, now: datetime, tz: tzinfo | None) -> dict[str, int]:
    """Prompt outcomes, snoozes and self-started breaks of the local day of `now`."""
    counts = no_counts()
    counts.update(log.counts_between(*policy.day_bounds_utc(policy.local_day(now, tz), tz)))
    return counts


def no_counts() -> dict[str, int]:
    return {"prompts": 0, "open": 0, "snoozes": 0, **{outcome.value: 0 for outcome in Outcome}, "self_breaks": 0}
