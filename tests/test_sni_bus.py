"""The StatusNotifierItem on a real (private) session bus, against a stand-in panel.

A dbus-daemon of the test's own, a watcher that records registrations (what xfce4-panel, KDE and
waybar run), and the tray served by `SniTray` for a fake service: the item registers, registers
again when the panel restarts, its menu reads back over dbusmenu, a click reaches the service, and
the icon, tooltip, status and menu follow a prompt opening, with the signals panels listen for.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from standup.core.settings import Settings
from standup.desktop import bus as session_bus
from standup.desktop import menu, tray
from tests.desktop_fakes import FakeService
from tests.test_tray import Clock

dbus_fast = pytest.importorskip("dbus_fast")
from dbus_fast import MessageType, PropertyAccess  # noqa: E402
from dbus_fast.service import ServiceInterface, dbus_property, method, signal  # noqa: E402

from standup.desktop.sni import tray as sni_tray  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
WATCHER = "org.kde.StatusNotifierWatcher"


class Watcher(ServiceInterface):
    def __init__(self) -> None:
        super().__init__(WATCHER)
        self.items: list[str] = []

    @method()
    def RegisterStatusNotifierItem(self, service: "s"):  # noqa: F821,N802,ANN201
        self.items.append(service)

    @dbus_property(access=PropertyAccess.READ)
    def IsStatusNotifierHostRegistered(self) -> "b":  # noqa: F821,N802
        return True

    @signal()
    def StatusNotifierItemUnregistered(self, service: str) -> "s":  # noqa: F821,N802
        return service


@pytest.fixture()
def address() -> Iterator[str]:
    proc = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                          capture_output=True, text=True, check=True, timeout=10)
    addr, pid = proc.stdout.split()
    try:
        yield addr
    finally:
        subprocess.run(["kill", pid], check=False)


class Panel:
    """The test's side of the bus: a watcher to register with, and a client that reads the item."""

    def __init__(self, address: str) -> None:
        self.loop = session_bus.SessionLoop(address, name="test-panel").start()
        self.watcher = Watcher()
        self.signals: list[tuple[str, list[Any]]] = []

    def own_watcher(self) -> None:
        async def run() -> None:
            bus = await self.loop.connection()
            bus.export("/StatusNotifierWatcher", self.watcher)
            await bus.request_name(WATCHER)
            bus.add_message_handler(self._record)
            await self.loop.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                 "AddMatch", "s", ["type='signal'"])
        self.loop.ask(run)

    def _record(self, message: Any) -> None:
        if message.message_type is MessageType.SIGNAL and message.interface in (
                "org.kde.StatusNotifierItem", "com.canonical.dbusmenu"):
            self.signals.append((message.member, list(message.body)))

    def call(self, service: str, path: str, interface: str, member: str, signature: str = "",
             body: list[Any] | None = None) -> list[Any]:
        return self.loop.ask(lambda: self.loop.call(service, path, interface, member, signature, body or []))

    def prop(self, service: str, path: str, interface: str, name: str) -> Any:
        return self.call(service, path, "org.freedesktop.DBus.Properties", "Get", "ss", [interface, name])[0].value


def wait(what: str, check: Any, timeout: float = 5.0) -> Any:
    end = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
    return value


@pytest.fixture()
def panel(address: str) -> Iterator[Panel]:
    stand_in = Panel(address)
    stand_in.own_watcher()
    yield stand_in
    stand_in.loop.stop()


@pytest.fixture()
def item(address: str, panel: Panel) -> Iterator[tuple[sni_tray.SniTray, FakeService]]:
    loop = session_bus.SessionLoop(address).start()
    service = FakeService()
    quits: list[str] = []
    sni = sni_tray.SniTray(service, Clock(), Settings(snooze_minutes=10), loop, {tray.QUIT: lambda: quits.append("q")})
    sni.create()
    service.subscribe(sni)
    yield sni, service
    sni.stop()
    loop.stop()


ITEM, MENU = "/StatusNotifierItem", "/MenuBar"
SNI, DBUSMENU = "org.kde.StatusNotifierItem", "com.canonical.dbusmenu"


def labels(node: list[Any]) -> list[str]:
    return [child.value[1].get("label", child.value[1].get("type")).value for child in node[2]]


def test_the_watcher_is_found_and_the_item_registers(address: str, panel: Panel, item: Any) -> None:
    sni, _ = item
    assert panel.watcher.items == [sni.name]
    probe = session_bus.SessionLoop(address).start()
    try:
        assert probe.ask(lambda: sni_tray.watcher_present(probe)) is True
    finally:
        probe.stop()
    assert panel.prop(sni.name, ITEM, SNI, "Menu") == MENU
    assert panel.prop(sni.name, ITEM, SNI, "ItemIsMenu") is True
    assert panel.prop(sni.name, ITEM, SNI, "Status") == "Active"
    sizes = [(w, h) for w, h, _ in panel.prop(sni.name, ITEM, SNI, "IconPixmap")]
    assert (16, 16) in sizes and (22, 22) in sizes and (64, 64) in sizes


def model_labels(status: Any) -> list[str]:
    return [entry.label if entry.label != "-" else "separator" for entry in menu.menu_entries(status, 10, Clock.tz)]


def test_the_menu_reads_back_and_a_click_reaches_the_service(panel: Panel, item: Any) -> None:
    sni, service = item
    revision, root = panel.call(sni.name, MENU, DBUSMENU, "GetLayout", "iias", [0, -1, []])
    assert labels(root) == model_labels(service.status())
    nodes = {child.value[1].get("label", child.value[1].get("type")).value: child.value for child in root[2]}
    parent = next(entry for entry in menu.menu_entries(service.status(), 10) if entry.children)
    sub = nodes[parent.label]
    assert sub[1]["children-display"].value == "submenu" and labels(sub) == [e.label for e in parent.children]
    disabled = [label for label, node in nodes.items() if "enabled" in node[1]]
    assert disabled and all(nodes[label][1]["enabled"].value is False for label in disabled)
    take_break = nodes["Take a break now"][0]
    panel.call(sni.name, MENU, DBUSMENU, "Event", "isvu", [take_break, "clicked", dbus_fast.Variant("s", ""), 0])
    wait("the click to reach the service", lambda: "take_break" in service.names())
    hovered = len(service.calls)
    panel.call(sni.name, MENU, DBUSMENU, "Event", "isvu", [take_break, "hovered", dbus_fast.Variant("s", ""), 0])
    time.sleep(0.2)
    assert len(service.calls) == hovered, "only a click runs an item"
    with pytest.raises(session_bus.BusError, match="UnknownId"):
        panel.call(sni.name, MENU, DBUSMENU, "Event", "isvu", [999, "clicked", dbus_fast.Variant("s", ""), 0])


def test_a_prompt_changes_icon_status_tooltip_and_menu_with_signals(panel: Panel, item: Any) -> None:
    sni, service = item
    before = panel.prop(sni.name, ITEM, SNI, "IconPixmap")
    service.take_break()
    wait("NeedsAttention", lambda: ("NewStatus", ["NeedsAttention"]) in panel.signals)
    assert panel.prop(sni.name, ITEM, SNI, "Status") == "NeedsAttention"
    after = panel.prop(sni.name, ITEM, SNI, "IconPixmap")
    assert after != before and [(w, h) for w, h, _ in after] == [(w, h) for w, h, _ in before]
    assert panel.prop(sni.name, ITEM, SNI, "AttentionIconPixmap") == after
    tip = panel.prop(sni.name, ITEM, SNI, "ToolTip")
    assert tip[2] == "standup" and tip[3].startswith("Time to move")
    wait("the menu's signal", lambda: {"ItemsPropertiesUpdated", "LayoutUpdated"} & {n for n, _ in panel.signals})
    assert {"NewIcon", "NewToolTip"} <= {name for name, _ in panel.signals}
    # A host that draws the attention icon while NeedsAttention must hear it changed, after the status.
    names = [name for name, _ in panel.signals]
    assert "NewAttentionIcon" in names[names.index("NewStatus"):]
    _, root = panel.call(sni.name, MENU, DBUSMENU, "GetLayout", "iias", [0, -1, []])
    assert labels(root) == model_labels(service.status())
    take_break = next(child.value[1] for child in root[2]
                      if "label" in child.value[1] and child.value[1]["label"].value == "Take a break now")
    assert take_break["enabled"].value is False  # a prompt is open
    service.done()
    wait("Active again", lambda: panel.prop(sni.name, ITEM, SNI, "Status") == "Active")


def test_a_restarted_panel_gets_the_item_again(address: str, panel: Panel, item: Any) -> None:
    sni, _ = item
    panel.loop.ask(lambda: _release(panel))
    second = Panel(address)
    try:
        second.own_watcher()
        wait("the item to register with the new panel", lambda: second.watcher.items == [sni.name])
        wait("the panel's answer to reach the item", lambda: sni.registrations == 2)
    finally:
        second.loop.stop()


def test_an_item_the_watcher_drops_while_both_are_on_the_bus_registers_again(panel: Panel, item: Any) -> None:
    sni, _ = item
    assert panel.watcher.items == [sni.name]
    panel.loop.ask(lambda: _drop(panel, sni.name))  # as GNOME's extension does when the shell is still starting
    wait("the item to register again", lambda: panel.watcher.items == [sni.name, sni.name], 5)
    wait("the panel's answer to reach the item", lambda: sni.registrations == 2)
    panel.loop.ask(lambda: _drop(panel, "org.kde.StatusNotifierItem-1-1"))  # someone else's item
    time.sleep(2.5)
    assert len(panel.watcher.items) == 2


async def _drop(panel: Panel, service: str) -> None:
    panel.watcher.StatusNotifierItemUnregistered(service)


async def _release(panel: Panel) -> None:
    bus = await panel.loop.connection()
    await bus.release_name(WATCHER)


def test_without_a_watcher_create_fails_and_says_why(address: str) -> None:
    loop = session_bus.SessionLoop(address).start()
    try:
        assert loop.ask(lambda: sni_tray.watcher_present(loop)) is False
        sni = sni_tray.SniTray(FakeService(), Clock(), Settings(), loop)
        with pytest.raises(session_bus.BusError, match="StatusNotifierWatcher"):
            sni.create()
        assert sni.backend == "none"
    finally:
        loop.stop()
