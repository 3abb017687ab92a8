"""StatusNotifierItem hosts for the end-to-end tests, and a probe that reads items as a panel does.

`start_xfce4_panel` puts Debian's xfce4-panel (its Status Tray plugin is the watcher and host) on a
`Desktop` started without trayer. `SniProbe` is a second client on the desktop's bus: it lists what
the watcher registered, reads an item's properties, reads its menu with dbusmenu GetLayout and
clicks an item with Event("clicked"), exactly the calls a panel makes.
"""

from __future__ import annotations

from typing import Any

from standup.desktop.bus import SessionLoop
from tests.e2e.desktop import Desktop, wait_for

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"
PROPERTIES = "org.freedesktop.DBus.Properties"


def start_xfce4_panel(desktop: Desktop) -> None:
    home = desktop.dir / "panelhome"
    (home / ".config").mkdir(parents=True, exist_ok=True)
    env = dict(desktop.env, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    desktop.spawn("xfce4-panel", ["xfce4-panel", "--disable-wm-check"], env=env)
    wait_for("xfce4-panel's StatusNotifierWatcher on the bus", lambda: desktop.name_has_owner(WATCHER), 30)


class SniProbe:
    """Reads and presses StatusNotifierItems over the bus, like a panel."""

    def __init__(self, address: str) -> None:
        self.loop = SessionLoop(address, name="e2e-sni-probe").start()

    def close(self) -> None:
        self.loop.stop()

    def call(self, service: str, path: str, interface: str, member: str, signature: str = "",
             body: list[Any] | None = None) -> list[Any]:
        return self.loop.ask(lambda: self.loop.call(service, path, interface, member, signature, body or []), 5)

    def prop(self, service: str, path: str, interface: str, name: str) -> Any:
        return self.call(service, path, PROPERTIES, "Get", "ss", [interface, name])[0].value

    def registered(self) -> list[tuple[str, str]]:
        """(bus name, object path) of every item the watcher holds."""
        items = []
        for entry in self.prop(WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems"):
            name, slash, path = entry.partition("/")
            items.append((name, slash + path if slash else "/StatusNotifierItem"))
        return items

    def item_of(self, pid: int) -> tuple[str, str] | None:
        """The registered item served by process `pid`."""
        for name, path in self.registered():
            owner = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                              "GetConnectionUnixProcessID", "s", [name])[0]
            if owner == pid:
                return name, path
        return None

    def wait_for_item(self, pid: int, host: str = "xfce4-panel", timeout: float = 10) -> tuple[str, str]:
        """Waits until the watcher holds the item process `pid` serves; returns it."""
        return wait_for(f"the item of process {pid} registered with {host}", lambda: self.item_of(pid), timeout)

    def item_prop(self, item: tuple[str, str], name: str) -> Any:
        return self.prop(item[0], item[1], ITEM, name)

    def menu(self, item: tuple[str, str]) -> dict[str, Any]:
        """The item's whole menu as {label: {"id", "enabled", "children"}} from dbusmenu GetLayout."""
        path = self.item_prop(item, "Menu")
        _revision, root = self.call(item[0], path, DBUSMENU, "GetLayout", "iias", [0, -1, []])
        return _entries(root)

    def click(self, item: tuple[str, str], item_id: int) -> None:
        from dbus_fast import Variant

        path = self.item_prop(item, "Menu")
        self.call(item[0], path, DBUSMENU, "Event", "isvu", [item_id, "clicked", Variant("s", ""), 0])


def _entries(node: list[Any]) -> dict[str, Any]:
    found = {}
    for child in node[2]:
        item_id, props, _children = child.value
        if "label" not in props:
            continue
        found[props["label"].value.replace("__", "_")] = {
            "id": item_id,
            "enabled": props["enabled"].value if "enabled" in props else True,
            "children": _entries(child.value),
        }
    return found
