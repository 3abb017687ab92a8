"""Presence and do-not-disturb from the idle sources: the runner's watches that tell the service.

Nothing here spawns a thread or a process per check: `PresenceWatch.check` and the hold watches run
in the runner's thread (`runner.add_watch`) and return how many seconds until they next want to run.
Presence is reported as `service.user_away(since)` once idle time reaches break_minutes or the screen
is locked, and `service.user_back(at)` with the moment input resumed (or the screen was unlocked).
While the notification server is paused or inhibited, prompts are held as "notifications-paused".
Screen lock and notification pause come from the session bus (`presence_dbus`).

At the desk, presence is read when the idle time could first reach the break (at most every 5
minutes). While away, a source with an input alarm (`input_alarm`: X11 and GNOME) is not read on a
timer at all until its alarm fires at the first input, which runs the check at once; the 5-minute
read stays as a backstop. Without an alarm the idle time is read every 10 s for the first 10 minutes away, then
every 25 s, so a return is noticed within 30 s of the first input. The screen lock is asked again
at once when input shows, else at most every 5 minutes. Both ends of a natural break come from the
idle time, not the check: left at (read − idle) when the idle time crosses the break, back at
(read − idle) at the first read that shows input. Fullscreen and the notification pause only matter
when a prompt is due, so they are asked just before each due decision, and on a timer only while
they hold.
"""

from __future__ import annotations

import functools
import logging
import math
import os
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from standup.desktop import presence_dbus
from standup.desktop.idle import FullscreenProbe, IdleError, IdleSource, IdleSupport, open_source
from standup.desktop.input_alarm import InputAlarm, Readers
from standup.service.ports import Clock

log = logging.getLogger(__name__)

PRESENCE = "presence"  # the presence watch's name in the runner
MAX_WAIT_S = 300.0  # presence at the desk: the longest wait before the idle time could reach the break
MIN_WAIT_S = 1.0
AWAY_WAIT_S = 10.0  # away, no alarm: how late a return may be noticed, for the first AWAY_SOON_S away
AWAY_LATER_WAIT_S = 25.0  # ... and after that: a long absence costs fewer wake-ups, still inside 30 s
AWAY_SOON_S = 600.0
HELD_WAIT_S = 60.0  # while a do-not-disturb hold lasts, how often to look whether it has ended
FULLSCREEN_WAIT_S = 15.0
INPUT_SLACK_S = 2.0  # idle time may lag the wall by this much before we call it input
ENV_POLL = "STANDUP_PRESENCE_POLL_SECONDS"  # lower the caps between checks (tests)
NOTIFICATIONS_PAUSED = "notifications-paused"  # the hold while the notification server is paused


class Presence(Protocol):
    """What the watches tell the service (a ReminderService)."""

    natural_breaks: str

    def user_away(self, since: datetime) -> None: ...

    def user_back(self, at: datetime) -> None: ...

    def hold(self, reason: str) -> None: ...

    def release(self, reason: str) -> None: ...


class Watches(Readers, Protocol):
    """Where the watches run (the Runner), and where an input alarm's socket is watched."""

    def add_watch(self, name: str, check: Callable[[], float], *, before_decisions: bool = False,
                  after_changes: bool = False) -> None: ...

    def run_soon(self, name: str) -> None: ...


def poll_cap(env: Mapping[str, str] | None = None) -> float:
    """The longest wait between presence checks: 300 s, or less from $STANDUP_PRESENCE_POLL_SECONDS."""
    raw = (os.environ if env is None else env).get(ENV_POLL, "")
    try:
        value = float(raw)
    except ValueError:
        return MAX_WAIT_S
    return min(MAX_WAIT_S, max(MIN_WAIT_S, value))


class PresenceWatch:
    """Turns idle time and screen lock into `user_away(since)` / `user_back(at)` calls; a runner watch.

    A locked screen counts as idle time past the break: one state, so the service never hears
    "away" twice or "back" while the screen is still locked. `lock()` answers True, False or None
    (unknown, taken as unlocked); it is asked at most once per `max_wait` seconds, and while away
    also as soon as the idle time shows input (typing the password may be the unlock). With an
    `alarm`, the watch arms it on leaving and waits `max_wait` instead of polling: the alarm runs the
    check at the first input, and disarms itself; a return seen otherwise (the backstop read) disarms it.
    """

    def __init__(
        self,
        service: Presence,
        clock: Clock,
        source: IdleSource,
        break_minutes: int,
        max_wait: float = MAX_WAIT_S,
        lock: Callable[[], bool | None] | None = None,
        alarm: InputAlarm | None = None,
    ) -> None:
        self._service = service
        self._clock = clock
        self._source = source
        self._threshold = break_minutes * 60.0
        self._max_wait = max_wait
        self._fastest = max(MIN_WAIT_S, float(getattr(source, "fastest_wait_s", MIN_WAIT_S)))
        self._lock = lock
        self._alarm = alarm
        self._away = False
        self._away_since = 0.0  # monotonic time the user left, while away
        self._last: tuple[float, float] | None = None  # (idle seconds, monotonic) at the last check
        self._failing = False
        self._locked = False
        self._lock_asked: float | None = None  # monotonic time of the last lock query
        self._locked_seen: datetime | None = None  # wall time of the last query that found the screen locked

    @property
    def away(self) -> bool:
        return self._away

    def check(self) -> float:
        """Reads the idle time (and the lock) once; returns seconds until the next check is worth doing."""
        idle = self._read_idle()
        now, mono = self._clock.now(), self._clock.monotonic()
        last = self._last
        if idle is not None:
            self._last = (idle, mono)
        # Input since the last read: the idle time is shorter than the last one grown by the time between.
        input_seen = idle is not None and last is not None and idle + INPUT_SLACK_S < last[0] + (mono - last[1])
        was_locked = self._locked
        locked = self._read_lock(now_too=self._away and (input_seen or idle is None))
        if self._away:
            if locked:
                return self._away_wait(mono)
            if idle is None:
                if not was_locked:
                    return self._max_wait  # no news: idle time unreadable
                back = now  # unlocked, and nothing tells us when exactly
            elif input_seen:
                back = now - timedelta(seconds=idle)  # the input the idle time counts from
            elif was_locked and idle < self._threshold:
                back = max(now - timedelta(seconds=idle), self._locked_seen or now)  # unlocked, input before our last look
            else:
                return self._away_wait(mono)  # still away
            self._away = False
            if self._alarm is not None:
                self._alarm.disarm()
            self._service.user_back(back)
        if locked:
            return self._leave(now, mono, 0.0 if idle is None else idle)
        if idle is None:
            return self._max_wait
        if idle >= self._threshold:
            return self._leave(now, mono, idle)
        return min(self._max_wait, max(MIN_WAIT_S, self._threshold - idle))

    def _leave(self, now: datetime, mono: float, idle: float) -> float:
        self._away, self._away_since = True, mono - idle
        self._service.user_away(now - timedelta(seconds=idle))
        return self._away_wait(mono)

    def _away_wait(self, mono: float) -> float:
        if self._alarm is not None and self._alarm.arm():
            return self._max_wait
        wait = AWAY_WAIT_S if mono - self._away_since < AWAY_SOON_S else AWAY_LATER_WAIT_S
        return min(self._max_wait, max(self._fastest, wait))

    def _read_idle(self) -> float | None:
        try:
            idle: float = self._source.idle_seconds()
        except IdleError as exc:
            if not self._failing and self._source.support.available:
                log.warning("idle time unavailable: %s", exc)
            self._failing = True
            return None
        self._failing = False
        return idle

    def _read_lock(self, now_too: bool = False) -> bool:
        """The screen lock, asked again when `max_wait` has passed since the last question, or when
        `now_too` (away, and input showed or there is no idle time to show it)."""
        if self._lock is None:
            return False
        mono = self._clock.monotonic()
        if now_too or self._lock_asked is None or mono - self._lock_asked >= self._max_wait - MIN_WAIT_S:
            self._lock_asked = mono
            self._locked = self._lock() is True
            if self._locked:
                self._locked_seen = self._clock.now()
        return self._locked


class HoldWatch:
    """Holds prompts for `reason` while `probe()` says True; False or None (unknown) releases.

    A runner watch that runs before each due decision; only while it holds does it look again on a timer.
    """

    def __init__(self, service: Presence, reason: str, probe: Callable[[], bool | None], wait: float = HELD_WAIT_S) -> None:
        self._service = service
        self._reason = reason
        self._probe = probe
        self._wait = wait
        self._held = False

    def check(self) -> float:
        held = self._probe() is True
        if held != self._held:
            self._held = held
            if held:
                self._service.hold(self._reason)
            else:
                self._service.release(self._reason)
        return self._wait if held else math.inf


class FullscreenWatch(HoldWatch):
    """Holds prompts while a fullscreen window has focus: a HoldWatch whose probe asks the window system."""

    REASON = "fullscreen"

    def __init__(self, service: Presence, probe: FullscreenProbe, wait: float = FULLSCREEN_WAIT_S) -> None:
        super().__init__(service, self.REASON, functools.partial(_fullscreen, probe), wait)


def _fullscreen(probe: FullscreenProbe) -> bool:
    try:
        return probe.is_fullscreen()
    except IdleError as exc:
        log.debug("fullscreen check failed: %s", exc)
        return False


def register_watches(
    runner: Watches, service: Presence, clock: Clock, break_minutes: int, source: IdleSource | None = None,
    bus: presence_dbus.SessionBus | None = None,
) -> IdleSupport:
    """Adds the presence, fullscreen and notification-pause watches to `runner`.

    Tells the service whether natural breaks are on. `bus` is a `presence_dbus.SessionBus` (None:
    no session bus, so no screen lock and no notification pause). A source that offers an input
    alarm gets one that runs the presence watch at the first input while away.
    """
    source = source if source is not None else open_source()
    support: IdleSupport = source.support
    service.natural_breaks = support.describe()
    wait = poll_cap()
    lock = None
    if bus is not None:
        lock = functools.partial(presence_dbus.screen_locked, bus)
        paused = functools.partial(presence_dbus.notifications_paused, bus)
        held_wait = min(wait, HELD_WAIT_S)
        runner.add_watch(NOTIFICATIONS_PAUSED, HoldWatch(service, NOTIFICATIONS_PAUSED, paused, held_wait).check,
                         before_decisions=True)
        if not support.available:
            service.natural_breaks = f"{support.describe()}; a locked screen counts as away where the desktop reports it"
    log.info("natural breaks %s", service.natural_breaks)
    if support.available or lock is not None:
        offer = getattr(source, "input_alarm", None)
        alarm = offer(runner, functools.partial(runner.run_soon, PRESENCE)) if callable(offer) else None
        presence = PresenceWatch(service, clock, source, break_minutes, wait, lock, alarm)
        runner.add_watch(PRESENCE, presence.check)
    if isinstance(source, FullscreenProbe):
        runner.add_watch("fullscreen", FullscreenWatch(service, source, min(wait, FULLSCREEN_WAIT_S)).check,
                         before_decisions=True)
    return support
