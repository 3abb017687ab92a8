"""Presence and do-not-disturb: how long the user has been idle, and whether a fullscreen window has focus.

The only importer of python-xlib (X11) and of the Win32 and IOKit idle calls, all lazily; on
Wayland the idle time comes over the session bus (`presence_dbus`: GNOME Mutter's IdleMonitor, KDE
Plasma's org.freedesktop.ScreenSaver). `choose_method` picks one idle source from the platform and the
session's environment (capabilities as data); where none fits, natural breaks are off and
`IdleSupport.describe()` says why (the service shows it in `standup status`).

Nothing here spawns a thread or a process per check: `PresenceWatch.check` and
`FullscreenWatch.check` run in the runner's thread (`runner.add_watch`) and return how many seconds
until they next want to run. Presence is reported as `service.user_away(since)` once idle time
reaches break_minutes or the screen is locked, and `service.user_back(at)` with the moment input
resumed (or the screen was unlocked). While the notification server is paused or inhibited, prompts
are held as "notifications-paused". Screen lock and notification pause come from the session bus
(`presence_dbus`). At the desk, presence is read when the idle time could first reach the break (at
most every 5 minutes). While away it is read every 10 s for the first 10 minutes, then every 25 s,
so a return is noticed well within 30 s of the first input (an idle-time read is one round trip);
the screen lock is asked again at once when input shows, else at most every 5 minutes. Both ends of
a natural break come from the idle time, not the poll: left at (read − idle) when the idle time
crosses the break, back at (read − idle) at the first read that shows input. Fullscreen and the
notification pause only matter when a prompt is due, so they are asked just before each due
decision, and on a timer only while they hold.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from standup.desktop import presence_dbus
from standup.service.ports import Clock

log = logging.getLogger(__name__)

MAX_WAIT_S = 300.0  # presence at the desk: the longest wait before the idle time could reach the break
MIN_WAIT_S = 1.0
AWAY_WAIT_S = 10.0  # while away: how late a return may be noticed, for the first AWAY_SOON_S away
AWAY_LATER_WAIT_S = 25.0  # ... and after that: a long absence costs fewer wake-ups, still inside 30 s
AWAY_SOON_S = 600.0
HELD_WAIT_S = 60.0  # while a do-not-disturb hold lasts, how often to look whether it has ended
FULLSCREEN_WAIT_S = 15.0
INPUT_SLACK_S = 2.0  # idle time may lag the wall by this much before we call it input
ENV_POLL = "STANDUP_PRESENCE_POLL_SECONDS"  # lower the caps between checks (tests)
NOTIFICATIONS_PAUSED = "notifications-paused"  # the hold while the notification server is paused

X11, WINDOWS, MACOS, GNOME_WAYLAND, KDE_WAYLAND, NONE = (
    "x11-screensaver", "windows", "macos-hid", "gnome-mutter", "kde-screensaver", "none")


class IdleError(Exception):
    """The idle time could not be read this time."""


@dataclass(frozen=True)
class IdleSupport:
    """Whether natural breaks can be noticed here, how, and if not, why not."""

    method: str
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.method != NONE

    def describe(self) -> str:
        return f"on ({self.method})" if self.available else f"off: {self.reason}"


class IdleSource(Protocol):
    support: IdleSupport

    def idle_seconds(self) -> float:
        """Seconds since the last keyboard or pointer input; raises IdleError."""

    def close(self) -> None: ...


class Presence(Protocol):
    """What the watches tell the service (a ReminderService)."""

    natural_breaks: str

    def user_away(self, since: datetime) -> None: ...

    def user_back(self, at: datetime) -> None: ...

    def hold(self, reason: str) -> None: ...

    def release(self, reason: str) -> None: ...


class Watches(Protocol):
    """Where the watches run (the Runner)."""

    def add_watch(self, name: str, check: Callable[[], float], *, before_decisions: bool = False,
                  after_changes: bool = False) -> None: ...


@runtime_checkable
class FullscreenProbe(Protocol):
    def is_fullscreen(self) -> bool:
        """Whether the focused window covers the screen; raises IdleError."""


def choose_method(platform: str, env: Mapping[str, str]) -> IdleSupport:
    """Which idle source fits this platform and session."""
    if platform == "win32":
        return IdleSupport(WINDOWS)
    if platform == "darwin":
        return IdleSupport(MACOS)
    wayland = env.get("XDG_SESSION_TYPE") == "wayland" or bool(env.get("WAYLAND_DISPLAY"))
    if wayland:
        desktops = env.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
        if "GNOME" in desktops:
            return IdleSupport(GNOME_WAYLAND)
        if "KDE" in desktops:
            return IdleSupport(KDE_WAYLAND)
        name = env.get("XDG_CURRENT_DESKTOP") or "this Wayland desktop"
        return IdleSupport(NONE, f"{name} offers no idle time over D-Bus that standup can read "
                                 "(GNOME and KDE Plasma do; Wayland keeps input from other programs)")
    if env.get("DISPLAY"):
        return IdleSupport(X11)
    return IdleSupport(NONE, "no graphical session (DISPLAY is not set)")


# ---- sources --------------------------------------------------------------------------------


class NullSource:
    """No idle time here: natural breaks are off."""

    def __init__(self, reason: str) -> None:
        self.support = IdleSupport(NONE, reason)

    def idle_seconds(self) -> float:
        raise IdleError(self.support.reason)

    def close(self) -> None:
        pass


class X11Source:
    """XScreenSaver's idle time via python-xlib; also answers whether the active window is fullscreen."""

    support = IdleSupport(X11)

    def __init__(self, display_name: str | None = None) -> None:
        from Xlib import X, Xatom, display, error

        self._X, self._Xatom, self._error = X, Xatom, error
        try:
            self._display = display.Display(display_name)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            raise IdleError(f"cannot open the X display: {exc}") from exc
        if not self._display.has_extension("MIT-SCREEN-SAVER"):
            self._display.close()
            raise IdleError("the X server has no MIT-SCREEN-SAVER extension")
        self._root = self._display.screen().root
        self._active = self._display.intern_atom("_NET_ACTIVE_WINDOW")
        self._state = self._display.intern_atom("_NET_WM_STATE")
        self._fullscreen = self._display.intern_atom("_NET_WM_STATE_FULLSCREEN")

    def idle_seconds(self) -> float:
        try:
            return self._root.screensaver_query_info().idle / 1000.0
        except (self._error.XError, self._error.ConnectionClosedError, OSError) as exc:
            raise IdleError(f"XScreenSaver query failed: {exc}") from exc

    def is_fullscreen(self) -> bool:
        try:
            active = self._root.get_full_property(self._active, self._X.AnyPropertyType)
            if active is None or not active.value or not active.value[0]:
                return False
            window = self._display.create_resource_object("window", int(active.value[0]))
            state = window.get_full_property(self._state, self._Xatom.ATOM)
        except self._error.BadWindow:
            return False  # the window closed between the two reads
        except (self._error.XError, self._error.ConnectionClosedError, OSError) as exc:
            raise IdleError(f"cannot read the active window: {exc}") from exc
        return state is not None and self._fullscreen in list(state.value)

    def close(self) -> None:
        self._display.close()


class WindowsSource:
    """GetLastInputInfo via ctypes."""

    support = IdleSupport(WINDOWS)

    def __init__(self) -> None:
        import ctypes

        class LastInputInfo(ctypes.Structure):
            _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]

        self._ctypes = ctypes
        self._info = LastInputInfo()
        self._info.cbSize = ctypes.sizeof(LastInputInfo)
        self._user32 = ctypes.windll.user32  # type: ignore[attr-defined]
        self._kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]

    def idle_seconds(self) -> float:
        if not self._user32.GetLastInputInfo(self._ctypes.byref(self._info)):
            raise IdleError("GetLastInputInfo failed")
        return windows_idle(self._kernel32.GetTickCount(), self._info.dwTime)

    def close(self) -> None:
        pass


def windows_idle(tick_count: int, last_input: int) -> float:
    """Seconds between two 32-bit millisecond tick counts (GetTickCount wraps every 49.7 days)."""
    return ((tick_count - last_input) & 0xFFFFFFFF) / 1000.0


class MacSource:
    """HIDIdleTime from the IOHIDSystem registry entry (`ioreg`: a process per read, so while away at
    most every `fastest_wait_s`)."""

    support = IdleSupport(MACOS)
    fastest_wait_s = AWAY_LATER_WAIT_S

    def __init__(self, run: Callable[[list[str]], str] | None = None) -> None:
        self._run = run or _run_text

    def idle_seconds(self) -> float:
        try:
            text = self._run(["ioreg", "-c", "IOHIDSystem", "-d", "4", "-r", "-k", "HIDIdleTime"])
        except (OSError, subprocess.SubprocessError) as exc:
            raise IdleError(f"ioreg failed: {exc}") from exc
        return mac_idle(text)

    def close(self) -> None:
        pass


def mac_idle(ioreg_text: str) -> float:
    """Seconds from ioreg's `"HIDIdleTime" = <nanoseconds>` line."""
    match = re.search(r'"HIDIdleTime"\s*=\s*(\d+)', ioreg_text)
    if not match:
        raise IdleError("ioreg printed no HIDIdleTime")
    return int(match.group(1)) / 1e9


def _run_text(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=10).stdout


class BusIdleSource:
    """Idle time in milliseconds from a desktop's D-Bus service (GNOME Mutter, KDE Plasma); works on Wayland."""

    def __init__(self, method: str, bus: presence_dbus.SessionBus | None, query: presence_dbus.Query) -> None:
        self.support = IdleSupport(method)
        if bus is None:
            raise IdleError("there is no session bus")
        self._bus, self._query = bus, query
        self.idle_seconds()

    def idle_seconds(self) -> float:
        answer = self._bus.value(self._query)
        if answer is None:
            raise IdleError(f"{self._query.label}: {self._bus.why_not(self._query)}")
        if not isinstance(answer, int | float):
            raise IdleError(f"{self._query.label}: answered {answer!r}, not milliseconds")
        return float(answer) / 1000.0

    def close(self) -> None:
        pass


_SOURCES: dict[str, Callable[[presence_dbus.SessionBus | None], IdleSource]] = {
    X11: lambda bus: X11Source(),
    WINDOWS: lambda bus: WindowsSource(),
    MACOS: lambda bus: MacSource(),
    GNOME_WAYLAND: lambda bus: BusIdleSource(GNOME_WAYLAND, bus, presence_dbus.GNOME_IDLE),
    KDE_WAYLAND: lambda bus: BusIdleSource(KDE_WAYLAND, bus, presence_dbus.KDE_IDLE),
}


def open_source(platform: str = sys.platform, env: Mapping[str, str] | None = None,
                bus: presence_dbus.SessionBus | None = None) -> IdleSource:
    """The idle source for this session, or a NullSource saying why there is none.

    `bus` (a `presence_dbus.SessionBus`) answers for the Wayland desktops that report idle time over D-Bus.
    """
    support = choose_method(platform, os.environ if env is None else env)
    if not support.available:
        return NullSource(support.reason)
    try:
        return _SOURCES[support.method](bus)
    except (IdleError, ImportError, OSError, AttributeError, ValueError) as exc:
        log.info("idle detection via %s unavailable: %s", support.method, exc)
        return NullSource(f"{support.method} unavailable ({exc})")


# ---- watches --------------------------------------------------------------------------------


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
    also as soon as the idle time shows input (typing the password may be the unlock).
    """

    def __init__(
        self,
        service: Presence,
        clock: Clock,
        source: IdleSource,
        break_minutes: int,
        max_wait: float = MAX_WAIT_S,
        lock: Callable[[], bool | None] | None = None,
    ) -> None:
        self._service = service
        self._clock = clock
        self._source = source
        self._threshold = break_minutes * 60.0
        self._max_wait = max_wait
        self._fastest = max(MIN_WAIT_S, float(getattr(source, "fastest_wait_s", MIN_WAIT_S)))
        self._lock = lock
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
    no session bus, so no screen lock and no notification pause).
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
        presence = PresenceWatch(service, clock, source, break_minutes, wait, lock)
        runner.add_watch("presence", presence.check)
    if isinstance(source, FullscreenProbe):
        runner.add_watch("fullscreen", FullscreenWatch(service, source, min(wait, FULLSCREEN_WAIT_S)).check,
                         before_decisions=True)
    return support
