"""The session-bus adapter: which sources answer, unknown as None, errors logged once, no bus no calls."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from standup.desktop import presence_dbus
from standup.desktop.presence_dbus import LOCK_SOURCES, PAUSE_SOURCES, SessionBus, notifications_paused, screen_locked


class FakeDBusError(Exception):
    pass


class FakeConnection:
    """A bus where `owners` hold names and `answers` maps (name, interface, method, args) to a value."""

    def __init__(self) -> None:
        self.owners: set[str] = set()
        self.answers: dict[tuple[Any, ...], Any] = {}
        self.calls: list[tuple[Any, ...]] = []
        self.connected = True
        self.closed = False

    def call_blocking(self, name: str, path: str, interface: str, method: str, signature: str,
                      args: tuple[Any, ...], timeout: float) -> Any:
        assert timeout <= 5
        if not self.connected:
            raise FakeDBusError("org.freedesktop.DBus.Error.Disconnected")
        self.calls.append((name, method, args))
        if (name, method) == ("org.freedesktop.DBus", "NameHasOwner"):
            return args[0] in self.owners
        key = (name, interface, method, args)
        if name not in self.owners or key not in self.answers:
            raise FakeDBusError(f"org.freedesktop.DBus.Error.UnknownMethod: {key}")
        return self.answers[key]

    def get_is_connected(self) -> bool:
        return self.connected

    def close(self) -> None:
        self.closed = True


def dunst(connection: FakeConnection, paused: bool) -> None:
    connection.owners.add("org.freedesktop.Notifications")
    connection.answers[("org.freedesktop.Notifications", "org.freedesktop.DBus.Properties", "Get",
                        ("org.dunstproject.cmd0", "paused"))] = paused


def plasma(connection: FakeConnection, inhibited: bool) -> None:
    connection.owners.add("org.freedesktop.Notifications")
    connection.answers[("org.freedesktop.Notifications", "org.freedesktop.DBus.Properties", "Get",
                        ("org.freedesktop.Notifications", "Inhibited"))] = inhibited


def screensaver(connection: FakeConnection, name: str, active: bool) -> None:
    connection.owners.add(name)
    connection.answers[(name, name, "GetActive", ())] = active


@pytest.fixture
def connection() -> FakeConnection:
    return FakeConnection()


@pytest.fixture
def bus(connection: FakeConnection) -> SessionBus:
    return SessionBus("unix:path=/fake", connect=lambda address: (connection, FakeDBusError))


def test_dunst_paused_and_running(connection: FakeConnection, bus: SessionBus) -> None:
    dunst(connection, paused=True)
    assert notifications_paused(bus) is True
    dunst(connection, paused=False)
    assert notifications_paused(bus) is False


def test_an_inhibited_notification_server_counts_as_paused(connection: FakeConnection, bus: SessionBus) -> None:
    plasma(connection, inhibited=True)
    assert notifications_paused(bus) is True
    plasma(connection, inhibited=False)
    assert notifications_paused(bus) is False


def test_without_a_notification_server_pause_is_unknown_and_nothing_is_activated(
    connection: FakeConnection, bus: SessionBus
) -> None:
    assert notifications_paused(bus) is None
    assert {method for _, method, _ in connection.calls} == {"NameHasOwner"}  # never a call that could start one


def test_a_server_with_neither_property_is_unknown_and_logged_once(
    connection: FakeConnection, bus: SessionBus, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="standup.desktop.presence_dbus")
    connection.owners.add("org.freedesktop.Notifications")  # e.g. xfce4-notifyd
    for _ in range(3):
        assert notifications_paused(bus) is None
    assert caplog.text.count("dunst paused unavailable") == 1
    assert caplog.text.count("notifications Inhibited unavailable") == 1


@pytest.mark.parametrize("name", ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"])
def test_the_screen_lock_from_either_screensaver(connection: FakeConnection, bus: SessionBus, name: str) -> None:
    assert screen_locked(bus) is None
    screensaver(connection, name, active=True)
    assert screen_locked(bus) is True
    screensaver(connection, name, active=False)
    assert screen_locked(bus) is False


def test_the_first_screensaver_that_answers_decides(connection: FakeConnection, bus: SessionBus) -> None:
    screensaver(connection, "org.freedesktop.ScreenSaver", active=False)
    screensaver(connection, "org.gnome.ScreenSaver", active=True)
    assert screen_locked(bus) is False
    assert [q.name for q in LOCK_SOURCES][0] == "org.freedesktop.ScreenSaver"
    assert len(PAUSE_SOURCES) == 2


def test_a_lost_connection_is_reopened_at_the_next_check(connection: FakeConnection) -> None:
    opened: list[FakeConnection] = []

    def connect(address: str) -> tuple[FakeConnection, type[Exception]]:
        fresh = connection if not opened else FakeConnection()
        dunst(fresh, paused=True)
        opened.append(fresh)
        return fresh, FakeDBusError

    bus = SessionBus("unix:path=/fake", connect=connect)
    assert notifications_paused(bus) is True
    connection.connected = False
    assert notifications_paused(bus) is None
    assert notifications_paused(bus) is True
    assert len(opened) == 2


def test_without_dbus_fast_every_source_is_unknown_and_said_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="standup.desktop.presence_dbus")
    attempts = []

    def connect(address: str) -> Any:
        attempts.append(address)
        raise ImportError("No module named 'dbus_fast'")

    bus = SessionBus("unix:path=/fake", connect=connect)
    assert notifications_paused(bus) is None and screen_locked(bus) is None and screen_locked(bus) is None
    assert len(attempts) == 1
    assert caplog.text.count("dbus-fast is not installed") == 1


def test_a_bus_that_refuses_the_connection_is_unknown(caplog: pytest.LogCaptureFixture) -> None:
    def connect(address: str) -> Any:
        raise ConnectionError("Failed to connect to socket /fake")

    bus = SessionBus("unix:path=/fake", connect=connect)
    assert screen_locked(bus) is None
    assert screen_locked(bus) is None


def test_close_closes_the_private_connection(connection: FakeConnection, bus: SessionBus) -> None:
    bus.close()  # never opened: nothing to do
    dunst(connection, paused=False)
    notifications_paused(bus)
    bus.close()
    assert connection.closed


def test_a_session_bus_only_where_there_is_one(tmp_path: Path) -> None:
    assert presence_dbus.session_bus_address({}) is None
    assert presence_dbus.open_session_bus({}) is None
    assert presence_dbus.session_bus_address({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/x"}) == "unix:path=/run/x"
    assert presence_dbus.session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    (tmp_path / "bus").touch()
    assert presence_dbus.session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) == f"unix:path={tmp_path}/bus"
    opened = presence_dbus.open_session_bus({"XDG_RUNTIME_DIR": str(tmp_path)})
    assert opened is not None and opened.address == f"unix:path={tmp_path}/bus"


class FollowingConnection(FakeConnection):
    """A connection that knows its names' owners without a call (as the bus loop does, by signal)."""

    def __init__(self) -> None:
        super().__init__()
        self.owner_questions: list[str] = []

    def has_owner(self, name: str, timeout: float) -> bool:
        self.owner_questions.append(name)
        return name in self.owners


def test_a_connection_that_follows_owners_is_not_asked_for_them_over_the_bus() -> None:
    following = FollowingConnection()
    bus = SessionBus("unix:path=/fake", connect=lambda address: (following, FakeDBusError))
    assert screen_locked(bus) is None
    screensaver(following, "org.gnome.ScreenSaver", active=True)
    assert screen_locked(bus) is True
    assert following.owner_questions == [query.name for query in LOCK_SOURCES] * 2
    assert [method for _, method, _ in following.calls] == ["GetActive"]  # the one round trip: the answer itself


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
def test_on_a_real_bus_an_owner_is_asked_once_then_followed_by_its_signals() -> None:
    pytest.importorskip("dbus_fast")
    from standup.desktop.bus import SessionLoop

    started = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                             capture_output=True, text=True, check=True, timeout=10)
    address, pid = started.stdout.split()
    ours, other = SessionLoop(address).start(), SessionLoop(address).start()
    name = "org.freedesktop.ScreenSaver"

    async def own(take: bool) -> None:
        connection = await other.connection()
        await (connection.request_name(name) if take else connection.release_name(name))

    def becomes(expected: bool) -> bool:
        deadline = time.monotonic() + 5
        while ours.known_owner(name) is not expected and time.monotonic() < deadline:
            time.sleep(0.02)
        return ours.known_owner(name) is expected

    try:
        assert ours.known_owner(name) is None  # not followed until asked
        assert presence_dbus.LoopConnection(ours).has_owner(name, timeout=2) is False
        assert ours.known_owner(name) is False
        other.ask(lambda: own(True))
        assert becomes(True)
        other.ask(lambda: own(False))
        assert becomes(False)
    finally:
        ours.stop()
        other.stop()
        subprocess.run(["kill", pid], check=False)
