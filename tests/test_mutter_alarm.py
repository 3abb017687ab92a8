"""GNOME on Wayland: while away, Mutter's user-active watch tells of the first input, on a real (private) bus.

A stand-in Mutter IdleMonitor (GetIdletime, AddUserActiveWatch, RemoveWatch and the WatchFired
signal the test emits) on one bus loop, standup's GNOME idle source on another: the alarm adds one
watch, fires once when that watch fires and not for another's (even when the firing overtakes the
watch's id), removes its watch when disarmed, arms anew on a new connection, cannot arm without
Mutter, and KDE's source offers no alarm. Last, the runner's presence watch hears the return at the
signal instead of at its 5-minute backstop.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest

from standup.adapters.runner import Runner
from standup.adapters.waiter import TimerfdWaiter
from standup.desktop import bus as session_bus
from standup.desktop import idle, presence, presence_dbus
from standup.desktop.input_alarm import InputAlarm
from tests.day import Day
from tests.desktop_fakes import FakeService
from tests.test_input_alarm import running, wait_until
from tests.test_presence_bus import ScreenSaver, serve
from tests.test_sni_bus import address  # noqa: F401  (the private bus fixture)

pytest.importorskip("dbus_fast")
from dbus_fast import DBusError  # noqa: E402
from dbus_fast.service import ServiceInterface, method, signal  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")

MUTTER = "org.gnome.Mutter.IdleMonitor"
CORE = "/org/gnome/Mutter/IdleMonitor/Core"
GNOME = {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "GNOME"}
KDE = {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "KDE"}
WAIT_S = 5.0


class IdleMonitor(ServiceInterface):
    def __init__(self) -> None:
        super().__init__(MUTTER)
        self.idle_ms = 125_000
        self.added: list[int] = []
        self.removed: list[int] = []
        self.refuse = False
        self.fire_at_once = False  # the first input comes before the watch's id is back with us

    @method()
    def GetIdletime(self) -> "t":  # noqa: F821,N802
        return self.idle_ms

    @method()
    def AddUserActiveWatch(self) -> "u":  # noqa: F821,N802
        if self.refuse:
            raise DBusError("org.freedesktop.DBus.Error.Failed", "no watches today")
        self.added.append(len(self.added) + 41)
        if self.fire_at_once:
            self.WatchFired(self.added[-1])
        return self.added[-1]

    @method()
    def RemoveWatch(self, watch: "u"):  # noqa: F821,N802,ANN201
        self.removed.append(watch)

    @signal()
    def WatchFired(self, watch: int) -> "u":  # noqa: F821,N802
        return watch


class Desktop:
    """The stand-in Mutter on its own bus loop; emits WatchFired there, as Mutter would at an input."""

    def __init__(self, address: str) -> None:  # noqa: F811
        self.loop = session_bus.SessionLoop(address, name="stand-in-mutter").start()
        self.monitor = IdleMonitor()
        serve(self.loop, MUTTER, CORE, self.monitor)

    def input(self, watch: int) -> None:
        self.loop.call_soon(lambda: self.monitor.WatchFired(watch))

    def leave_the_bus(self) -> None:
        async def run() -> None:
            connection = await self.loop.connection()
            await connection.release_name(MUTTER)
        self.loop.ask(run)


class Fired:
    def __init__(self) -> None:
        self.threads: list[str] = []
        self.event = threading.Event()

    def __call__(self) -> None:
        self.threads.append(threading.current_thread().name)
        self.event.set()

    def wait_for(self, count: int) -> bool:
        return wait_until(lambda: len(self.threads) >= count, WAIT_S)


@pytest.fixture()
def desktop(address: str) -> Iterator[Desktop]:  # noqa: F811
    side = Desktop(address)
    yield side
    side.loop.stop()


@pytest.fixture()
def ours(address: str) -> Iterator[session_bus.SessionLoop]:  # noqa: F811
    loop = session_bus.SessionLoop(address).start()
    yield loop
    loop.stop()


def gnome_alarm(loop: session_bus.SessionLoop, fire: Fired) -> InputAlarm:
    bus = presence_dbus.open_session_bus(loop=loop)
    source = idle.open_source("linux", GNOME, bus=bus)
    assert source.support.describe() == "on (gnome-mutter)"
    assert source.idle_seconds() == 125.0
    alarm: InputAlarm | None = source.input_alarm(None, fire)  # type: ignore[attr-defined]
    assert alarm is not None
    return alarm


def test_the_alarm_adds_one_watch_and_fires_once_when_mutter_fires_it(desktop: Desktop, ours) -> None:
    fired = Fired()
    alarm = gnome_alarm(ours, fired)
    assert alarm.arm() is True
    assert alarm.arm() is True  # still armed: no second watch
    assert desktop.monitor.added == [41]
    desktop.input(7)  # another client's watch
    desktop.input(41)
    assert fired.wait_for(1), "WatchFired for our watch did not fire the alarm"
    assert fired.threads == ["standup-bus"]  # the bus loop's thread: the runner's run_soon is thread-safe
    desktop.input(41)  # Mutter fires a watch once; a second one is not news
    assert alarm.arm() is True
    assert desktop.monitor.added == [41, 42]  # fired means disarmed: arming again adds a new watch
    desktop.input(42)
    assert fired.wait_for(2)
    assert len(fired.threads) == 2  # the signals came in order: neither 7 nor the second 41 fired it


def test_another_clients_watch_does_not_fire_the_alarm(desktop: Desktop, ours) -> None:
    fired = Fired()
    alarm = gnome_alarm(ours, fired)
    assert alarm.arm() is True
    desktop.input(40)
    desktop.input(43)
    assert not fired.event.wait(0.5)
    assert desktop.monitor.removed == []


def test_disarming_removes_the_watch_and_its_firing_is_ignored(desktop: Desktop, ours) -> None:
    fired = Fired()
    alarm = gnome_alarm(ours, fired)
    assert alarm.arm() is True
    alarm.disarm()
    assert desktop.monitor.removed == [41]
    alarm.disarm()
    assert desktop.monitor.removed == [41]  # nothing outstanding, nothing to remove
    desktop.input(41)
    assert not fired.event.wait(0.5)
    assert alarm.arm() is True
    assert desktop.monitor.added == [41, 42]


def test_a_watch_that_fires_before_its_id_is_back_still_fires_the_alarm(desktop: Desktop, ours) -> None:
    fired = Fired()
    alarm = gnome_alarm(ours, fired)
    desktop.monitor.fire_at_once = True
    assert alarm.arm() is True
    assert fired.wait_for(1)
    desktop.monitor.fire_at_once = False
    assert alarm.arm() is True
    assert desktop.monitor.added == [41, 42]


def test_after_the_connection_is_lost_the_alarm_arms_anew_on_the_next(desktop: Desktop, ours) -> None:
    fired = Fired()
    alarm = gnome_alarm(ours, fired)
    assert alarm.arm() is True

    async def lose_it() -> None:
        connection = await ours.connection()
        connection.disconnect()
        await connection.wait_for_disconnect()
    ours.ask(lose_it)
    assert alarm.arm() is True
    assert desktop.monitor.added == [41, 42]  # Mutter drops a gone client's watches: a new one on the new connection
    desktop.input(42)
    assert fired.wait_for(1), "no match rule on the new connection"


def test_without_mutter_or_when_it_refuses_the_alarm_does_not_arm(desktop: Desktop, ours) -> None:
    fired = Fired()
    alarm = gnome_alarm(ours, fired)
    desktop.monitor.refuse = True
    assert alarm.arm() is False
    desktop.monitor.refuse = False
    desktop.leave_the_bus()
    assert alarm.arm() is False
    assert desktop.monitor.added == []


def test_the_kde_source_offers_no_alarm(address: str, ours) -> None:  # noqa: F811
    kde_side = session_bus.SessionLoop(address, name="stand-in-kde").start()
    try:
        serve(kde_side, "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", ScreenSaver())
        source = idle.open_source("linux", KDE, bus=presence_dbus.open_session_bus(loop=ours))
        assert source.support.describe() == "on (kde-screensaver)"
        assert getattr(source, "input_alarm", None) is None
    finally:
        kde_side.stop()


def test_the_runner_hears_the_return_at_the_signal_not_at_its_backstop(tmp_path, desktop: Desktop, ours,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(presence.ENV_POLL, raising=False)
    desktop.monitor.idle_ms = 3 * 3600 * 1000  # away for three hours already
    day = Day(tmp_path)
    runner = Runner(day.service, day.clock, waiter=TimerfdWaiter())
    service = FakeService()
    bus = presence_dbus.open_session_bus(loop=ours)
    presence.register_watches(runner, service, day.clock, 5, idle.open_source("linux", GNOME, bus=bus), bus)
    thread = running(runner)
    try:
        assert wait_until(lambda: desktop.monitor.added == [41], WAIT_S), "away, but no watch was added"
        assert [name for name, _ in service.calls] == ["user_away"]
        desktop.monitor.idle_ms = 500  # a key press half a second ago
        desktop.input(41)
        assert wait_until(lambda: [name for name, _ in service.calls] == ["user_away", "user_back"], WAIT_S), \
            "the runner slept on to its backstop"
    finally:
        runner.stop()
        thread.join(5)
