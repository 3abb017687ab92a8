"""Figures as data: a pose table is read with human joint ranges, and every mistake is one line."""

from __future__ import annotations

import pytest

from standup.core import skeleton
from standup.core.catalogue import parse_text
from standup.core.poses import PoseError, Prop, View, between, parse_figure

STAND = {"name": "stand"}
SQUAT = {"torso": 40, "hip": 125, "knee": 115, "ankle": 30, "shoulder": 130}


def figure(*poses, **extra):
    return parse_figure({"pose": list(poses), **extra})


def test_a_pose_reads_one_angle_for_both_limbs_or_near_and_far():
    squat = figure(STAND, {"hip": [80, -20], "knee": 90}).poses[1]
    assert (squat.hip.near, squat.hip.far, squat.knee.near, squat.knee.far) == (80, -20, 90, 90)
    assert [str(contact) for contact in squat.on] == ["near_foot", "far_foot"]


@pytest.mark.parametrize(("raw", "message"), [
    ({"pose": [STAND]}, "has 1 poses; give 2 to 6"),
    ({"pose": [STAND, {"knee": 170}]}, "pose 2: knee = 170 is outside what a body does (0 to 155 degrees)"),
    ({"pose": [STAND, {"hip": [10, 20, 30]}]}, "pose 2: hip must be one angle or [near, far], got 3 values"),
    ({"pose": [STAND, {"kne": 10}]}, "pose 2: unknown field 'kne'; did you mean 'knee'?"),
    ({"pose": [STAND, {"knee": "90"}]}, "pose 2: knee must be degrees like 45, got '90'"),
    ({"view": "top", "pose": [STAND, STAND]}, 'view must be "side" or "front", got \'top\''),
    ({"props": ["sofa"], "pose": [STAND, STAND]}, "unknown prop 'sofa'; use chair, wall, desk, step"),
    ({"pose": [STAND, {"on": ["seat", "near_foot"]}]}, "pose 2: on: 'seat' touches a chair but props has none; add it to props"),
    ({"pose": [STAND, {"on": ["near_hand@wall"]}], "props": ["wall"]},
     "pose 2: on: nothing stands on the floor or a step; name at least one foot, toe or knee"),
    ({"pose": [STAND, {"on": ["left_foot"]}]}, "pose 2: on: unknown point 'left_foot'"),
])
def test_each_mistake_is_one_line_that_says_what_to_do(raw, message):
    with pytest.raises(PoseError) as caught:
        parse_figure(raw)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_user_routine_may_carry_its_own_figure_and_a_bad_one_names_the_file_and_routine():
    routine = """
[[routine]]
id = "my-squat"
name = "My squats"
kind = "strength"
posture = "standing"
muscles = ["quads"]
equipment = "chair"
reps = 10
cues = ["Sit back", "Stand up"]
intensity = 1
quiet = true
source = "mine"
[routine.figure]
props = ["chair"]
[[routine.figure.pose]]
name = "stand"
[[routine.figure.pose]]
torso = 40
hip = 120
knee = %s
ankle = 25
on = ["seat", "near_foot", "far_foot"]
"""
    parsed = parse_text(routine % "100", "mine.toml", "mine.toml")
    assert parsed.problems == ()
    assert parsed.routines[0].figure.props == (Prop.CHAIR,)
    broken = parse_text(routine % "200", "mine.toml", "mine.toml")
    assert [str(problem) for problem in broken.problems] == [
        "mine.toml: routine my-squat: field 'figure': pose 2: knee = 200 is outside what a body does (0 to 155 degrees)"]


def test_limbs_keep_their_length_and_a_standing_figure_is_one_body_height_tall():
    body = skeleton.place(figure(STAND, SQUAT)).bodies[0]
    head_top = body.joints["head"][1] + skeleton.HEAD_RADIUS
    assert head_top == pytest.approx(1.0, abs=0.01)
    assert body.joints["near_heel"][1] == pytest.approx(0.0)
    assert body.joints["near_toe"][1] == pytest.approx(0.0)
    assert skeleton.problems(figure(STAND, SQUAT)) == []


def test_the_planted_foot_stays_put_and_a_squat_lowers_the_hips():
    stand, squat = skeleton.place(figure(STAND, SQUAT)).bodies
    assert squat.joints["near_heel"][0] == pytest.approx(stand.joints["near_heel"][0])
    assert squat.joints["pelvis"][1] < stand.joints["pelvis"][1] - 0.15
    assert squat.joints["pelvis"][0] < squat.joints["near_ankle"][0]  # the hips go back


def test_a_foot_in_the_air_or_a_seat_nobody_reaches_is_reported():
    lifted = figure(STAND, {"hip": [0, 40], "knee": [0, 60]})  # the far foot is lifted but said to be down
    assert any("far_foot is +" in line for line in skeleton.problems(lifted))
    high = figure(STAND, {"knee": 20, "on": ["seat", "near_foot", "far_foot"]}, props=["chair"])
    assert any("seat is +" in line and "off the chair" in line for line in skeleton.problems(high))
    sunk = figure(STAND, {"torso": 100})  # face down through the floor
    assert any("under the floor" in line for line in skeleton.problems(sunk))


def test_animation_frames_go_from_the_first_pose_and_back():
    shape = figure(STAND, SQUAT)
    frames = skeleton.frames(shape, 8)
    keys = skeleton.place(shape).bodies
    assert frames[0].joints["pelvis"] == pytest.approx(keys[0].joints["pelvis"])
    assert frames[4].joints["pelvis"] == pytest.approx(keys[1].joints["pelvis"])
    assert frames[2].joints["pelvis"][1] < keys[0].joints["pelvis"][1]
    assert between(shape.poses[0], shape.poses[1], 0.5).knee.near == pytest.approx(57.5)


def test_the_front_view_draws_across_the_figure():
    shape = figure({"hip_out": 20}, {"hip_out": 30}, view="front")
    assert shape.view is View.FRONT
    stand = skeleton.place(shape).bodies[0]
    near, far = (skeleton.screen(stand.joints[f"{side}_ankle"], shape.view)[0] for side in ("near", "far"))
    assert near - far > 0.3  # wide stance, seen from the front
