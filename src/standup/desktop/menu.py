"""The tray's menu and tooltip as data: pure functions over the service's `Status`, no GUI library.

Every tray renderer (pystray in `tray.py`, a StatusNotifierItem menu) shows the same entries, so
what the menu says is decided here once. The first line states where the user stands, in words
and clock times ("Sitting since 09:18 · next break 10:18"): clock times stay true between redraws,
which come minutes apart, where "sitting 42 min" would go stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, tzinfo

from standup.core.model import State
from standup.service.views import Status

# Action keys: what a menu entry asks for. The tray maps the service ones itself; the rest
# (summary, settings, quit) come from the desktop composition.
TAKE_BREAK = "take_break"
DONE = "done"
SNOOZE = "snooze"
SKIP = "skip"
PAUSE_30 = "pause_30"
PAUSE_60 = "pause_60"
PAUSE_TOMORROW = "pause_tomorrow"
RESUME = "resume"
SUMMARY = "summary"
GUIDE = "guide"  # the break window for the open prompt
SETTINGS = "settings"
QUIT = "quit"

DONE_OWN_BREAK = "Done — I took a break"  # Done with no prompt open: logs a break of one's own

HOLD_WORDS = {"fullscreen": "a fullscreen window", "notifications-paused": "do not disturb"}


@dataclass(frozen=True)
class Entry:
    """One menu line: its label, the action key it triggers, and whether it can be clicked."""

    label: str
    action: str | None = None
    enabled: bool = True
    default: bool = False
    children: tuple[Entry, ...] = ()


SEPARATOR = Entry("-")


def menu_entries(status: Status, snooze_minutes: int, tz: tzinfo | None = None, guide: bool = False) -> tuple[Entry, ...]:
    """The tray menu for `status` (a service `Status`); its first line is `state_line`, not clickable.

    `tz` is the zone clock times are shown in (None: the system's local zone); `guide`: a break
    window can open here, so an open prompt offers it.
    """
    state = status.state
    prompt_open = status.open_prompt is not None
    snoozed = state is State.SNOOZED
    answers = [
        Entry("Take a break now", TAKE_BREAK, enabled=state is not State.PROMPTING, default=not prompt_open),
    ]
    if guide and prompt_open:
        answers.append(Entry("Start the break", GUIDE))
    answers.append(Entry("Done" if prompt_open else DONE_OWN_BREAK, DONE, default=prompt_open))
    if not snoozed:  # already snoozed: the first line says until when, and a second snooze is not offered
        answers.append(Entry(f"Snooze {snooze_minutes} min", SNOOZE, enabled=prompt_open))
    answers.append(Entry("Skip", SKIP, enabled=prompt_open))
    return (
        Entry(state_line(status, status.now, tz), enabled=False),
        SEPARATOR,
        *answers,
        SEPARATOR,
        Entry(
            "Pause",
            children=(
                Entry("30 min", PAUSE_30),
                Entry("1 hour", PAUSE_60),
                Entry("Until tomorrow", PAUSE_TOMORROW),
            ),
        ),
        Entry("Resume", RESUME, enabled=state is State.PAUSED),
        SEPARATOR,
        Entry("Today's summary", SUMMARY),
        Entry("Open settings", SETTINGS),
        SEPARATOR,
        Entry("Quit", QUIT),
    )


def state_line(status: Status, now: datetime, tz: tzinfo | None = None) -> str:
    """Where the user stands, in one line: 'Sitting since 09:18 · next break 10:18', 'Snoozed until 10:12'…"""
    state = status.state
    if state is State.PROMPTING:
        suggestion = getattr(status.open_prompt, "suggestion", None)
        return f"Time to move: {suggestion.headline}" if suggestion else "Time to move"
    if state is State.SNOOZED:
        until = getattr(status.open_prompt, "snoozed_until", None)
        return f"Snoozed until {_at(until, now, tz)}" if until else "Snoozed"
    if state is State.PAUSED:
        until = status.paused_until
        return f"Paused until {_at(until, now, tz)}" if until else "Paused"
    due = status.next_prompt_at
    if state is State.OFF_HOURS:
        return f"Off hours · next break {_at(due, now, tz)}" if due else "Off hours"
    if getattr(status, "away", False):
        return "Away from the desk · prompts wait for your return"
    sitting = f"Sitting since {_at(status.sitting_since, now, tz)}"
    held = tuple(getattr(status, "held", ()) or ())
    if held:
        return f"{sitting} · prompts wait: {', '.join(HOLD_WORDS.get(h, h) for h in held)}"
    if due is None:
        return f"{sitting} · no break scheduled"
    if due <= now:
        return f"{sitting} · break due now"
    return f"{sitting} · next break {_at(due, now, tz)}"


def tooltip(status: Status, now: datetime, tz: tzinfo | None = None) -> str:
    """The icon's tooltip: the menu's first line, for panels that show tooltips."""
    return state_line(status, now, tz)


def _at(instant: datetime, now: datetime, tz: tzinfo | None) -> str:
    """'14:00' today, 'tomorrow 09:00' ('tomorrow' alone at midnight), 'Mon 09:00', or '2 Dec 09:00'."""
    local, today = instant.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    if days == 0:
        return local.strftime("%H:%M")
    if days == 1:
        return "tomorrow" if local.time() == time(0, 0) else local.strftime("tomorrow %H:%M")
    if days == -1:
        return local.strftime("yesterday %H:%M")
    if 1 < days < 7:
        return local.strftime("%a %H:%M")
    return f"{local.day} {local.strftime('%b %H:%M')}"
