"""Presence questions over a real (private) session bus through the shared bus loop (dbus-fast).

A stand-in dunst answers its `paused` property, a stand-in KDE screensaver answers GetActive and
GetSessionIdleTime; the runner-thread calls (`presence_dbus`, `idle.BusIdleSource`) get the answers,
and a name nobody owns stays unknown without being started.
"""

from __future__ import annotations

import shutil

import pytest

from standup.desktop import bus as session_bus
from standup.desktop import idle, presence_dbus
from tests.test_sni_bus import address  # noqa: F401  (the private bus fixture)

pytest.importorskip("dbus_fast")
from dbus_fast import PropertyAccess  # noqa: E402
from dbus_fast.service import ServiceInterface, dbus_property, method  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")


class Dunst(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.dunstproject.cmd0")
        self.is_paused = True

    @dbus_property(access=PropertyAccess.READ)
    def paused(self) -> "b":  # noqa: F821
        return self.is_paused


class ScreenSaver(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.ScreenSaver")

    @method()
    def GetActive(self) -> "b":  # noqa: F821,N802
        return False

    @method()
    def GetSessionIdleTime(self) -> "u":  # noqa: F821,N802
        return 125_000


def serve(loop: session_bus.SessionLoop, name: str, path: str, interface: ServiceInterface) -> None:
    async def run() -> None:
        connection = await loop.connection()
        connection.export(path, interface)
        await connection.request_name(name)
    loop.ask(run)


def test_presence_over_the_shared_loop(address: str) -> None:  # noqa: F811
    desktop_side = session_bus.SessionLoop(address, name="stand-ins").start()
    ours = session_bus.SessionLoop(address).start()
    try:
        bus = presence_dbus.open_session_bus(loop=ours)
        assert bus is not None
        assert presence_dbus.screen_locked(bus) is None  # nobody owns a screensaver yet
        assert presence_dbus.notifications_paused(bus) is None
        dunst = Dunst()
        serve(desktop_side, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", dunst)
        serve(desktop_side, "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", ScreenSaver())
        assert presence_dbus.notifications_paused(bus) is True
        dunst.is_paused = False
        assert presence_dbus.notifications_paused(bus) is False
        assert presence_dbus.screen_locked(bus) is False
        source = idle.open_source("linux", {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "KDE"}, bus=bus)
        assert source.support.describe() == "on (kde-screensaver)"
        assert source.idle_seconds() == 125.0
        gnome = idle.open_source("linux", {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "GNOME"}, bus=bus)
        assert "org.gnome.Mutter.IdleMonitor is not on the session bus" in gnome.support.describe()
    finally:
        ours.stop()
        desktop_side.stop()
