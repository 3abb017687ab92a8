# mypy: disable-error-code="name-defined,valid-type"
# (dbus-fast reads D-Bus signatures such as "s" or "a{sv}" from the annotations)
"""The com.canonical.dbusmenu interface: serves a `layout.Tree` and reports clicks on its items.

A panel reads the tree with GetLayout (or item by item with GetGroupProperties / GetProperty) and
sends Event(id, "clicked") when the user picks an item; `on_click` gets that item's action key,
run on the bus loop right after the reply. `show()` replaces the tree: a change of words or of what
is enabled goes out as ItemsPropertiesUpdated, a change of shape as LayoutUpdated with a new revision.
Called on the bus loop's thread only.
"""

import logging
from collections.abc import Callable
from typing import Any

from dbus_fast import PropertyAccess, Variant
from dbus_fast.errors import DBusError
from dbus_fast.service import ServiceInterface, dbus_property, method, signal

from standup.desktop.sni import layout

log = logging.getLogger(__name__)

INTERFACE = "com.canonical.dbusmenu"
PATH = "/MenuBar"
VERSION = 3
UNKNOWN_ID = "com.canonical.dbusmenu.Error.UnknownId"


def variants(props: dict[str, layout.Prop]) -> dict[str, Variant]:
    return {key: Variant(layout.SIGNATURES.get(key, "s"), value) for key, value in props.items()}


def wire(node: layout.Node, names: list[str]) -> list[object]:
    """A node as dbusmenu's (ia{sv}av) structure."""
    return [node.id, variants(layout.chosen(node.props, names)),
            [Variant("(ia{sv}av)", wire(child, names)) for child in node.children]]


class DBusMenu(ServiceInterface):
    def __init__(self, on_click: Callable[[str], None], call_soon: Callable[[Callable[[], object]], object]) -> None:
        super().__init__(INTERFACE)
        self._on_click = on_click
        self._call_soon = call_soon
        self._tree = layout.tree(())
        self.revision = 1

    @property
    def tree(self) -> layout.Tree:
        return self._tree

    def show(self, new: layout.Tree) -> None:
        """Puts `new` in place and tells the panel what changed."""
        old, self._tree = self._tree, new
        delta = layout.changes(old, new)
        if delta is None:
            self.revision += 1
            self.LayoutUpdated(self.revision, layout.ROOT_ID)
            return
        updated, removed = delta
        if updated or removed:
            self.ItemsPropertiesUpdated([[item_id, variants(props)] for item_id, props in updated],
                                        [[item_id, names] for item_id, names in removed])

    def _node(self, item_id: int) -> layout.Node:
        node = self._tree.items.get(item_id)
        if node is None:
            raise DBusError(UNKNOWN_ID, f"no menu item {item_id}")
        return node

    # ---- methods ------------------------------------------------------------------------
    @method()
    def GetLayout(self, parentId: "i", recursionDepth: "i", propertyNames: "as") -> "u(ia{sv}av)":  # noqa: F821,N802,N803
        node = layout.subtree(self._node(parentId), recursionDepth)
        return [self.revision, wire(node, list(propertyNames))]

    @method()
    def GetGroupProperties(self, ids: "ai", propertyNames: "as") -> "a(ia{sv})":  # noqa: F821,N802,N803
        wanted = list(ids) or list(self._tree.items)
        return [[item_id, variants(layout.chosen(self._tree.items[item_id].props, propertyNames))]
                for item_id in wanted if item_id in self._tree.items]

    @method()
    def GetProperty(self, id: "i", name: "s") -> "v":  # noqa: F821,N802,A002
        props = self._node(id).props
        if name not in props:
            raise DBusError(UNKNOWN_ID, f"menu item {id} has no property {name!r}")
        return variants({name: props[name]})[name]

    @method()
    def Event(self, id: "i", eventId: "s", data: "v", timestamp: "u") -> None:  # noqa: F821,N802,N803,A002
        self._event(id, eventId)

    @method()
    def EventGroup(self, events: "a(isvu)") -> "ai":  # noqa: F821,N802
        errors = []
        for item_id, event_id, _data, _timestamp in events:
            if item_id in self._tree.items:
                self._event(item_id, event_id)
            else:
                errors.append(item_id)
        return errors

    @method()
    def AboutToShow(self, id: "i") -> "b":  # noqa: F821,N802,A002
        return False  # the tree is always current

    @method()
    def AboutToShowGroup(self, ids: "ai") -> "aiai":  # noqa: F821,N802
        return [[], [item_id for item_id in ids if item_id not in self._tree.items]]

    def _event(self, item_id: int, event_id: str) -> None:
        action = self._node(item_id).action
        log.debug("dbusmenu event %s on item %s (%s)", event_id, item_id, action)
        if event_id == "clicked" and action:
            self._call_soon(lambda: self._on_click(action))

    # ---- properties ---------------------------------------------------------------------
    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> "u":  # noqa: F821,N802
        return VERSION

    @dbus_property(access=PropertyAccess.READ)
    def TextDirection(self) -> "s":  # noqa: F821,N802
        return "ltr"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> "s":  # noqa: F821,N802
        return "normal"

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> "as":  # noqa: F821,N802
        return []

    # ---- signals ------------------------------------------------------------------------
    @signal()
    def ItemsPropertiesUpdated(self, updated: list[Any], removed: list[Any]) -> "a(ia{sv})a(ias)":  # noqa: F821,N802
        return [updated, removed]

    @signal()
    def LayoutUpdated(self, revision: int, parent: int) -> "ui":  # noqa: F821,N802
        return [revision, parent]
