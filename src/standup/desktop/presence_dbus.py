"""Do-not-disturb and screen lock, read from the session bus (dbus-python, imported lazily).

Each source is a row of data (`Query`): a bus name, an object, a method and what to pass it. A
source whose name has no owner on the bus, or that answers with an error, is "unknown" (None) and is
logged once; unknown never holds a prompt and never counts as locked. Nothing is started by bus
activation: a name is asked only while something owns it.

Only the runner's watches call in here (`idle.register_watches`), each at most once per poll, on a
private connection of our own that is opened on first use and only when a session bus exists.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 2.0
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


def session_bus_address(env: Mapping[str, str] | None = None) -> str | None:
    """The session bus's address, or None when this session has none."""
    env = os.environ if env is None else env
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return env["DBUS_SESSION_BUS_ADDRESS"]
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):
        return f"unix:path={os.path.join(runtime, 'bus')}"
    return None


def _connect_dbus_python(address: str) -> tuple[Any, type[Exception]]:
    import dbus
    import dbus.bus

    try:
        connection = dbus.bus.BusConnection(address)
    except dbus.DBusException as exc:
        raise ConnectionError(str(exc)) from exc
    connection.set_exit_on_disconnect(False)
    return connection, dbus.DBusException


class SessionBus:
    """A lazily opened private connection that answers `Query`s with True, False or None (unknown)."""

    def __init__(self, address: str, connect: Callable[[str], tuple[Any, type[Exception]]] | None = None) -> None:
        self.address = address
        self._connect = connect or _connect_dbus_python
        self._connection: Any = None
        self._error: type[Exception] = Exception
        self._gone: str | None = None  # why D-Bus can never be used in this process (no library)
        self._logged: set[str] = set()

    def ask(self, query: Query) -> bool | None:
        connection = self._open()
        if connection is None:
            return None
        try:
            if not self._call(Query("", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                    "NameHasOwner", "s", (query.name,))):
                self._once(query.label, f"{query.name} is not on the session bus")
                return None
            answer = self._call(query)
        except self._error as exc:
            self._once(query.label, str(exc))
            if not getattr(connection, "get_is_connected", lambda: True)():
                self._connection = None  # reconnect at the next check
            return None
        self._logged.discard(query.label)  # if it goes away again, say so again
        return bool(answer)

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

    def _call(self, query: Query) -> Any:
        return self._connection.call_blocking(query.name, query.path, query.interface, query.method,
                                              query.signature, query.args, timeout=CALL_TIMEOUT_S)

    def _open(self) -> Any:
        if self._connection is None and self._gone is None:
            try:
                self._connection, self._error = self._connect(self.address)
            except ImportError as exc:
                self._gone = f"dbus-python is not installed ({exc})"
                log.info("do-not-disturb and screen lock unknown: %s", self._gone)
            except (ConnectionError, OSError) as exc:
                self._once("session bus", f"cannot connect: {exc}")
        return self._connection

    def _once(self, label: str, reason: str) -> None:
        if label not in self._logged:
            self._logged.add(label)
            log.info("%s unavailable: %s", label, reason)


def open_session_bus(env: Mapping[str, str] | None = None) -> SessionBus | None:
    """The session bus to ask, or None when there is none (no D-Bus call is ever made then)."""
    address = session_bus_address(env)
    return SessionBus(address) if address else None


def notifications_paused(bus: SessionBus) -> bool | None:
    """Whether the notification server is paused (dunst) or inhibited (KDE Plasma and others)."""
    return bus.any(PAUSE_SOURCES)


def screen_locked(bus: SessionBus) -> bool | None:
    """Whether the screen is locked, from org.freedesktop.ScreenSaver or org.gnome.ScreenSaver."""
    return bus.first(LOCK_SOURCES)
