"""The StatusNotifierItem's pure parts: ARGB32 pixmaps of the ring, and the dbusmenu tree of the tray's menu."""

from __future__ import annotations

from PIL import Image

from standup.core.model import State
from standup.desktop import icon as icons
from standup.desktop import menu as model
from standup.desktop import raster
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

RED = (200, 10, 20, 255)
ALL_LOOKS = [icons.IconSpec(icons.Look.SITTING, fill) for fill in (0, 0.25, 0.5, 0.75, 1)] + [
    icons.IconSpec(look) for look in icons.Look if look is not icons.Look.SITTING]


def pixel(data: bytes, size: int, x: int, y: int) -> tuple[int, ...]:
    return tuple(data[4 * (y * size + x):4 * (y * size + x) + 4])


def test_pixels_are_alpha_red_green_blue_row_by_row() -> None:
    left_half = icons.Polygon(((0, 0), (32, 0), (32, 64), (0, 64)), RED)
    assert list(raster.argb32((left_half,), 2)) == [255, 200, 10, 20, 0, 0, 0, 0] * 2


def test_a_disc_is_solid_inside_clear_outside_and_half_covered_on_its_edge() -> None:
    data = raster.argb32((icons.Disc(32.5, 32.5, 16, RED),), 64)
    assert pixel(data, 64, 32, 32) == (255, 200, 10, 20)
    assert pixel(data, 64, 10, 10) == (0, 0, 0, 0)
    assert pixel(data, 64, 48, 32)[0] in (127, 128)  # its centre lies on the circle
    assert pixel(data, 64, 48, 32)[1:] == (200, 10, 20)  # a partly covered pixel keeps its colour


def test_a_quarter_ring_runs_clockwise_from_twelve_and_leaves_its_hole_clear() -> None:
    data = raster.argb32((icons.Ring(32, 32, 24, 8, RED, -90, 90),), 64)
    assert pixel(data, 64, 46, 17)[0] == 255  # half past one, on the band
    assert pixel(data, 64, 17, 46)[0] == 0  # half past seven
    assert pixel(data, 64, 9, 31)[0] == 0  # nine
    assert pixel(data, 64, 32, 32)[0] == 0  # the hole


def test_a_later_shape_covers_an_earlier_one() -> None:
    data = raster.argb32((icons.Disc(32, 32, 30, RED), icons.Disc(32, 32, 10, icons.WHITE)), 64)
    assert pixel(data, 64, 32, 32) == (255, 255, 255, 255)
    assert pixel(data, 64, 32, 50) == (255, 200, 10, 20)


def on_grey(data: bytes) -> list[float]:
    return [data[at + 1 + channel] * data[at] / 255 + 128 * (1 - data[at] / 255)
            for at in range(0, len(data), 4) for channel in range(3)]


def test_the_tray_pixmaps_look_like_the_pillow_icon_at_every_size() -> None:
    for spec in ALL_LOOKS:
        for size, _, data in pixmap.pixmaps(spec):
            image = icons.draw(spec, size)
            red, green, blue, alpha = image.split()
            drawn = Image.merge("RGBA", (alpha, red, green, blue)).tobytes()
            differences = [abs(a - b) for a, b in zip(on_grey(data), on_grey(drawn), strict=True)]
            assert sum(differences) / len(differences) < 12, (spec, size)  # 0..255; edges differ, shapes do not
            assert pixel(data, size, 0, 0) == (0, 0, 0, 0)  # the corners stay transparent


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
