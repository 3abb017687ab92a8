"""The StatusNotifierItem's pure parts: ARGB32 pixmaps of the ring, and the dbusmenu tree of the tray's menu."""

from __future__ import annotations

from PIL import Image

from standup.core.model import State
from standup.desktop import icon as icons
from standup.desktop import menu as model
from standup.desktop.sni import layout, pixmap
from tests.desktop_fakes import SQUATS, T0, FakeStatus, View

OPEN = FakeStatus(state=State.PROMPTING, open_prompt=View(1, T0, SQUATS))
PAUSED = FakeStatus(state=State.PAUSED)


def entries(status: FakeStatus) -> tuple[model.Entry, ...]:
    return model.menu_entries(status, 10)


def flat(items: tuple[model.Entry, ...]) -> list[model.Entry]:
    """The entries depth first, as the tree numbers them from 1."""
    out: list[model.Entry] = []
    for entry in items:
        out.append(entry)
        out.extend(flat(entry.children))
    return out


# ---- pixmaps ---------------------------------------------------------------------------------

def test_argb32_is_alpha_red_green_blue_per_pixel_row_by_row() -> None:
    image = Image.new("RGBA", (2, 2))
    image.putdata([(1, 2, 3, 4), (255, 0, 0, 128), (0, 255, 0, 255), (10, 20, 30, 0)])
    width, height, data = pixmap.argb32(image)
    assert (width, height) == (2, 2)
    assert list(data) == [4, 1, 2, 3, 128, 255, 0, 0, 255, 0, 255, 0, 0, 10, 20, 30]


def test_an_rgb_image_is_opaque() -> None:
    assert list(pixmap.argb32(Image.new("RGB", (1, 1), (9, 8, 7)))[2]) == [255, 9, 8, 7]


def test_every_panel_size_is_offered_smallest_first() -> None:
    maps = pixmap.pixmaps(icons.IconSpec(icons.Look.SITTING, 0.5))
    assert [(w, h) for w, h, _ in maps] == [(s, s) for s in (16, 22, 24, 32, 48, 64)]
    assert all(len(data) == w * h * 4 for w, h, data in maps)


def test_the_prompt_icon_is_orange_in_the_middle_and_differs_from_the_ring() -> None:
    prompt = pixmap.pixmaps(icons.IconSpec(icons.Look.PROMPT), (32,))[0][2]
    sitting = pixmap.pixmaps(icons.IconSpec(icons.Look.SITTING), (32,))[0][2]
    near_edge = (16 * 32 + 7) * 4  # on the disc, left of the arrow
    assert prompt[near_edge:near_edge + 4] == bytes((255, *icons.ORANGE[:3]))
    assert prompt != sitting
    assert prompt[0] == 0  # the corner stays transparent


# ---- the dbusmenu tree -------------------------------------------------------------------------

def test_the_tree_follows_the_menu_model() -> None:
    menu = entries(FakeStatus())
    tree = layout.tree(menu)
    assert tree.root.id == 0 and tree.root.props == {"children-display": "submenu"}
    top = tree.root.children
    assert len(top) == len(menu)
    for entry, node in zip(menu, top, strict=True):
        if layout.is_separator(entry):
            assert node.props == {"type": "separator"}
        else:
            assert node.props["label"] == entry.label
            assert node.props.get("enabled", True) is entry.enabled
    parent = next(entry for entry in menu if entry.children)
    sub = next(node for node in top if node.props.get("label") == parent.label)
    assert sub.props["children-display"] == "submenu" and sub.action is None
    assert [child.props["label"] for child in sub.children] == [e.label for e in parent.children]
    assert [child.action for child in sub.children] == [e.action for e in parent.children]
    assert any(node.props.get("enabled") is False for node in top), "the model has a disabled line"


def test_ids_are_depth_first_and_name_the_action() -> None:
    menu = entries(FakeStatus())
    tree = layout.tree(menu)
    assert sorted(tree.items) == list(range(len(tree.items)))
    for item_id, entry in enumerate(flat(menu), start=1):
        assert tree.action(item_id) == (None if entry.children or layout.is_separator(entry) else entry.action)
    assert {tree.action(i) for i in tree.items} >= {model.TAKE_BREAK, model.DONE, model.QUIT, model.PAUSE_60}
    assert tree.action(999) is None


def test_underscores_are_not_mnemonics() -> None:
    tree = layout.tree((model.Entry("snake_case", "x"),))
    assert tree.root.children[0].props["label"] == "snake__case"


def test_a_prompt_opening_changes_only_properties() -> None:
    before, after = entries(FakeStatus()), entries(OPEN)
    assert len(flat(before)) == len(flat(after)), "this model keeps its shape when a prompt opens"
    delta = layout.changes(layout.tree(before), layout.tree(after))
    assert delta is not None
    updated, removed = delta
    changed = {item_id for item_id, _ in updated} | {item_id for item_id, _ in removed}
    expected = {i for i, (a, b) in enumerate(zip(flat(before), flat(after), strict=True), start=1)
                if (a.label, a.enabled) != (b.label, b.enabled)}
    assert changed == expected and expected
    for item_id, props in updated:
        entry = flat(after)[item_id - 1]
        assert props.get("label", entry.label) == entry.label
        assert props.get("enabled", entry.enabled) is entry.enabled
    assert layout.changes(layout.tree(after), layout.tree(after)) == ([], [])


def test_a_new_shape_asks_for_a_new_layout() -> None:
    before = layout.tree(entries(FakeStatus()))
    after = layout.tree(entries(FakeStatus())[:-2])
    assert layout.changes(before, after) is None


def test_get_layout_depth_and_property_choice() -> None:
    tree = layout.tree(entries(PAUSED))
    assert layout.subtree(tree.root, 0).children == ()
    one = layout.subtree(tree.root, 1)
    assert all(child.children == () for child in one.children)
    full = layout.subtree(tree.root, -1)
    assert sum(1 for _ in full.walk()) == len(tree.items)
    assert layout.chosen({"label": "a", "enabled": False}, ["label"]) == {"label": "a"}
    assert layout.chosen({"label": "a"}, []) == {"label": "a"}
