"""The X11 input alarm on a real X server: quiet while nothing happens, one call at the first key or motion.

The idle source's own connection to the private desktop's Xvfb, the real runner sleeping on its
timerfd in a thread, input from xdotool (XTEST, which the server treats as a device, as it does a
real keyboard).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from standup.adapters.runner import Runner
from standup.adapters.waiter import TimerfdWaiter
from standup.desktop.idle import X11Source
from tests.day import Day
from tests.e2e.desktop import Desktop, wait_for


class Alarmed:
    """A runner in its thread, with an X11 source's alarm whose fire is counted; arming runs in the runner's thread."""

    def __init__(self, desktop: Desktop, tmp_path: Path) -> None:
        self.source = X11Source(desktop.env["DISPLAY"])
        day = Day(tmp_path)
        self.runner = Runner(day.service, day.clock, waiter=TimerfdWaiter())
        self.fired: list[float] = []
        self.wanted = False
        alarm = self.source.input_alarm(self.runner, lambda: self.fired.append(time.monotonic()))
        assert alarm is not None, "no input alarm on Xvfb"
        self.alarm = alarm
        self.runner.add_watch("arm", self._arm)
        self.thread = threading.Thread(target=self.runner.run, daemon=True)

    def _arm(self) -> float:
        if self.wanted:
            self.alarm.arm()
        return math.inf

    def arm(self) -> None:
        """Arms the alarm in the runner's thread, and returns once the runner sleeps again."""
        self.wanted = True
        self.runner.run_soon("arm")
        wait_for("the alarm armed", lambda: self.alarm.armed, 5, 0.01)
        time.sleep(0.2)  # the rest of that turn, and the wake-up run_soon may still owe

    def quiet_for(self, seconds: float) -> int:
        """Runner wake-ups over `seconds` with no input."""
        before = self.runner.wakeups
        time.sleep(seconds)
        return self.runner.wakeups - before


@pytest.fixture
def alarmed(desktop: Desktop, tmp_path: Path) -> Iterator[Alarmed]:
    alarmed = Alarmed(desktop, tmp_path)
    alarmed.thread.start()
    try:
        yield alarmed
    finally:
        alarmed.runner.stop()
        alarmed.thread.join(5)
        alarmed.source.close()


def fires_after(alarmed: Alarmed, desktop: Desktop, *xdotool: str) -> float:
    before = len(alarmed.fired)
    sent = time.monotonic()
    desktop.xdotool(*xdotool)
    wait_for(f"the alarm to fire at `xdotool {' '.join(xdotool)}`", lambda: len(alarmed.fired) > before, 5, 0.01)
    return alarmed.fired[before] - sent


def test_armed_it_sleeps_until_a_key_press_and_fires_once(desktop: Desktop, alarmed: Alarmed) -> None:
    alarmed.arm()
    assert alarmed.quiet_for(2.0) == 0, "the runner woke with nobody at the keyboard"
    assert alarmed.fired == []
    assert fires_after(alarmed, desktop, "key", "shift") < 1.0
    assert not alarmed.alarm.armed
    desktop.xdotool("key", "shift")
    desktop.xdotool("mousemove_relative", "--", "4", "0")
    time.sleep(0.5)
    assert len(alarmed.fired) == 1, "a fired alarm fires again before it is armed"


def test_pointer_motion_and_clicks_fire_it_too(desktop: Desktop, alarmed: Alarmed) -> None:
    alarmed.arm()
    assert fires_after(alarmed, desktop, "mousemove_relative", "--", "-3", "2") < 1.0
    alarmed.arm()
    assert fires_after(alarmed, desktop, "click", "2") < 1.0


def test_disarmed_input_is_read_and_ignored(desktop: Desktop, alarmed: Alarmed) -> None:
    alarmed.arm()
    alarmed.runner.add_watch("disarm", lambda: (alarmed.alarm.disarm(), math.inf)[1])
    wait_for("the alarm disarmed", lambda: not alarmed.alarm.armed, 5, 0.01)
    desktop.xdotool("key", "shift")
    desktop.xdotool("mousemove_relative", "--", "3", "0")
    assert alarmed.quiet_for(1.0) <= 2  # the events are read (the socket must not stay readable) and nothing fires
    assert alarmed.fired == []
    assert alarmed.quiet_for(1.0) == 0
