"""The runner's waiters: the timerfd one ends its sleep on a wake-up, at its deadline, and when the clock is set."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from standup.adapters.waiter import EventWaiter, TimerfdWaiter, best_waiter

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="timerfd is Linux's")


def ended_within(waiter: TimerfdWaiter | EventWaiter, seconds: float, during: threading.Timer | None = None) -> float:
    """Runs `waiter.wait(seconds)` (with `during` started alongside) and returns how long it took."""
    if during is not None:
        during.start()
    started = time.monotonic()
    waiter.wait(seconds)
    return time.monotonic() - started


@linux_only
def test_the_timerfd_waiter_sleeps_until_its_deadline() -> None:
    waiter = TimerfdWaiter()
    assert 0.1 <= ended_within(waiter, 0.15) < 5


@linux_only
def test_a_wake_from_another_thread_ends_a_long_sleep() -> None:
    waiter = TimerfdWaiter()
    assert ended_within(waiter, 60, threading.Timer(0.2, waiter.wake)) < 30


@linux_only
def test_a_wake_before_the_sleep_is_not_lost_and_clear_forgets_it() -> None:
    waiter = TimerfdWaiter()
    waiter.wake()
    assert ended_within(waiter, 60) < 30
    waiter.wake()
    waiter.clear()
    assert ended_within(waiter, 0.2) >= 0.15  # cleared: slept its whole time


@linux_only
def test_setting_the_wall_clock_ends_the_sleep_at_once() -> None:
    """The kernel cancels the timer on any clock set (and on resume, which it treats the same)."""
    try:
        time.clock_settime(time.CLOCK_REALTIME, time.time())  # the same time: a harmless set
    except PermissionError:
        pytest.skip("setting the clock needs CAP_SYS_TIME")
    waiter = TimerfdWaiter()

    def set_clock() -> None:
        time.clock_settime(time.CLOCK_REALTIME, time.time())

    assert ended_within(waiter, 60, threading.Timer(0.2, set_clock)) < 30


def test_each_platform_gets_a_waiter_that_can_see_its_clock_changes() -> None:
    assert isinstance(best_waiter("win32"), EventWaiter)
    assert best_waiter("win32").max_sleep == 60  # blind to suspend: look every minute
    if sys.platform.startswith("linux"):
        waiter = best_waiter("linux")
        assert isinstance(waiter, TimerfdWaiter) and waiter.max_sleep > 60
