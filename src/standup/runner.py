"""The loop that keeps time: sleeps until the next decision, notices suspend and clock steps.

The service says when its next decision is due (on the injected clock); `schedule` keeps the
watches (idle detection, the tray's ring) that say when they want to run again. Each sleep is capped at
MAX_SLEEP seconds so a suspend or a clock step is noticed within a minute; there is no polling.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import schedule

from standup.clock import Clock
from standup.service import ReminderService

log = logging.getLogger(__name__)

MAX_SLEEP = 60.0
# Wall, monotonic and boot time may drift apart by this much in one sleep without it meaning anything.
GAP_TOLERANCE = 5.0


class Runner:
    """Drives a ReminderService. `run()` blocks until `stop()`; every other method is thread-safe."""

    def __init__(self, service: ReminderService, clock: Clock, *, max_sleep: float = MAX_SLEEP,
                 wait: Callable[[threading.Event, float], Any] | None = None) -> None:
        self._service = service
        self._clock = clock
        self._max_sleep = max_sleep
        self._wait = wait or (lambda event, seconds: event.wait(seconds))
        self._scheduler = schedule.Scheduler()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._lock = threading.Lock()  # guards _new_watches; the scheduler belongs to the runner's thread
        self._new_watches: list[tuple[str, Callable[[], Any]]] = []
        self._last_sample = self._sample()
        self.wakeups = 0
        service.subscribe(self)

    # -- listener: any change may move the next decision ----------------------------------------

    def state_changed(self, status: object) -> None:
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def add_watch(self, name: str, check: Callable[[], float]) -> None:
        """Run `check` soon in the runner's thread, then again after the seconds it returns each time."""

        def run_and_reschedule() -> type[schedule.CancelJob]:
            delay = _guarded(name, check)
            self._schedule(name, run_and_reschedule, delay if delay is not None else self._max_sleep)
            return schedule.CancelJob

        with self._lock:
            self._new_watches.append((name, run_and_reschedule))
        self._wake.set()

    def _schedule(self, name: str, job: Callable[[], Any], seconds: float) -> schedule.Job:
        return self._scheduler.every(max(1, math.ceil(seconds))).seconds.do(job).tag(name)

    # -- the loop -------------------------------------------------------------------------------

    def run(self) -> None:
        log.info("Runner started")
        while not self._stopped.is_set():
            self.run_once()
        log.info("Runner stopped after %d wake-ups", self.wakeups)

    def run_once(self) -> float:
        """One turn: notice gaps, run what is due, then sleep until the next thing. Returns the sleep."""
        self._wake.clear()
        with self._lock:
            new_watches, self._new_watches = self._new_watches, []
        for _, job in new_watches:
            job()
        self._check_clock()
        self._decide_if_due()
        self._scheduler.run_pending()
        self._decide_if_due()
        delay = self.sleep_seconds()
        if not self._stopped.is_set():
            self._wait(self._wake, delay)
            self.wakeups += 1
        return delay

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
        for _ in range(10):
            decision_at = self._service.next_decision_at()
            if decision_at is None or decision_at > self._clock.now():
                return
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
        if changed:
            # `schedule` keeps naive local times: after a jump every job's time is wrong. Run them now;
            # each reschedules itself from the new time.
            self._scheduler.run_all()


def _guarded(name: str, job: Callable[[], Any]) -> Any:
    """Run a job; log and survive its failure (the app must keep reminding)."""
    try:
        return job()
    except Exception:
        log.exception("The %s job failed; carrying on", name)
        return None
