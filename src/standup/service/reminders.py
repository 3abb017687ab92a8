"""ReminderService: the one owner of the reminder's state. Every input is a method call on it.

It records each input in the log, decides with the pure policy, and tells its listeners
(tray, notifier, terminal, runner) what changed. Listeners are called after the lock is released
and after the log has committed, so an acknowledged answer is always on disk.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from standup.core import policy
from standup.core import summary
from standup.adapters.clock import Clock
from standup.core.errors import NothingToAnswerError, StoreError, UsageError
from standup.core.model import MOVEMENT_EVENTS, EventKind, Outcome, PromptRecord, State, Suggestion
from standup.core.settings import Settings
from standup.adapters.store import Store, parse_utc, utc_text

log = logging.getLogger(__name__)

Suggest = Callable[[datetime, list[PromptRecord]], "Suggestion | None"]

MAX_SNOOZE_MINUTES = 240
UNSAVED_RETRY = timedelta(minutes=1)  # while the log refuses writes, try it again this often


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
        cue = f" {self.suggestion.first_cue}" if self.suggestion.first_cue else ""
        return f"{self.suggestion.headline}.{cue}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "prompted_at": iso(self.prompted_at),
            "snoozes": self.snoozes,
            "snoozed_until": iso(self.snoozed_until),
            "routine": self.suggestion.routine_id if self.suggestion else None,
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

    def as_json(self) -> dict[str, Any]:
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

    def as_json(self) -> dict[str, Any]:
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


@dataclass
class _OpenPrompt:
    view: PromptView
    last_shown_at: datetime  # when it was first shown or shown again after a snooze
    reminded: bool = False  # the one extra showing of an unanswered prompt has happened


@dataclass
class _Pause:
    until: datetime
    relative: bool  # a duration (shifts with clock steps), not "until tomorrow"


class ReminderService:
    """Owns the sitting clock, the open prompt, pause, presence and holds. Thread-safe."""

    def __init__(self, clock: Clock, store: Store, settings: Settings, suggest: Suggest | None = None) -> None:
        self._clock = clock
        self._store = store
        self.settings = settings
        self._suggest = suggest
        self._lock = threading.RLock()
        self._listeners: list[object] = []
        self._pending: list[tuple[str, tuple[Any, ...]]] = []  # listener calls made after the lock
        now = clock.now()
        self._sitting_since = now
        self._open: _OpenPrompt | None = None
        self._pause: _Pause | None = None
        self._not_before: datetime | None = None  # after a skip or a miss: no prompt before this
        self._away_since: datetime | None = None
        self._holds: set[str] = set()
        self._evening_due: datetime | None = None  # the end of work hours the evening note waits for
        self._log_error_told: str | None = None  # the write failure listeners were last told of
        self.natural_breaks = "off: no idle detector"
        self.tray = "none"  # set by the desktop once its icon is shown

    @property
    def tz(self) -> Any:
        return self._clock.tz

    # -- listeners -------------------------------------------------------------------------------

    def subscribe(self, listener: object) -> None:
        """Add a listener with any of prompt_shown(view), prompt_closed(view, outcome), state_changed(status)."""
        with self._lock:
            self._listeners.append(listener)

    def _emit(self, method: str, *args: Any) -> None:
        self._pending.append((method, args))

    def _flush(self) -> None:
        with self._lock:
            error = self._store.write_error
            if (error is None) != (self._log_error_told is None):
                if error:
                    self._emit("log_unwritable", error)
                else:
                    self._emit("log_writable")
            self._log_error_told = error
            calls, self._pending = self._pending, []
            listeners = list(self._listeners)
            if calls:
                calls.append(("state_changed", (self._status(self._clock.now()),)))
        for method, args in calls:
            for listener in listeners:
                handler = getattr(listener, method, None)
                if handler is None:
                    continue
                try:
                    handler(*args)
                except Exception:  # a broken listener must not undo an answer already committed
                    log.exception("Listener %r failed in %s", listener, method)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> Status:
        """Recover from the log, record the start, and make the decision due now."""
        with self._lock:
            now = self._clock.now()
            self._recover(now)
            self._evening_due = self._next_work_end(now)
            self._store.add_event(now, EventKind.STARTED)
            self._decide(now)
        self._flush()
        return self.status()

    def stop(self) -> list[str]:
        """Record the stop; returns what could still not be saved (and is lost with this process)."""
        with self._lock:
            self._store.add_event(self._clock.now(), EventKind.STOPPED)
            lost = self._store.unsaved_writes()
        if lost:
            log.error("Stopping with %d writes the log %s refused: %s", len(lost), self._store.path, "; ".join(lost))
        return lost

    def _recover(self, now: datetime) -> None:
        # The sitting clock runs from the last movement or the last start, whichever is later,
        # unless the app was stopped cleanly a break's length ago: then nobody sat meanwhile.
        movement = self._store.last_event(MOVEMENT_EVENTS)
        lifecycle = self._store.last_event({EventKind.STARTED, EventKind.STOPPED})
        origins = [now]
        if lifecycle is not None:
            stopped_long_ago = lifecycle.kind is EventKind.STOPPED and now - lifecycle.at >= timedelta(
                minutes=self.settings.break_minutes
            )
            last_start = self._store.last_event({EventKind.STARTED})
            if not stopped_long_ago and last_start is not None:
                origins = [last_start.at]
                if movement is not None:
                    origins.append(_movement_end(movement.at, movement.data))
        self._sitting_since = min(now, max(origins))
        pause = self._store.last_event({EventKind.PAUSED, EventKind.RESUMED})
        if pause is not None and pause.kind is EventKind.PAUSED and isinstance(pause.data.get("until"), str):
            until = parse_utc(str(pause.data["until"]))
            if until > now:
                self._pause = _Pause(until, relative=pause.data.get("minutes") is not None)
        record = self._store.open_prompt()
        if record is not None:
            self._open = self._reopen(record)
        last = self._store.last_event({EventKind.SKIPPED, EventKind.MISSED})
        if last is not None and last.at > self._sitting_since:
            self._not_before = last.at if last.kind is EventKind.MISSED else self._after_interval(last.at)

    def _reopen(self, record: PromptRecord) -> _OpenPrompt:
        events = [e for e in self._store.events_between(record.prompted_at, self._clock.now() + timedelta(days=1))
                  if e.prompt_id == record.id]
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
        return _OpenPrompt(view, last_shown, reminded)

    # -- the decision ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Make the one decision due now: end a pause, expire or re-show the open prompt, or prompt."""
        with self._lock:
            self._decide(self._clock.now())
        self._flush()

    def _decide(self, now: datetime) -> None:
        if self._store.unsaved:
            self._store.flush()
        if self._pause is not None and now >= self._pause.until:
            self._store.add_event(now, EventKind.RESUMED, data={"automatic": True})
            self._pause = None
            self._emit("resumed")
        if self._open is not None and not self._away_since:
            expiry = self._expiry(self._open)
            if now >= expiry:
                self._close(Outcome.MISSED, expiry)
                self._not_before = expiry
            elif self._present:
                reshow_at = self._reshow_at(self._open)
                if reshow_at is not None and now >= reshow_at:
                    self._reshow(now)
        if self._open is None and self._present:
            due = self._next_due(now)
            if due is not None and now >= due:
                self._prompt(now)
        if self._evening_due is not None and now >= self._evening_due:
            self._send_evening_note(self._evening_due)
            self._evening_due = self._next_work_end(now)

    def next_decision_at(self) -> datetime | None:
        """The next instant at which `tick()` would change something (for the runner's sleep)."""
        with self._lock:
            candidates: list[datetime] = []
            if self._store.unsaved:
                candidates.append(self._clock.now() + UNSAVED_RETRY)
            if self._pause is not None:
                candidates.append(self._pause.until)
            if self._evening_due is not None:
                candidates.append(self._evening_due)
            if self._open is not None and not self._away_since:
                candidates.append(self._expiry(self._open))
                reshow_at = self._reshow_at(self._open)
                if reshow_at is not None and self._present:
                    candidates.append(reshow_at)
            elif self._open is None and self._present:
                due = self._next_due(self._clock.now())
                if due is not None:
                    candidates.append(due)
            return min(candidates, default=None)

    @property
    def _present(self) -> bool:
        return self._away_since is None and not self._holds

    def _next_due(self, now: datetime) -> datetime | None:
        delays = [d for d in (self._pause.until if self._pause else None, self._not_before) if d is not None]
        floor = max([now, *delays])
        due = policy.next_prompt_due(self._sitting_since, self.settings, self.tz, floor)
        if self._not_before is not None and due is not None and due > floor:
            # A missed or skipped prompt proves the interval was sat. After a clock step back the sitting
            # clock can start before work did and count from the window's start; the next prompt still
            # comes when the skipped or missed one ended, if that is in this work window.
            window = policy.window_at(floor, self.settings, self.tz)
            if window is not None and window[0] <= self._not_before:
                return floor
        return due

    def _expiry(self, open_prompt: _OpenPrompt) -> datetime:
        view = open_prompt.view
        return policy.prompt_expiry(view.prompted_at, open_prompt.last_shown_at, view.snoozed_until, self.settings, self.tz)

    def _reshow_at(self, open_prompt: _OpenPrompt) -> datetime | None:
        if open_prompt.view.snoozed_until is not None:
            return open_prompt.view.snoozed_until
        if open_prompt.reminded:
            return None
        return policy.reminder_at(open_prompt.last_shown_at, self.settings)

    def _after_interval(self, instant: datetime) -> datetime:
        return instant + timedelta(minutes=self.settings.interval_minutes)

    def _prompt(self, now: datetime) -> PromptView:
        suggestion = self._suggestion_for(now)
        record = self._store.add_prompt(now, suggestion)
        view = PromptView(record.id, record.prompted_at, suggestion)
        self._open = _OpenPrompt(view, now)
        self._not_before = None
        self._emit("prompt_shown", view)
        return view

    def _suggestion_for(self, now: datetime) -> Suggestion | None:
        if self._suggest is None:
            return None
        start, end = policy.day_bounds_utc(policy.local_day(now, self.tz), self.tz)
        try:
            today = self._store.prompts_between(start, end)
        except StoreError as exc:  # a failing disk must not stop the reminding
            log.warning("suggesting without today's history: %s", exc)
            today = []
        return self._suggest(now, today)

    def _reshow(self, now: datetime) -> None:
        assert self._open is not None
        snoozed = self._open.view.snoozed_until is not None
        self._store.add_event(now, EventKind.RESHOWN, self._open.view.id, {"after": "snooze" if snoozed else "reminder"})
        view = replace(self._open.view, snoozed_until=None, reshown=True)
        # After a snooze the prompt starts over; a reminder keeps the time the next prompt is due.
        anchor = now if snoozed else self._open.last_shown_at
        self._open = _OpenPrompt(view, anchor, reminded=self._open.reminded or not snoozed)
        self._emit("prompt_shown", view)

    def _close(self, outcome: Outcome, at: datetime, data: dict[str, object] | None = None) -> PromptView:
        assert self._open is not None
        view = self._open.view
        self._store.close_prompt(view.id, outcome, at, data)
        self._open = None
        self._emit("prompt_closed", view, outcome)
        return view

    def _next_work_end(self, now: datetime) -> datetime | None:
        if not self.settings.evening_note:
            return None
        ends = [end for _, end in policy.windows_from(now, self.settings, self.tz) if end > now]
        return min(ends, default=None)

    def _send_evening_note(self, work_end: datetime) -> None:
        day = policy.local_day(work_end - timedelta(seconds=1), self.tz)
        start, end = policy.day_bounds_utc(day, self.tz)
        try:
            prompts, events = self._store.prompts_between(start, end), self._store.events_between(start, end)
        except StoreError as exc:
            log.warning("no evening note: %s", exc)
            return
        figures = summary.summarize_day(day, prompts, events, self.settings, self.tz, now=work_end)
        self._emit("evening_note", summary.evening_line(figures))

    # -- answers and commands -------------------------------------------------------------------

    def take_break(self) -> PromptView:
        """Prompt now (or show the open prompt again). Ends a pause: the user asked for a break."""
        with self._lock:
            now = self._clock.now()
            if self._pause is not None:
                self._resume(now)
            if self._open is not None:
                self._reshow(now)
            else:
                self._prompt(now)
            assert self._open is not None
            view = self._open.view
        self._flush()
        return view

    def done(self) -> Answer:
        """Answer the open prompt done, or record a self-started movement break. Restarts the sitting clock."""
        with self._lock:
            now = self._clock.now()
            if self._open is not None:
                answer = Answer("done", now, self._close(Outcome.DONE, now), saved=not self._store.unsaved)
            else:
                self._store.add_event(now, EventKind.SELF_BREAK)
                answer = Answer("self_break", now, saved=not self._store.unsaved)
                self._emit("break_logged", now)
            self._sitting_since = now
            self._not_before = None
        self._flush()
        return answer

    def snooze(self, minutes: int | None = None) -> Answer:
        minutes = self.settings.snooze_minutes if minutes is None else minutes
        if not 1 <= minutes <= MAX_SNOOZE_MINUTES:
            raise UsageError(f"snooze takes 1 to {MAX_SNOOZE_MINUTES} minutes, got {minutes}")
        with self._lock:
            now = self._clock.now()
            if self._open is None:
                raise NothingToAnswerError("there is no open prompt to snooze")
            until = now + timedelta(minutes=minutes)
            view = self._open.view
            self._store.add_event(now, EventKind.SNOOZED, view.id, {"minutes": minutes, "until": utc_text(until)})
            view = replace(view, snoozes=view.snoozes + 1, snoozed_until=until)
            self._open = _OpenPrompt(view, self._open.last_shown_at, self._open.reminded)
            self._emit("prompt_snoozed", view)
            saved = not self._store.unsaved
        self._flush()
        return Answer("snoozed", now, view, until, saved)

    def skip(self) -> Answer:
        with self._lock:
            now = self._clock.now()
            if self._open is None:
                raise NothingToAnswerError("there is no open prompt to skip")
            open_prompt = self._open
            view = self._close(Outcome.SKIPPED, now)
            # A skip stops the asking until the next prompt would have come anyway.
            self._not_before = self._expiry(open_prompt)
            saved = not self._store.unsaved
        self._flush()
        return Answer("skipped", now, view, saved=saved)

    def pause(self, minutes: int | None = None, until_tomorrow: bool = False) -> Status:
        """Pause reminders for `minutes` or until local midnight. An open prompt is skipped."""
        if (minutes is None) == (not until_tomorrow):
            raise UsageError("pause takes a duration or 'tomorrow'")
        with self._lock:
            now = self._clock.now()
            if until_tomorrow:
                self._pause = _Pause(policy.start_of_tomorrow(now, self.tz), relative=False)
            else:
                assert minutes is not None
                self._pause = _Pause(now + timedelta(minutes=minutes), relative=True)
            if self._open is not None:
                self._close(Outcome.SKIPPED, now, {"reason": "paused"})
            data: dict[str, object] = {"until": utc_text(self._pause.until)}
            if minutes is not None:
                data["minutes"] = minutes
            self._store.add_event(now, EventKind.PAUSED, data=data)
            self._emit("paused", self._pause.until)
        self._flush()
        return self.status()

    def resume(self) -> Status:
        with self._lock:
            now = self._clock.now()
            if self._pause is not None:
                self._resume(now)
                self._decide(now)
        self._flush()
        return self.status()

    def _resume(self, now: datetime) -> None:
        self._store.add_event(now, EventKind.RESUMED)
        self._pause = None
        self._emit("resumed")

    # -- presence, holds, suspend and clock steps -----------------------------------------------

    def natural_break(self, away_from: datetime, back_at: datetime) -> None:
        """The user was away from `away_from` to `back_at`; long enough, it is a movement break."""
        with self._lock:
            self._natural_break(away_from, back_at)
            self._decide(self._clock.now())
        self._flush()

    def _natural_break(self, away_from: datetime, back_at: datetime) -> None:
        if back_at - away_from < timedelta(minutes=self.settings.break_minutes):
            return
        data: dict[str, object] = {"away_from": utc_text(away_from), "back_at": utc_text(back_at)}
        if self._open is not None and self._open.view.prompted_at <= back_at:
            self._close(Outcome.NATURAL, back_at, data)
        else:
            self._store.add_event(back_at, EventKind.NATURAL, data=data)
        self._sitting_since = max(self._sitting_since, back_at)
        self._not_before = None

    def user_away(self, since: datetime) -> None:
        """No input since `since`: prompts wait for the user's return."""
        with self._lock:
            if self._away_since is None:
                self._away_since = since
                self._emit("presence_changed", True)
        self._flush()

    def user_back(self, at: datetime) -> None:
        """Input again at `at`; an absence of at least break_minutes is a natural break."""
        with self._lock:
            if self._away_since is not None:
                away_from, self._away_since = self._away_since, None
                self._natural_break(away_from, at)
                self._emit("presence_changed", False)
            self._decide(self._clock.now())
        self._flush()

    def hold(self, reason: str) -> None:
        """Do not disturb (fullscreen, inhibited notifications): prompts wait until released."""
        with self._lock:
            if reason not in self._holds:
                self._holds.add(reason)
                self._emit("hold_changed", tuple(sorted(self._holds)))
        self._flush()

    def release(self, reason: str) -> None:
        with self._lock:
            if reason in self._holds:
                self._holds.discard(reason)
                self._emit("hold_changed", tuple(sorted(self._holds)))
                self._decide(self._clock.now())
        self._flush()

    def on_suspend(self, seconds: float) -> None:
        """The machine slept `seconds`: the sitting clock stood still meanwhile. One decision follows."""
        with self._lock:
            now = self._clock.now()
            self._store.add_event(now, EventKind.SUSPENDED, data={"seconds": round(seconds, 1)})
            self._emit("time_jumped", seconds)
            self._sitting_since = min(now, self._sitting_since + timedelta(seconds=seconds))
            self._decide(now)
        self._flush()

    def on_clock_step(self, seconds: float) -> None:
        """The wall clock jumped by `seconds` (either way): durations already running keep their length."""
        with self._lock:
            now = self._clock.now()
            step = timedelta(seconds=seconds)
            self._store.add_event(now, EventKind.CLOCK_STEP, data={"seconds": round(seconds, 1)})
            self._emit("time_jumped", seconds)
            self._sitting_since = min(now, self._sitting_since + step)
            if self._not_before is not None:
                self._not_before += step
            if self._pause is not None and self._pause.relative:
                self._pause.until += step
            if self._open is not None:
                view = self._open.view
                snoozed_until = view.snoozed_until + step if view.snoozed_until else None
                self._open = _OpenPrompt(
                    replace(view, snoozed_until=snoozed_until), self._open.last_shown_at + step, self._open.reminded
                )
            self._decide(now)
        self._flush()

    # -- reading --------------------------------------------------------------------------------

    def status(self) -> Status:
        with self._lock:
            return self._status(self._clock.now())

    def _status(self, now: datetime) -> Status:
        next_prompt: datetime | None
        if self._open is not None:
            state = State.SNOOZED if self._open.view.snoozed_until else State.PROMPTING
            next_prompt = self._expiry(self._open)
        else:
            state = State.SITTING
            next_prompt = self._next_due(now)
            if self._pause is not None:
                state = State.PAUSED
            elif not policy.in_work_hours(now, self.settings, self.tz):
                state = State.OFF_HOURS
        return Status(
            state=state,
            now=now,
            next_prompt_at=next_prompt,
            sitting_since=self._sitting_since,
            interval_minutes=self.settings.interval_minutes,
            open_prompt=self._open.view if self._open else None,
            paused_until=self._pause.until if self._pause else None,
            today=self._today_counts(now),
            away=self._away_since is not None,
            held=tuple(sorted(self._holds)),
            natural_breaks=self.natural_breaks,
            tray=self.tray,
            unsaved=self._store.unsaved,
            log_error=self._store.write_error,
        )

    def _today_counts(self, now: datetime) -> dict[str, int]:
        start, end = policy.day_bounds_utc(policy.local_day(now, self.tz), self.tz)
        try:
            return today_counts(self._store, start, end)
        except StoreError as exc:
            log.warning("today's counts unavailable: %s", exc)
            return _no_counts()


def today_counts(store: Store, start: datetime, end: datetime) -> dict[str, int]:
    """Prompt outcomes, snoozes and self-started breaks between `start` and `end`."""
    counts = _no_counts()
    counts.update(store.counts_between(start, end))
    return counts


def _no_counts() -> dict[str, int]:
    return {"prompts": 0, "open": 0, "snoozes": 0, **{outcome.value: 0 for outcome in Outcome}, "self_breaks": 0}


def _movement_end(at: datetime, data: dict[str, object]) -> datetime:
    back_at = data.get("back_at")
    return parse_utc(back_at) if isinstance(back_at, str) else at


def _suggestion_from(data: dict[str, object]) -> Suggestion | None:
    raw = data.get("suggestion")
    if not isinstance(raw, dict):
        return None
    try:
        return Suggestion(**raw)
    except TypeError:
        return None
