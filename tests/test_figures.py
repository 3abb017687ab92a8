"""Every bundled routine has a figure whose poses a human body can take, drawn alike at every size.

Writes test-artifacts/figures-contact-sheet.png (every routine at 160 px, and each at toast size)
for a person to look at.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from standup.adapters import figure as renderer
from standup.core import skeleton
from standup.core.catalogue import load_bundled
from standup.core.figures import bundled_figures, figure_for
from standup.core.poses import View

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ROUTINES = load_bundled()
IDS = [routine.id for routine in ROUTINES]


def _angle(a, b, c):
    """The angle at b between b→a and b→c, in degrees (180 = straight)."""
    u = [a[i] - b[i] for i in range(3)]
    v = [c[i] - b[i] for i in range(3)]
    cos = sum(x * y for x, y in zip(u, v)) / (math.hypot(*u) * math.hypot(*v))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def test_every_bundled_routine_has_a_figure_and_every_figure_a_routine():
    figures = bundled_figures()
    assert sorted(set(IDS) - set(figures)) == []
    assert sorted(set(figures) - set(IDS)) == []


@pytest.mark.parametrize("routine_id", IDS)
def test_each_pose_is_one_a_body_can_take(routine_id):
    shape = bundled_figures()[routine_id]
    assert len(shape.poses) >= 2
    assert skeleton.problems(shape) == []
    for body, pose in zip(skeleton.place(shape).bodies, shape.poses):
        for side in ("near", "far"):
            knee = _angle(body.joints[f"{side}_hip"], body.joints[f"{side}_knee"], body.joints[f"{side}_ankle"])
            assert 20 <= knee <= 180.001, f"{pose.name or pose}: {side} knee at {knee:.0f}°"
            elbow = _angle(body.joints[f"{side}_shoulder"], body.joints[f"{side}_elbow"], body.joints[f"{side}_hand"])
            assert 25 <= elbow <= 180.001


@pytest.mark.parametrize("routine", [r for r in ROUTINES if r.squat], ids=lambda r: r.id)
def test_a_squat_bends_the_knees_to_a_real_squat_with_the_heels_down(routine):
    shape = figure_for(routine)
    bodies = skeleton.place(shape).bodies
    deepest = min(bodies, key=lambda body: body.joints["pelvis"][1])
    index = bodies.index(deepest)
    knee = _angle(deepest.joints["near_hip"], deepest.joints["near_knee"], deepest.joints["near_ankle"])
    assert 60 <= knee <= 125, f"knee angle {knee:.0f}° at the bottom"  # 180 is straight; a full squat is ~60
    contacts = {contact.point for contact in shape.poses[index].on}
    if "near_foot" in contacts:
        assert deepest.joints["near_heel"][1] == pytest.approx(0.0, abs=skeleton.TOLERANCE)


@pytest.mark.parametrize("routine_id", ["wall-sit", "calf-stretch", "single-leg-calf-raise"])
def test_what_touches_a_wall_touches_it_in_every_pose(routine_id):
    shape = bundled_figures()[routine_id]
    scene = skeleton.place(shape)
    wall = next(prop for prop in scene.props if prop.prop.value == "wall")
    for pose, body in zip(shape.poses, scene.bodies):
        for contact in pose.on:
            if contact.surface == "wall":
                assert skeleton.across(skeleton.contact_point(body, contact.point), shape.view) == pytest.approx(
                    wall.x, abs=skeleton.TOLERANCE)


def _ink_rows(image):
    """Rows holding the figure's dark ink: how tall the figure is drawn."""
    pixels = image.convert("RGB").load()
    width, height = image.size
    return [y for y in range(height) if any(sum(pixels[x, y]) < 300 for x in range(width))]


@pytest.mark.parametrize("size", [96, 400])
def test_the_figure_is_drawn_at_its_size_not_scaled_up(size):
    image = Image.open(io.BytesIO(renderer.png(bundled_figures()["bodyweight-squat"], size)))
    assert image.size == (size, size)
    rows = _ink_rows(image)
    assert len(rows) > size * 0.3  # the figure fills the picture
    # strokes grow with the picture: the torso at 400 px is several times as thick as at 96 px
    pixels = image.convert("RGB").load()
    middle = rows[len(rows) // 3]
    longest = run = 0
    for x in range(size):
        run = run + 1 if sum(pixels[x, middle]) < 300 else 0
        longest = max(longest, run)
    assert longest >= (3 if size == 96 else 12)


def test_a_still_picture_shows_the_earlier_poses_as_ghosts():
    still = renderer.render(bundled_figures()["bodyweight-squat"], 200).convert("RGB")
    colours = {still.getpixel((x, y)) for x in range(200) for y in range(200)}
    assert renderer.GHOST[:3] in colours and renderer.INK[:3] in colours


def test_animation_frames_are_framed_alike():
    frames = renderer.animation(bundled_figures()["chair-squat"], 120, count=6)
    assert len(frames) == 6 and {frame.size for frame in frames} == {(120, 120)}
    floor = [frame.convert("RGB").getpixel((2, 119 - 6)) for frame in frames]
    assert len(set(floor)) == 1


def test_contact_sheet_of_every_routine():
    """Not an assertion on looks: the sheet is for a person to open. It checks every routine drew."""
    ARTIFACTS.mkdir(exist_ok=True)
    cell, small, label = 160, 96, 14
    columns = 6
    rows = math.ceil(len(ROUTINES) / columns)
    sheet = Image.new("RGB", (columns * (cell + small + 8), rows * (cell + label + 6)), "white")
    draw = ImageDraw.Draw(sheet)
    for index, routine in enumerate(ROUTINES):
        shape = figure_for(routine)
        x = (index % columns) * (cell + small + 8)
        y = (index // columns) * (cell + label + 6)
        big = renderer.render(shape, cell).convert("RGB")
        toast = renderer.render(shape, small).convert("RGB")
        dark = sum(1 for px in range(small) for py in range(small) if sum(toast.getpixel((px, py))) < 300)
        assert dark > 150, routine.id  # a figure, not a speck
        sheet.paste(big, (x, y + label))
        sheet.paste(toast, (x + cell + 4, y + label))
        view = "front" if shape.view is View.FRONT else "side"
        draw.text((x + 2, y + 1), f"{routine.id} ({view})", fill="black")
    path = ARTIFACTS / "figures-contact-sheet.png"
    sheet.save(path)
    assert path.stat().st_size > 10_000


def test_routines_show_writes_the_figure_and_refuses_a_routine_without_one(tmp_path):
    from tests.test_cli_routines import Run

    run = Run(tmp_path)
    picture = tmp_path / "squat.png"
    code, out, err = run("routines", "show", "chair-squat", "--image", str(picture), "--size", "120")
    assert (code, err) == (0, "")
    assert f"Figure: {picture}" in out
    assert Image.open(picture).size == (120, 120)
    (run.routines_dir / "mine.toml").write_text(
        '[[routine]]\nid = "my-move"\nname = "Mine"\nkind = "mobility"\nposture = "standing"\nmuscles = ["hips"]\nequipment = "none"\n'
        'reps = 5\ncues = ["Move."]\nintensity = 1\nquiet = true\nsource = "me"\n', encoding="utf-8")
    code, out, err = run("routines", "show", "my-move", "--image", str(tmp_path / "mine.png"))
    assert code == 2 and "has no figure to draw" in err and not (tmp_path / "mine.png").exists()
    code, out, err = run("routines", "show", "chair-squat", "--json")
    assert json.loads(out)["figure"]["props"] == ["chair"]


def test_the_report_shows_each_exercise_with_its_figure_inline(tmp_path):
    from datetime import timedelta

    from standup.adapters.store import Store
    from standup.core.model import Outcome, Suggestion
    from tests.test_cli_routines import MONDAY_NOON, Run

    run = Run(tmp_path)
    store = Store.open(tmp_path / "standup.db")
    prompt = store.add_prompt(MONDAY_NOON - timedelta(hours=1), Suggestion("chair-squat", "Chair squats", 2, 10, squats=20))
    store.close_prompt(prompt.id, Outcome.DONE, MONDAY_NOON - timedelta(minutes=55))
    store.close()
    page = tmp_path / "report.html"
    code, _, err = run("summary", "--out", str(page))
    assert code == 0, err
    row = page.read_text(encoding="utf-8").split('<tr data-routine="chair-squat">')[1].split("</tr>")[0]
    assert '<img class="fig" src="data:image/png;base64,' in row and 'alt="Chair squats: how it is done"' in row
