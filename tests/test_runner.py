"""The runner: sleeps until the next decision (at most a minute), notices suspend and clock steps."""

from __future__ import annotations

import logging
import math
import threading

import pytest

from standup.core.model import EventKind
from standup.adapters.runner import MAX_SLEEP, Runner
from standup.adapters.waiter import EventWaiter
from tests.day import Day


class DrivenRunner:
    """A runner whose sleeps move the fake clock instead of waiting."""

    def __init__(self, day: Day, max_sleep: float | None = None) -> None:
        self.day = day
        self.sleeps: list[float] = []
        self.runner = Runner(day.service, day.clock, wait=self._sleep, max_sleep=max_sleep)

    def _sleep(self, event: threading.Event, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.day.clock.advance(seconds=seconds)

    def until(self, hhmm: str) -> None:
        target = self.day.clock.at(hhmm)
        while self.day.clock.now() < target:
            self.runner.run_once()


def events(day: Day, kind: EventKind) -> list:
    return [e for e in day.store.events_between(day.clock.at("00:00"), day.clock.at("23:59")) if e.kind is kind]


def test_sleeps_are_capped_at_a_minute_and_never_a_busy_poll(tmp_path):
    day = Day(tmp_path)
    driven = DrivenRunner(day)
    driven.until("11:00")
    assert max(driven.sleeps) == MAX_SLEEP
    assert len(driven.sleeps) <= 2 * 60 + 5  # about one wake-up a minute over two hours
    assert day.seen.prompt_times() == ["10:00"]


def test_a_waiter_woken_by_clock_changes_sleeps_straight_to_the_next_prompt(tmp_path):
    day = Day(tmp_path)
    driven = DrivenRunner(day, max_sleep=3600)  # as with Linux's timerfd waiter
    driven.until("10:01")
    assert day.seen.prompt_times() == ["10:00"]
    assert driven.sleeps[0] == pytest.approx(3600, abs=1)  # 09:00 to 10:00 in one sleep


def test_do_not_disturb_is_asked_just_before_a_due_prompt_and_can_hold_it(tmp_path):
    day = Day(tmp_path)
    driven = DrivenRunner(day, max_sleep=3600)
    asked: list[str] = []

    def fullscreen() -> float:
        asked.append(day.clock.local().strftime("%H:%M"))
        if len(asked) > 1:  # a film started after 09:00
            day.service.hold("fullscreen")
            return 15
        return math.inf  # nothing to watch on a timer

    driven.runner.add_watch("fullscreen", fullscreen, before_decisions=True)
    driven.until("10:30")
    assert asked[:2] == ["09:00", "10:00"]
    assert day.seen.prompt_times() == []  # held
    day.service.release("fullscreen")
    assert day.seen.prompt_times() == ["10:30"]


def test_a_watch_asking_for_changes_runs_after_an_answer(tmp_path):
    day = Day(tmp_path)
    driven = DrivenRunner(day)
    runs: list[str] = []
    driven.runner.add_watch("ring", lambda: runs.append(day.clock.local().strftime("%H:%M")) or math.inf,
                            after_changes=True)
    driven.runner.run_once()
    assert runs == ["09:00"]
    day.service.done()
    driven.runner.run_once()
    assert len(runs) == 2


def test_a_near_decision_is_slept_to_exactly(tmp_path):
    day = Day(tmp_path)
    day.until("09:59")
    driven = DrivenRunner(day)
    driven.runner.run_once()
    assert driven.sleeps == [pytest.approx(60, abs=1)]
    while day.clock.local().strftime("%H:%M:%S") < "10:00:02":
        driven.runner.run_once()
    assert day.seen.prompt_times() == ["10:00"]
    assert len(driven.sleeps) <= 3


def test_suspend_is_noticed_once_and_gives_one_prompt(tmp_path):
    day = Day(tmp_path)
    driven = DrivenRunner(day)
    driven.until("09:30")
    day.clock.suspend(hours=3)
    driven.until("13:30")
    [suspended] = events(day, EventKind.SUSPENDED)
    assert suspended.data["seconds"] >= 3 * 3600
    assert day.seen.prompt_times() == ["13:00"]


def test_clock_step_back_is_noticed_and_does_not_stall(tmp_path):
    day = Day(tmp_path)
    driven = DrivenRunner(day)
    driven.until("09:40")
    day.clock.step(hours=-1)  # reads 08:40
    driven.until("10:01")
    [step] = events(day, EventKind.CLOCK_STEP)
    assert step.data["seconds"] < -3500
    assert day.seen.prompt_times() == ["10:00"]


def test_a_failing_watch_is_logged_and_the_loop_keeps_going(tmp_path, caplog):
    day = Day(tmp_path)
    driven = DrivenRunner(day)
    calls = []

    def broken() -> float:
        calls.append(day.clock.now())
        raise RuntimeError("boom")

    driven.runner.add_watch("broken", broken)
    with caplog.at_level(logging.ERROR):
        driven.until("10:01")
    assert calls and "The broken job failed" in caplog.text
    assert day.seen.prompt_times() == ["10:00"]


def test_an_answer_from_another_thread_wakes_the_runner(tmp_path):
    day = Day(tmp_path)
    waiter = EventWaiter()
    Runner(day.service, day.clock, waiter=waiter)
    thread = threading.Thread(target=day.service.done)
    thread.start()
    thread.join()
    assert waiter.event.is_set()


def test_stop_ends_run(tmp_path):
    day = Day(tmp_path)
    runner = Runner(day.service, day.clock)
    thread = threading.Thread(target=runner.run)
    thread.start()
    runner.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_watches_are_rescheduled_when_local_time_changes_its_offset(tmp_path):
    # `schedule` counts in naive local time: at the end of DST its jobs would run an hour late.
    day = Day(tmp_path, start="2026-10-25 01:50")  # Berlin goes from 03:00 CEST back to 02:00 CET
    driven = DrivenRunner(day)
    runs: list[str] = []
    driven.runner.add_watch("ring", lambda: runs.append(day.clock.local().strftime("%H:%M %Z")) or 3600)
    driven.runner.run_once()
    day.clock.advance(minutes=50)  # 02:40 CEST
    driven.runner.run_once()
    assert runs == ["01:50 CEST"]
    day.clock.advance(minutes=30)  # about 02:10 CET: the offset changed
    driven.runner.run_once()
    assert len(runs) == 2 and runs[1].endswith("CET")
