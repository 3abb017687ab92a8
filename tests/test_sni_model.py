"""The StatusNotifierItem's pure parts: ARGB32 pixmaps of the ring, and the dbusmenu tree of the tray's menu."""

from __future__ import annotations

from PIL import Image

from standup.core.model import State
from standup.desktop import icon as icons
from standup.desktop import tray
from standup.desktop.sni import layout, pixmap
from tests.desktop_fakes import SQUATS, T0, FakeStatus, View

OPEN = FakeStatus(state=State.PROMPTING, open_prompt=View(1, T0, SQUATS))
PAUSED = FakeStatus(state=State.PAUSED)


def entries(status: FakeStatus) -> tuple[tray.Entry, ...]:
    return tray.menu_entries(status, 10)


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
    model = entries(FakeStatus())
    tree = layout.tree(model)
    assert tree.root.id == 0 and tree.root.props == {"children-display": "submenu"}
    top = tree.root.children
    assert len(top) == len(model)
    for entry, node in zip(model, top, strict=True):
        if layout.is_separator(entry):
            assert node.props == {"type": "separator"}
        else:
            assert node.props["label"] == entry.label
            assert node.props.get("enabled", True) is entry.enabled
    pause = next(node for node in top if node.props.get("label") == "Pause")
    assert pause.props["children-display"] == "submenu"
    assert [child.props["label"] for child in pause.children] == [e.label for e in model[5].children]
    assert [child.action for child in pause.children] == [tray.PAUSE_30, tray.PAUSE_60, tray.PAUSE_TOMORROW]
    assert pause.action is None


def test_ids_are_depth_first_and_name_the_action() -> None:
    tree = layout.tree(entries(FakeStatus()))
    assert sorted(tree.items) == list(range(len(tree.items)))
    assert tree.action(1) == tray.TAKE_BREAK
    assert {tree.action(i) for i in tree.items} >= {tray.DONE, tray.SKIP, tray.QUIT, tray.PAUSE_60}
    assert tree.action(999) is None


def test_underscores_are_not_mnemonics() -> None:
    tree = layout.tree((tray.Entry("snake_case", "x"),))
    assert tree.root.children[0].props["label"] == "snake__case"


def test_a_prompt_opening_changes_only_properties() -> None:
    sitting, prompting = layout.tree(entries(FakeStatus())), layout.tree(entries(OPEN))
    delta = layout.changes(sitting, prompting)
    assert delta is not None
    updated, removed = delta
    by_label = {sitting.items[i].props["label"]: props for i, props in updated}
    by_label.update({sitting.items[i].props["label"]: {n: "gone" for n in names} for i, names in removed})
    assert by_label == {"Take a break now": {"enabled": False}, "Done": {"enabled": "gone"},
                        "Snooze 10 min": {"enabled": "gone"}, "Skip": {"enabled": "gone"}}
    assert layout.changes(prompting, prompting) == ([], [])


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
