"""Idle sources: how long the user has been idle, and whether a fullscreen window has focus.

The only importer of python-xlib (X11) and of the Win32 and IOKit idle calls, all lazily; on
Wayland the idle time comes over the session bus (`presence_dbus`: GNOME Mutter's IdleMonitor, KDE
Plasma's org.freedesktop.ScreenSaver). `choose_method` picks one idle source from the platform and the
session's environment (capabilities as data); where none fits, natural breaks are off and
`IdleSupport.describe()` says why (the service shows it in `standup status`). What the idle time
means for the service (away, back, do-not-disturb holds) is `presence`'s; a source that can tell
of the first input as it happens offers `input_alarm` (X11: `input_alarm.X11InputAlarm`; GNOME on
Wayland: `input_alarm.MutterInputAlarm`; KDE Plasma has no such call, so its source offers none).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from standup.desktop import presence_dbus

if TYPE_CHECKING:
    from standup.desktop.input_alarm import InputAlarm, Readers

log = logging.getLogger(__name__)

PROCESS_READ_WAIT_S = 25.0  # a source that spawns a process per read is read no more often than this

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

    def input_alarm(self, readers: Readers, fire: Callable[[], None]) -> InputAlarm | None:
        """An alarm for the first input on this connection (XInput 2), or None where the server or the runner cannot."""
        from standup.desktop.input_alarm import X11InputAlarm

        return X11InputAlarm.open(self._display, readers, fire)

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
    fastest_wait_s = PROCESS_READ_WAIT_S

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


class MutterIdleSource(BusIdleSource):
    """GNOME Mutter's IdleMonitor: the idle time, and an input alarm from its user-active watches."""

    def __init__(self, bus: presence_dbus.SessionBus | None) -> None:
        super().__init__(GNOME_WAYLAND, bus, presence_dbus.GNOME_IDLE)

    def input_alarm(self, readers: Readers, fire: Callable[[], None]) -> InputAlarm | None:
        """Mutter's user-active watch, whose signal comes on the bus loop (so `readers` is not needed);
        None where the questions do not go over the bus loop."""
        from standup.desktop.input_alarm import MutterInputAlarm

        loop = self._bus.session_loop()
        if loop is None:
            log.info("no input alarm: the idle time is not asked over the desktop's bus loop")
            return None
        log.info("input alarm on (Mutter's user-active watch while away)")
        return MutterInputAlarm(loop, fire)


_SOURCES: dict[str, Callable[[presence_dbus.SessionBus | None], IdleSource]] = {
    X11: lambda bus: X11Source(),
    WINDOWS: lambda bus: WindowsSource(),
    MACOS: lambda bus: MacSource(),
    GNOME_WAYLAND: MutterIdleSource,
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
