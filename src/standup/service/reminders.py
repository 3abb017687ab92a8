"""ReminderService: the one owner of the reminder's state. Every input is a method call on it.

It records each input in the log, decides with the pure policy, and tells its listeners
(tray, notifier, terminal, runner, evening note) what changed. Listeners are called after the lock
is released and after the log has committed, so an acknowledged answer is always on disk. The
ports it uses are in `ports`, the values it shows in `views`, the restart from the log in `rebuild`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from standup.core import policy
from standup.core.errors import NothingToAnswerError, StoreError, UsageError
from standup.core.model import EventKind, Outcome, PromptRecord, State, Suggestion, utc_text
from standup.core.settings import Settings
from standup.service.ports import Clock, Listener, Log
from standup.service.rebuild import read_facts, rebuild
from standup.service.saving import SavingWatch
from standup.service.state import OpenPrompt, Pause
from standup.service.views import Answer, PromptView, Status, no_counts, today_counts

__all__ = ["Answer", "PromptView", "ReminderService", "Status", "Suggest", "today_counts"]

log = logging.getLogger(__name__)
EventData = dict[str, object]

Suggest = Callable[[datetime, list[PromptRecord]], "Suggestion | None"]
Event = Callable[[Listener], None]

MAX_SNOOZE_MINUTES = 240


class ReminderService:
    """Owns the sitting clock, the open prompt, pause, presence and holds. Thread-safe."""

    def __init__(self, clock: Clock, store: Log, settings: Settings, suggest: Suggest | None = None) -> None:
        self._clock = clock
        self._store = store
        self.settings = settings
        self._suggest = suggest
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._pending: list[Event] = []  # listener calls made after the lock
        self._changed = False  # the status moved without an event of its own: state_changed follows
        now = clock.now()
        self._sitting_since = now
        self._open: OpenPrompt | None = None
        self._pause: Pause | None = None
        self._not_before: datetime | None = None  # after a skip or a miss: no prompt before this
        self._away_since: datetime | None = None
        self._holds: set[str] = set()
        self._work_end: datetime | None = None  # the end of the work hours under way or next
        self._saving = SavingWatch()  # told of the log refusing writes, and when to retry them
        self.natural_breaks = "off: no idle detector"
        self.tray = "none"  # set by the desktop once its icon is shown

    @property
    def tz(self) -> tzinfo | None:
        return self._clock.tz

    # -- listeners -------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Add a listener: it hears every event of `ports.Listener` from now on."""
        with self._lock:
            self._listeners.append(listener)

    def _emit(self, event: Event) -> None:
        self._pending.append(event)

    def _flush(self) -> None:
        with self._lock:
            saving, moved = self._saving.events(self._store, self._clock.now())
            self._pending, self._changed = self._pending + saving, self._changed or moved
            events, self._pending = self._pending, []
            listeners = list(self._listeners)
            if events or self._changed:
                self._changed = False
                status = self._status(self._clock.now())
                events.append(lambda listener: listener.state_changed(status))
        for event in events:
            for listener in listeners:
                try:
                    event(listener)
                except Exception:  # a broken listener must not undo an answer already committed
                    log.exception("Listener %r failed", listener)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> Status:
        """Recover from the log, record the start, and make the decision due now."""
        with self._lock:
            now = self._clock.now()
            state = rebuild(read_facts(self._store, now), now, break_minutes=self.settings.break_minutes,
                            interval_minutes=self.settings.interval_minutes)
            self._sitting_since, self._pause, self._open = state.sitting_since, state.pause, state.open
            self._not_before = state.not_before
            self._work_end = self._next_work_end(now)
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

    # -- the decision ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Make the one decision due now: end a pause, expire or re-show the open prompt, or prompt."""
        with self._lock:
            self._decide(self._clock.now())
        self._flush()

    def _decide(self, now: datetime) -> None:
        if self._saving.retry_due(self._store, now):
            self._saving.tried(self._store.flush(), now)
        if self._pause is not None and now >= self._pause.until:
            self._store.add_event(now, EventKind.RESUMED, data={"automatic": True})
            self._pause = None
            self._emit(lambda listener: listener.resumed())
        if self._open is not None and not self._away_since:
            expiry = self._open.expiry(self.settings, self.tz)
            if now >= expiry:
                self._close(Outcome.MISSED, expiry)
                self._not_before = expiry
            elif self._present:
                reshow_at = self._open.reshow_at(self.settings)
                if reshow_at is not None and now >= reshow_at:
                    self._reshow(now)
        if self._open is None and self._present:
            due = self._next_due(now)
            if due is not None and now >= due:
                self._prompt(now)
        if self._work_end is not None and now >= self._work_end:
            work_end, self._work_end = self._work_end, self._next_work_end(now)
            self._emit(lambda listener: listener.work_ended(work_end))

    def next_decision_at(self) -> datetime | None:
        """The next instant at which `tick()` would change something (for the runner's sleep)."""
        with self._lock:
            candidates: list[datetime] = self._saving.next_at(self._store, self._clock.now())
            if self._pause is not None:
                candidates.append(self._pause.until)
            if self._work_end is not None:
                candidates.append(self._work_end)
            if self._open is not None and not self._away_since:
                candidates.append(self._open.expiry(self.settings, self.tz))
                reshow_at = self._open.reshow_at(self.settings)
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
        return policy.next_prompt_after(now, self._sitting_since, self.settings, self.tz, asked_until=self._not_before,
                                        paused_until=self._pause.until if self._pause else None)

    def _prompt(self, now: datetime) -> PromptView:
        suggestion = self._suggestion_for(now)
        record = self._store.add_prompt(now, suggestion)
        view = PromptView(record.id, record.prompted_at, suggestion)
        self._open = OpenPrompt(view, now)
        self._not_before = None
        self._emit(lambda listener: listener.prompt_shown(view))
        return view

    def _suggestion_for(self, now: datetime) -> Suggestion | None:
        if self._suggest is None:
            return None
        try:
            today = self._store.prompts_between(*policy.day_bounds_utc(policy.local_day(now, self.tz), self.tz))
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
        self._open = OpenPrompt(view, anchor, reminded=self._open.reminded or not snoozed)
        self._emit(lambda listener: listener.prompt_shown(view))

    def _close(self, outcome: Outcome, at: datetime, data: EventData | None = None, squats: int | None = None) -> PromptView:
        assert self._open is not None
        view = self._open.view
        self._store.close_prompt(view.id, outcome, at, data, squats)
        self._open = None
        self._emit(lambda listener: listener.prompt_closed(view, outcome))
        return view

    def _next_work_end(self, now: datetime) -> datetime | None:
        # A window reaching the end of the search (work around the clock) has no end in sight.
        ends = [end for _, end in policy.windows_from(now, self.settings, self.tz)
                if end > now and not policy.in_work_hours(end, self.settings, self.tz)]
        return min(ends, default=None)

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

    def done(self, sets: int | None = None) -> Answer:
        """Answer the open prompt done (`sets`: how many the break window counted), or record a break of one's own."""
        with self._lock:
            now = self._clock.now()
            if self._open is not None:
                answer = Answer("done", now, self._close(Outcome.DONE, now, *self._open.counted(sets)), saved=not self._store.unsaved)
            else:
                self._store.add_event(now, EventKind.SELF_BREAK)
                answer = Answer("self_break", now, saved=not self._store.unsaved)
                self._changed = True
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
            self._open = OpenPrompt(view, self._open.last_shown_at, self._open.reminded)
            self._emit(lambda listener: listener.prompt_snoozed(view))
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
            self._not_before = open_prompt.expiry(self.settings, self.tz)
            saved = not self._store.unsaved
        self._flush()
        return Answer("skipped", now, view, saved=saved)

    def pause(self, minutes: int | None = None, until_tomorrow: bool = False) -> Status:
        """Pause reminders for `minutes` or until local midnight. An open prompt ends paused: not counted."""
        if (minutes is None) == (not until_tomorrow):
            raise UsageError("pause takes a duration or 'tomorrow'")
        with self._lock:
            now = self._clock.now()
            if until_tomorrow:
                self._pause = Pause(policy.start_of_tomorrow(now, self.tz), relative=False)
            else:
                assert minutes is not None
                self._pause = Pause(now + timedelta(minutes=minutes), relative=True)
            data: dict[str, object] = {"until": utc_text(self._pause.until)}
            if self._open is not None:
                self._close(Outcome.PAUSED, now, dict(data))
            if minutes is not None:
                data["minutes"] = minutes
            self._store.add_event(now, EventKind.PAUSED, data=data)
            until = self._pause.until
            self._emit(lambda listener: listener.paused(until))
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
        self._emit(lambda listener: listener.resumed())

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
                self._changed = True
        self._flush()

    def user_back(self, at: datetime) -> None:
        """Input again at `at`; an absence of at least break_minutes is a natural break."""
        with self._lock:
            if self._away_since is not None:
                away_from, self._away_since = self._away_since, None
                self._changed = True
                self._natural_break(away_from, at)
            self._decide(self._clock.now())
        self._flush()

    def hold(self, reason: str) -> None:
        """Do not disturb (fullscreen, inhibited notifications): prompts wait until released."""
        with self._lock:
            if reason not in self._holds:
                self._holds.add(reason)
                self._changed = True
        self._flush()

    def release(self, reason: str) -> None:
        with self._lock:
            if reason in self._holds:
                self._holds.discard(reason)
                self._changed = True
                self._decide(self._clock.now())
        self._flush()

    def on_suspend(self, seconds: float) -> None:
        """The machine slept `seconds`: the sitting clock stood still meanwhile. One decision follows."""
        with self._lock:
            now = self._clock.now()
            self._store.add_event(now, EventKind.SUSPENDED, data={"seconds": round(seconds, 1)})
            self._changed = True
            self._sitting_since = min(now, self._sitting_since + timedelta(seconds=seconds))
            self._decide(now)
        self._flush()

    def on_clock_step(self, seconds: float) -> None:
        """The wall clock jumped by `seconds` (either way): durations already running keep their length."""
        with self._lock:
            now = self._clock.now()
            step = timedelta(seconds=seconds)
            self._store.add_event(now, EventKind.CLOCK_STEP, data={"seconds": round(seconds, 1)})
            self._changed = True
            self._sitting_since = min(now, self._sitting_since + step)
            if self._not_before is not None:
                self._not_before += step
            if self._pause is not None and self._pause.relative:
                self._pause.until += step
            if self._open is not None:
                self._open = self._open.shifted(step)
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
            next_prompt = self._open.expiry(self.settings, self.tz)
        else:
            state = State.SITTING
            next_prompt = self._next_due(now)
            if self._pause is not None:
                state = State.PAUSED
            elif not policy.in_work_hours(now, self.settings, self.tz):
                state = State.OFF_HOURS
        return Status(
            state=state, now=now, next_prompt_at=next_prompt, sitting_since=self._sitting_since,
            interval_minutes=self.settings.interval_minutes, open_prompt=self._open.view if self._open else None,
            paused_until=self._pause.until if self._pause else None, today=self._today_counts(now),
            away=self._away_since is not None, held=tuple(sorted(self._holds)), natural_breaks=self.natural_breaks,
            tray=self.tray, unsaved=self._store.unsaved, log_error=self._store.write_error,
        )

    def _today_counts(self, now: datetime) -> dict[str, int]:
        try:
            return today_counts(self._store, now, self.tz)
        except StoreError as exc:
            log.warning("today's counts unavailable: %s", exc)
            return no_counts()
