"""The tray's menu model as a com.canonical.dbusmenu item tree, and what changed between two trees.

Pure. Item ids are given in depth-first order from 1 (0 is the root), so the same model always
gives the same ids and a change of words or of what is enabled keeps them: `changes` then says
which properties to send in ItemsPropertiesUpdated; a change of shape (items added, removed or
moved) returns None, and the menu sends LayoutUpdated with a new revision instead.
Only properties that differ from dbusmenu's defaults (a visible, enabled, standard item) are listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from standup.desktop.menu import Entry

ROOT_ID = 0
SIGNATURES = {"type": "s", "label": "s", "enabled": "b", "visible": "b", "children-display": "s"}
Prop = str | bool  # the value of one of the SIGNATURES' properties: "s" or "b"


@dataclass(frozen=True)
class Node:
    """One dbusmenu item: its id, its non-default properties, its children and the action it runs."""

    id: int
    props: Mapping[str, Prop]
    children: tuple[Node, ...] = ()
    action: str | None = None

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def shape(self) -> tuple[object, ...]:  # compared, never read: ids, types and children
        return (self.id, self.props.get("type", "standard"), tuple(child.shape for child in self.children))


@dataclass(frozen=True)
class Tree:
    """The whole menu: the root node and its items by id."""

    root: Node
    items: Mapping[int, Node] = field(default_factory=dict)

    def action(self, item_id: int) -> str | None:
        node = self.items.get(item_id)
        return node.action if node is not None else None


def is_separator(entry: Entry) -> bool:
    return getattr(entry, "label", None) == "-" and not getattr(entry, "action", None) and not getattr(entry, "children", ())


def label_text(label: str) -> str:
    """dbusmenu reads one '_' as a mnemonic marker: a literal underscore is written twice."""
    return label.replace("_", "__")


def tree(entries: Sequence[Entry]) -> Tree:
    """The dbusmenu tree for the tray's menu entries (label, action, enabled, children)."""
    counter = iter(range(1, 1 << 30))

    def node(entry: Entry) -> Node:
        item_id = next(counter)
        if is_separator(entry):
            return Node(item_id, {"type": "separator"})
        props: dict[str, Prop] = {"label": label_text(entry.label)}
        if not getattr(entry, "enabled", True):
            props["enabled"] = False
        children = tuple(node(child) for child in getattr(entry, "children", ()))
        if children:
            props["children-display"] = "submenu"
        return Node(item_id, props, children, None if children else getattr(entry, "action", None))

    root = Node(ROOT_ID, {"children-display": "submenu"}, tuple(node(entry) for entry in entries))
    return Tree(root, {item.id: item for item in root.walk()})


def changes(old: Tree, new: Tree) -> tuple[list[tuple[int, dict[str, Prop]]], list[tuple[int, list[str]]]] | None:
    """(updated, removed) properties per item from `old` to `new`; None when the shape changed."""
    if old.root.shape != new.root.shape:
        return None
    updated: list[tuple[int, dict[str, Prop]]] = []
    removed: list[tuple[int, list[str]]] = []
    for item_id, node in new.items.items():
        before = old.items[item_id].props
        changed = {key: value for key, value in node.props.items() if before.get(key) != value}
        gone = sorted(key for key in before if key not in node.props)
        if changed:
            updated.append((item_id, changed))
        if gone:
            removed.append((item_id, gone))
    return updated, removed


def subtree(start: Node, depth: int) -> Node:
    """`start` with its children cut below `depth` levels (-1: all of them), as GetLayout asks."""
    if depth == 0:
        return Node(start.id, start.props, (), start.action)
    return Node(start.id, start.props, tuple(subtree(child, depth - 1) for child in start.children), start.action)


def chosen(props: Mapping[str, Prop], names: Iterable[str]) -> dict[str, Prop]:
    """The properties asked for (all of them when `names` is empty)."""
    wanted = list(names)
    return dict(props) if not wanted else {key: value for key, value in props.items() if key in wanted}
