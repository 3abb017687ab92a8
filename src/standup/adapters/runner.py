"""The loop that keeps time: sleeps until the next decision, notices suspend and clock steps.

The service says when its next decision is due (on the injected clock); `schedule` keeps the
watches (idle detection, the tray's ring) that say when they want to run again. A watch can also ask
to run just before a due decision (do-not-disturb checks: nothing to watch while no prompt is due)
or after any change of state (the tray's ring restarts with the sitting clock), or at once when
another thread or a connection's data asks for it (`run_soon`, `add_reader`: the first input while
the user is away). Where the waiter is blind to suspend and clock steps (anything but Linux's
timerfd), each sleep is capped at a minute so they are noticed; there is no polling.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import schedule

from standup.adapters.clock import Clock
from standup.service.ports import Listener
from standup.service.reminders import ReminderService
from standup.adapters.waiter import EVENT_MAX_SLEEP_S, EventWaiter, TimerfdWaiter

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_SLEEP = EVENT_MAX_SLEEP_S
WATCH_RETRY_S = 60.0  # a watch that failed runs again after this
# Wall, monotonic and boot time may drift apart by this much in one sleep without it meaning anything.
GAP_TOLERANCE = 5.0


class Runner(Listener):
    """Drives a ReminderService. `run()` blocks until `stop()`; every other method is thread-safe."""

    def __init__(self, service: ReminderService, clock: Clock, *, max_sleep: float | None = None,
                 wait: Callable[[threading.Event, float], object] | None = None,
                 waiter: EventWaiter | TimerfdWaiter | None = None) -> None:
        self._service = service
        self._clock = clock
        self._waiter: EventWaiter | TimerfdWaiter = waiter or EventWaiter(wait)
        self._max_sleep = max_sleep if max_sleep is not None else float(self._waiter.max_sleep)
        self._scheduler = schedule.Scheduler()
        self._stopped = threading.Event()
        self._lock = threading.Lock()  # guards _new_watches, _soon, _new_readers; the rest is the runner thread's
        self._new_watches: list[_Watch] = []
        self._watches: dict[str, _Watch] = {}
        self._soon: set[str] = set()
        self._new_readers: list[tuple[int, Callable[[], object]]] = []
        self._pumps: list[Callable[[], object]] = []
        self._before_decisions: list[_Watch] = []
        self._after_changes: list[_Watch] = []
        self._changed = False
        self._last_sample = self._sample()
        self.wakeups = 0
        service.subscribe(self)

    # -- listener: any change may move the next decision ----------------------------------------

    def state_changed(self, status: object) -> None:
        self._changed = True
        self._waiter.wake()

    def wake(self) -> None:
        self._waiter.wake()

    def stop(self) -> None:
        self._stopped.set()
        self._waiter.wake()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def add_watch(self, name: str, check: Callable[[], float], *, before_decisions: bool = False,
                  after_changes: bool = False) -> None:
        """Run `check` soon in the runner's thread, then again after the seconds it returns each time
        (math.inf: not on a timer). `before_decisions`: also just before each due decision;
        `after_changes`: also after each change of the service's state."""
        with self._lock:
            self._new_watches.append(_Watch(name, check, before_decisions, after_changes))
        self._waiter.wake()

    def run_soon(self, name: str) -> None:
        """Run the watch `name` at the start of the next turn, whatever its timer says."""
        with self._lock:
            self._soon.add(name)
        self._waiter.wake()

    def add_reader(self, fd: int, pump: Callable[[], object]) -> bool:
        """End each sleep as soon as `fd` has data, and then run `pump` (which must read all of it) in
        the runner's thread. `pump` also runs at the end of every turn: the turn's own work may have
        read the data into a buffer (a request's reply brings events along). False where the waiter
        cannot watch a file descriptor: the caller polls instead."""
        if not self._waiter.watches_fds:
            return False
        with self._lock:
            self._new_readers.append((fd, pump))
        self._waiter.wake()
        return True

    def _run_watch(self, watch: _Watch) -> None:
        delay = _guarded(watch.name, watch.check)
        self._scheduler.clear(watch.name)
        if delay is None:
            delay = WATCH_RETRY_S
        if math.isfinite(delay):
            self._scheduler.every(max(1, math.ceil(delay))).seconds.do(self._run_watch_job, watch).tag(watch.name)

    def _run_watch_job(self, watch: _Watch) -> type[schedule.CancelJob]:
        self._run_watch(watch)  # it schedules its own next run
        return schedule.CancelJob

    # -- the loop -------------------------------------------------------------------------------

    def run(self) -> None:
        log.info("Runner started")
        while not self._stopped.is_set():
            self.run_once()
        log.info("Runner stopped after %d wake-ups", self.wakeups)

    def run_once(self) -> float:
        """One turn: notice gaps, run what is due, then sleep until the next thing. Returns the sleep."""
        self._waiter.clear()
        with self._lock:
            new_watches, self._new_watches = self._new_watches, []
            new_readers, self._new_readers = self._new_readers, []
        for fd, pump in new_readers:
            self._waiter.watch(fd)
            self._pumps.append(pump)
        for watch in new_watches:
            self._watches[watch.name] = watch
            self._before_decisions += [watch] if watch.before_decisions else []
            self._after_changes += [watch] if watch.after_changes else []
            self._run_watch(watch)
        self._pump_and_run_soon()
        self._check_clock()
        self._decide_if_due()
        self._scheduler.run_pending()
        self._decide_if_due()
        if self._changed:
            self._changed = False
            for watch in self._after_changes:
                self._run_watch(watch)
        self._pump_and_run_soon()
        delay = self.sleep_seconds()
        if not self._stopped.is_set():
            self._waiter.wait(delay)
            self.wakeups += 1
        return delay

    def _pump_and_run_soon(self) -> None:
        for pump in self._pumps:
            _guarded("reader", pump)
        with self._lock:
            soon, self._soon = self._soon, set()
        for name in sorted(soon):
            if name in self._watches:
                self._run_watch(self._watches[name])

    def sleep_seconds(self) -> float:
        """Until the service's next decision or the next watch, whichever is first; at most MAX_SLEEP."""
        candidates = [self._max_sleep]
        decision_at = self._service.next_decision_at()
        if decision_at is not None:
            # A decision still overdue after ticking would otherwise spin: look again in a second.
            candidates.append(max(1.0, (decision_at - self._clock.now()).total_seconds()))
        if self._scheduler.idle_seconds is not None:
            candidates.append(self._scheduler.idle_seconds)
        return max(0.0, min(candidates))

    def _decide_if_due(self) -> None:
        # A decision can make the next one due at once (a miss, then a prompt): loop, boundedly.
        looked = False
        for _ in range(10):
            decision_at = self._service.next_decision_at()
            if decision_at is None or decision_at > self._clock.now():
                return
            if not looked:
                looked = True
                for watch in self._before_decisions:  # may hold the prompt (fullscreen, do not disturb)
                    self._run_watch(watch)
                continue
            _guarded("decision", self._service.tick)

    def _sample(self) -> tuple[datetime, float, float]:
        return self._clock.now(), self._clock.monotonic(), self._clock.boottime()

    def _check_clock(self) -> None:
        """Compare wall, monotonic and boot time since the last turn: report a suspend or a step once."""
        (wall0, mono0, boot0), sample = self._last_sample, self._sample()
        self._last_sample = sample
        wall1, mono1, boot1 = sample
        suspended = (boot1 - boot0) - (mono1 - mono0)
        stepped = (wall1 - wall0).total_seconds() - (boot1 - boot0)
        changed = False
        if suspended > GAP_TOLERANCE:
            log.info("The machine slept for %.0f s", suspended)
            _guarded("suspend", lambda: self._service.on_suspend(suspended))
            changed = True
        if abs(stepped) > GAP_TOLERANCE:
            log.info("The wall clock jumped by %+.0f s", stepped)
            _guarded("clock step", lambda: self._service.on_clock_step(stepped))
            changed = True
        if wall1.astimezone(self._clock.tz).utcoffset() != wall0.astimezone(self._clock.tz).utcoffset():
            changed = True  # a DST change: not a jump for the service (it thinks in UTC), but for `schedule`
        if changed:
            # `schedule` keeps naive local times: after a jump every job's time is wrong. Run them now;
            # each reschedules itself from the new time.
            self._scheduler.run_all()


@dataclass(frozen=True)
class _Watch:
    name: str
    check: Callable[[], float]
    before_decisions: bool
    after_changes: bool


def _guarded(name: str, job: Callable[[], T]) -> T | None:
    """Run a job; log and survive its failure (the app must keep reminding)."""
    try:
        return job()
    except Exception:
        log.exception("The %s job failed; carrying on", name)
        return None
