"""Do-not-disturb, screen lock and idle time, asked of the session bus (dbus-fast, on the shared bus loop).

Each question is a row of data (`Query`): a bus name, an object, a method and what to pass it. A
source whose name has no owner on the bus, or that answers with an error, is "unknown" (None) and is
logged once; unknown never holds a prompt and never counts as locked. Nothing is started by bus
activation: a name is asked only while something owns it, and calls carry NO_AUTO_START.

Only the runner's watches call in here (`presence.register_watches`), each at most once per poll; the
calls go through the desktop's one bus loop and connection (`bus.SessionLoop`), waiting for the
answer with a timeout, and only when a session bus exists. Whether a source's name has an owner is
followed by signal after the first question (`SessionLoop.has_owner`): a check whose sources are
absent (no screensaver service, say) sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from standup.desktop.bus import BusError, SessionLoop, session_bus_address

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 2.0
NO_AUTO_START = 0x2  # dbus message flag: never start a service to answer
NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
PROPERTIES = "org.freedesktop.DBus.Properties"


@dataclass(frozen=True)
class Query:
    """One D-Bus call whose boolean answer is what we want to know."""

    label: str
    name: str
    path: str
    interface: str
    method: str
    signature: str = ""
    args: tuple[str, ...] = ()


def _prop(label: str, name: str, path: str, interface: str, prop: str) -> Query:
    return Query(label, name, path, PROPERTIES, "Get", "ss", (interface, prop))


# The notification server says it is paused or inhibited: any True holds prompts.
PAUSE_SOURCES = (
    _prop("dunst paused", NOTIFICATIONS, NOTIFICATIONS_PATH, "org.dunstproject.cmd0", "paused"),
    _prop("notifications Inhibited", NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS, "Inhibited"),
)
# The screen is locked (or its screensaver active): the first source that answers decides.
LOCK_SOURCES = (
    Query("freedesktop ScreenSaver", "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
          "org.freedesktop.ScreenSaver", "GetActive"),
    Query("GNOME ScreenSaver", "org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "GetActive"),
)


# Idle time in milliseconds, where the desktop reports it over the bus (Wayland has no common way).
GNOME_IDLE = Query("GNOME Mutter IdleMonitor", "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
                   "org.gnome.Mutter.IdleMonitor", "GetIdletime")
KDE_IDLE = Query("KDE session idle time", "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                 "org.freedesktop.ScreenSaver", "GetSessionIdleTime")


class Connection(Protocol):
    """What a `SessionBus` asks its connection: blocking calls, whether it is still up, closing it."""

    def call_blocking(self, name: str, path: str, interface: str, method: str, signature: str,
                      args: tuple[object, ...], timeout: float) -> object: ...

    def get_is_connected(self) -> bool: ...

    def close(self) -> None: ...


Connect = Callable[[str], tuple[Connection, type[Exception]]]  # address → a connection and the error its calls raise


class LoopConnection:
    """Blocking calls over the shared bus loop, for the runner's thread."""

    def __init__(self, loop: SessionLoop) -> None:
        self._loop = loop

    @property
    def loop(self) -> SessionLoop:
        return self._loop

    def call_blocking(self, name: str, path: str, interface: str, method: str, signature: str,
                      args: tuple[object, ...], timeout: float) -> object:
        loop = self._loop
        body = loop.ask(lambda: loop.call(name, path, interface, method, signature, list(args), NO_AUTO_START), timeout)
        value = body[0] if body else None
        return getattr(value, "value", value)  # Properties.Get answers with a Variant

    def has_owner(self, name: str, timeout: float) -> bool:
        """Whether `name` has an owner: known from its signals without a round trip once asked."""
        known = self._loop.known_owner(name)
        return known if known is not None else self._loop.ask(lambda: self._loop.has_owner(name), timeout)

    def get_is_connected(self) -> bool:
        return True  # the loop opens its connection again when it is lost

    def close(self) -> None:
        pass  # the loop belongs to the desktop


def _connect_loop(loop: SessionLoop | None) -> Connect:
    def connect(address: str) -> tuple[Connection, type[Exception]]:
        import dbus_fast  # noqa: F401  (ImportError here means: not installed)

        return LoopConnection(loop or SessionLoop(address).start()), BusError

    return connect


class SessionBus:
    """Answers `Query`s with True, False or None (unknown), over a connection opened on first use."""

    def __init__(self, address: str, connect: Connect | None = None,
                 loop: SessionLoop | None = None) -> None:
        self.address = address
        self._connect = connect or _connect_loop(loop)
        self._connection: Connection | None = None
        self._error: type[Exception] = Exception
        self._gone: str | None = None  # why D-Bus can never be used in this process (no library)
        self._logged: set[str] = set()
        self._reasons: dict[str, str] = {}

    def ask(self, query: Query) -> bool | None:
        answer = self.value(query)
        return None if answer is None else bool(answer)

    def value(self, query: Query) -> object:
        """The raw answer to `query`, or None when it is unknown (the reason is logged once)."""
        connection = self._open()
        if connection is None:
            return None
        try:
            if not self._has_owner(connection, query.name):
                self._once(query.label, f"{query.name} is not on the session bus")
                return None
            answer = self._call(connection, query)
        except self._error as exc:
            self._once(query.label, str(exc))
            if not getattr(connection, "get_is_connected", lambda: True)():
                self._connection = None  # reconnect at the next check
            return None
        self._logged.discard(query.label)  # if it goes away again, say so again
        return answer

    def session_loop(self) -> SessionLoop | None:
        """The bus loop the questions go over, or None when they go over a connection of another kind."""
        connection = self._open()
        return connection.loop if isinstance(connection, LoopConnection) else None

    def why_not(self, query: Query) -> str:
        """The last reason `query` was unknown."""
        return self._reasons.get(query.label, "no answer")

    def first(self, queries: Iterable[Query]) -> bool | None:
        """The first known answer among `queries`, or None."""
        for query in queries:
            answer = self.ask(query)
            if answer is not None:
                return answer
        return None

    def any(self, queries: Iterable[Query]) -> bool | None:
        """True if any query says so, False if some answered and none did, else None."""
        answers = [self.ask(query) for query in queries]
        if True in answers:
            return True
        return False if False in answers else None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @staticmethod
    def _has_owner(connection: Connection, name: str) -> bool:
        has_owner = getattr(connection, "has_owner", None)  # the bus loop follows owners by signal
        if has_owner is not None:
            return bool(has_owner(name, timeout=CALL_TIMEOUT_S))
        return bool(SessionBus._call(connection, Query("", "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                        "org.freedesktop.DBus", "NameHasOwner", "s", (name,))))

    @staticmethod
    def _call(connection: Connection, query: Query) -> object:
        return connection.call_blocking(query.name, query.path, query.interface, query.method,
                                        query.signature, query.args, timeout=CALL_TIMEOUT_S)

    def _open(self) -> Connection | None:
        if self._connection is None and self._gone is None:
            try:
                self._connection, self._error = self._connect(self.address)
            except ImportError as exc:
                self._gone = f"dbus-fast is not installed ({exc})"
                log.info("do-not-disturb and screen lock unknown: %s", self._gone)
            except (ConnectionError, OSError) as exc:
                self._once("session bus", f"cannot connect: {exc}")
        return self._connection

    def _once(self, label: str, reason: str) -> None:
        self._reasons[label] = reason
        if label not in self._logged:
            self._logged.add(label)
            log.info("%s unavailable: %s", label, reason)


def open_session_bus(env: Mapping[str, str] | None = None, loop: SessionLoop | None = None) -> SessionBus | None:
    """The session bus to ask (over `loop`, else a loop of its own on first use), or None when there is none."""
    if loop is not None:
        return SessionBus(loop.address, loop=loop)
    address = session_bus_address(env)
    return SessionBus(address) if address else None


def notifications_paused(bus: SessionBus) -> bool | None:
    """Whether the notification server is paused (dunst) or inhibited (KDE Plasma and others)."""
    return bus.any(PAUSE_SOURCES)


def screen_locked(bus: SessionBus) -> bool | None:
    """Whether the screen is locked, from org.freedesktop.ScreenSaver or org.gnome.ScreenSaver."""
    return bus.first(LOCK_SOURCES)
