"""While the user is away, presence waits for the first input instead of reading the idle time every 10 s.

The watch with a hand-written alarm on the fake clock, and the runner's part for real: a socket's data
ends its sleep at once, the reader's pump runs in its thread, and a closed socket does not spin it.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from standup.adapters.runner import Runner
from standup.adapters.waiter import EventWaiter, TimerfdWaiter
from standup.desktop import presence
from standup.desktop.idle import IdleSupport, X11
from standup.desktop.presence import PresenceWatch
from tests.day import Day
from tests.desktop_fakes import T0, FakeService
from tests.fakes import FakeClock


class CountingIdle:
    """Idle time on the fake clock since the last `touch()`; counts its reads."""

    support = IdleSupport(X11)

    def __init__(self, clock: FakeClock) -> None:
        self.clock, self.last_input, self.reads = clock, clock.monotonic(), 0

    def touch(self) -> None:
        self.last_input = self.clock.monotonic()

    def idle_seconds(self) -> float:
        self.reads += 1
        return self.clock.monotonic() - self.last_input

    def close(self) -> None:
        pass


class FakeAlarm:
    """An input alarm the test fires by hand, the way the X server's first raw event would."""

    def __init__(self, works: bool = True) -> None:
        self.works, self.armed, self.arms = works, False, 0
        self.fire: Callable[[], object] = lambda: None

    def arm(self) -> bool:
        self.arms += 1
        self.armed = self.works
        return self.works

    def disarm(self) -> None:
        self.armed = False

    def input(self) -> None:
        if self.armed:
            self.armed = False
            self.fire()


def away_day(clock: FakeClock, alarm: FakeAlarm) -> tuple[PresenceWatch, FakeService, CountingIdle, list[float]]:
    """09:00 at work, the last key at 09:02; the watch checks when it asked to, or when the alarm fires."""
    service, source = FakeService(), CountingIdle(clock)
    watch = PresenceWatch(service, clock, source, break_minutes=5, alarm=alarm)
    waits: list[float] = []
    alarm.fire = lambda: waits.append(watch.check())
    clock.advance(minutes=2)
    source.touch()
    return watch, service, source, waits


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


def test_away_with_an_alarm_no_read_until_the_first_key_press_then_back_at_that_key(clock: FakeClock) -> None:
    alarm = FakeAlarm()
    watch, service, source, waits = away_day(clock, alarm)
    clock.advance(minutes=5, seconds=20)
    assert watch.check() == presence.MAX_WAIT_S  # 09:07:20: away since 09:02; the next read is only a backstop
    assert service.calls == [("user_away", (T0 + timedelta(minutes=2),))]
    assert alarm.armed
    clock.advance(minutes=5)
    assert watch.check() == presence.MAX_WAIT_S  # 09:12:20, the backstop: still away, still armed
    assert alarm.armed and len(service.calls) == 1
    clock.advance(minutes=21, seconds=10)
    source.touch()  # 09:33:30, a key press
    alarm.input()
    assert service.calls[-1] == ("user_back", (T0 + timedelta(minutes=33, seconds=30),))
    assert not alarm.armed and not watch.away
    assert waits == [pytest.approx(5 * 60)]  # at the desk again: the next read when idle could reach the break
    assert source.reads == 3  # 26 minutes away cost two reads; polling every 10 s then 25 s would take about 80


def test_an_alarm_that_cannot_arm_leaves_the_watch_polling_as_before(clock: FakeClock) -> None:
    watch, service, source, _ = away_day(clock, FakeAlarm(works=False))
    clock.advance(minutes=5, seconds=20)
    assert watch.check() == presence.AWAY_WAIT_S
    clock.advance(minutes=10)
    assert watch.check() == presence.AWAY_LATER_WAIT_S
    source.touch()
    clock.advance(seconds=5)
    watch.check()
    assert service.calls[-1][0] == "user_back"


def test_a_return_the_backstop_sees_first_disarms_the_alarm(clock: FakeClock) -> None:
    alarm = FakeAlarm()
    watch, service, source, waits = away_day(clock, alarm)
    clock.advance(minutes=5, seconds=20)
    watch.check()
    clock.advance(minutes=2)
    source.touch()  # input the alarm did not see (a pointer warped by another program)
    clock.advance(minutes=3)
    watch.check()
    assert service.calls[-1] == ("user_back", (T0 + timedelta(minutes=9, seconds=20),))
    assert not alarm.armed
    alarm.input()
    assert waits == []  # a disarmed alarm runs nothing


def test_a_locked_screen_rearms_at_each_key_until_the_unlock(clock: FakeClock) -> None:
    locked = [True]
    service, source, alarm = FakeService(), CountingIdle(clock), FakeAlarm()
    watch = PresenceWatch(service, clock, source, 5, lock=lambda: locked[0], alarm=alarm)
    alarm.fire = watch.check
    watch.check()  # 09:00 locked: away
    assert alarm.armed
    clock.advance(minutes=40)
    source.touch()  # the first key of the password
    alarm.input()
    assert watch.away and alarm.armed  # still locked: waiting for the next key
    locked[0] = False
    clock.advance(seconds=3)
    source.touch()  # Enter, and the locker lets go
    alarm.input()
    assert not watch.away
    assert service.calls[-1] == ("user_back", (T0 + timedelta(minutes=40, seconds=3),))


class OfferingIdle(CountingIdle):
    """A source that offers an input alarm, as the X11 source does."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.offered: list[tuple[object, Callable[[], None]]] = []

    def input_alarm(self, readers: object, fire: Callable[[], None]) -> FakeAlarm:
        self.offered.append((readers, fire))
        return FakeAlarm()


class RecordingRunner:
    def __init__(self) -> None:
        self.watches: dict[str, Callable[[], float]] = {}
        self.soon: list[str] = []

    def add_watch(self, name: str, check: Callable[[], float], **when: bool) -> None:
        self.watches[name] = check

    def run_soon(self, name: str) -> None:
        self.soon.append(name)

    def add_reader(self, fd: int, pump: Callable[[], object]) -> bool:
        return True


def test_register_watches_gives_the_alarm_a_way_to_run_the_presence_watch(clock: FakeClock) -> None:
    runner, source = RecordingRunner(), OfferingIdle(clock)
    presence.register_watches(runner, FakeService(), clock, 5, source)
    ((readers, fire),) = source.offered
    assert readers is runner
    fire()
    assert runner.soon == [presence.PRESENCE] and presence.PRESENCE in runner.watches


# ---- the runner, for real ------------------------------------------------------------------


def running(runner: Runner) -> threading.Thread:
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    return thread


def wait_until(check: Callable[[], bool], timeout: float = 3.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return check()


def test_data_on_a_watched_socket_ends_a_long_sleep_and_runs_its_pump_in_the_runner_thread(tmp_path) -> None:
    day = Day(tmp_path)  # 09:00 on the fake clock: the next decision is an hour away
    runner = Runner(day.service, day.clock, waiter=TimerfdWaiter())
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    pumped: list[tuple[bytes, str]] = []

    def pump() -> None:
        try:
            pumped.append((os.read(read_end, 64), threading.current_thread().name))
        except BlockingIOError:
            pass

    assert runner.add_reader(read_end, pump)
    thread = running(runner)
    try:
        assert wait_until(lambda: runner.wakeups >= 1 or runner.sleep_seconds() > 60)
        time.sleep(0.2)
        os.write(write_end, b"input")
        assert wait_until(lambda: any(data == b"input" for data, _ in pumped)), "the runner slept on"
        assert {name for _, name in pumped} == {thread.name}
    finally:
        runner.stop()
        thread.join(5)
        os.close(write_end)
        os.close(read_end)


def test_run_soon_from_another_thread_runs_that_watch_now(tmp_path) -> None:
    day = Day(tmp_path)
    runner = Runner(day.service, day.clock, waiter=TimerfdWaiter())
    checks: list[str] = []
    runner.add_watch("presence", lambda: checks.append("presence") or math.inf)
    runner.add_watch("other", lambda: checks.append("other") or math.inf)
    thread = running(runner)
    try:
        assert wait_until(lambda: checks.count("presence") == 1)
        threading.Thread(target=runner.run_soon, args=("presence",)).start()
        assert wait_until(lambda: checks.count("presence") == 2)
        assert checks.count("other") == 1
    finally:
        runner.stop()
        thread.join(5)


def test_a_watched_socket_that_closes_does_not_spin_the_runner(tmp_path) -> None:
    day = Day(tmp_path)
    runner = Runner(day.service, day.clock, waiter=TimerfdWaiter())
    read_end, write_end = os.pipe()
    runner.add_reader(read_end, lambda: None)
    thread = running(runner)
    try:
        time.sleep(0.2)
        os.close(write_end)  # the far end hangs up: poll reports POLLHUP on every call from now on
        time.sleep(0.2)
        before = runner.wakeups
        time.sleep(1.0)
        assert runner.wakeups - before <= 1
    finally:
        runner.stop()
        thread.join(5)
        os.close(read_end)


def test_a_runner_that_cannot_watch_sockets_says_so(tmp_path) -> None:
    day = Day(tmp_path)
    runner = Runner(day.service, day.clock, waiter=EventWaiter())
    assert runner.add_reader(0, lambda: None) is False
