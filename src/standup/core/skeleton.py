"""From key poses to joint positions: the pure geometry behind a routine's figure.

Standard library only. Lengths are in body heights (a standing figure is 1.0 tall, the floor is
y = 0; segment lengths follow Winter's anthropometric table). The body is solved in 3-D (x forward,
y up, z to the figure's left) and projected for the view: the side view looks at the figure's left
side (it faces right), the front view faces it. Each pose is placed so its first floor contact is on
the floor and stays where it was in the first pose (the planted foot does not slide through the
movement); props are put where the first pose that uses them touches them, at fixed heights.
`problems()` lists what is not physically possible: a contact off its surface, a body part under
the floor, a limb whose length changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from standup.core.poses import SIDES, STANDING_SURFACES, Contact, Figure, Pose, Prop, View, between

TORSO = 0.29  # hip joint to shoulder joint
THIGH = 0.245
SHANK = 0.246
UPPER_ARM = 0.186
FOREARM = 0.20  # elbow to the middle of the hand
NECK = 0.052
HEAD_RADIUS = 0.064
ANKLE_HEIGHT = 0.039
HEEL_BACK = 0.03
TOE_FORWARD = 0.125
HIP_HALF_WIDTH = 0.05
SHOULDER_HALF_WIDTH = 0.11
SEAT_DROP = 0.05  # the hip joint sits this far above what it sits on
BACK_DEPTH = 0.06  # the back's surface behind the spine line

SEAT_HEIGHT = 0.26  # a chair seat, 45 cm for a 1.75 m person
SEAT_DEPTH = 0.24
DESK_HEIGHT = 0.42  # 73 cm
STEP_HEIGHT = 0.1  # 17 cm
TOLERANCE = 0.03  # how far a contact may miss its surface (5 cm for a 1.75 m person)

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]

# Segments whose length must never change: (from joint, to joint, length).
SEGMENTS = tuple(
    item
    for side in SIDES
    for item in (
        (f"{side}_hip", f"{side}_knee", THIGH),
        (f"{side}_knee", f"{side}_ankle", SHANK),
        (f"{side}_shoulder", f"{side}_elbow", UPPER_ARM),
        (f"{side}_elbow", f"{side}_hand", FOREARM),
    )
) + (("pelvis", "neck", TORSO),)


@dataclass(frozen=True)
class Body:
    """One pose solved: every joint in 3-D, with the pelvis at the origin."""

    joints: dict[str, Vec]

    def moved(self, dx: float, dy: float, view: View) -> Body:
        """Shifted by `dx` across the drawing plane of `view` and `dy` up."""
        if view is View.SIDE:  # screen x is x + OBLIQUE * z: moving x moves it alike
            return Body({name: (x + dx, y + dy, z) for name, (x, y, z) in self.joints.items()})
        return Body({name: (x, y + dy, z + dx) for name, (x, y, z) in self.joints.items()})


@dataclass(frozen=True)
class PropShape:
    """A prop placed in the scene: a chair's seat front edge, a wall's face, a desk's edge, a step."""

    prop: Prop
    x: float  # the edge the figure uses (seat front, wall face, desk edge, step front)
    facing: int  # +1: the prop extends to +x from `x`, -1: to -x


@dataclass(frozen=True)
class Scene:
    """A figure's poses placed on the floor, with its props."""

    view: View
    bodies: tuple[Body, ...]
    props: tuple[PropShape, ...]


# ---- 3-D rotations -----------------------------------------------------------------------------


def _rx(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rz(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Mat, b: Mat) -> Mat:
    rows = tuple(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3))
    return rows  # type: ignore[return-value]


def _apply(m: Mat, v: Vec) -> Vec:
    return (m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2])


def _add(a: Vec, b: Vec, scale: float = 1.0) -> Vec:
    return (a[0] + b[0] * scale, a[1] + b[1] * scale, a[2] + b[2] * scale)


DOWN: Vec = (0.0, -1.0, 0.0)
UP: Vec = (0.0, 1.0, 0.0)


# ---- one pose ----------------------------------------------------------------------------------


def solve(pose: Pose) -> Body:
    """Every joint of `pose`, pelvis at the origin. Near = the figure's left (+z)."""
    torso = _mul(_rz(-pose.torso), _rx(pose.tilt))
    joints: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    neck = _apply(torso, (0.0, TORSO, 0.0))
    joints["neck"] = neck
    head_frame = _mul(torso, _rz(-pose.neck))
    joints["head"] = _add(neck, _apply(head_frame, UP), NECK + HEAD_RADIUS)
    for side in SIDES:
        sign = 1.0 if side == "near" else -1.0
        hip = _apply(torso, (0.0, 0.0, sign * HIP_HALF_WIDTH))
        thigh = _mul(torso, _mul(_rz(pose.angle("hip", side)), _rx(-sign * pose.angle("hip_out", side))))
        knee = _add(hip, _apply(thigh, DOWN), THIGH)
        shank = _mul(thigh, _rz(-pose.angle("knee", side)))
        ankle = _add(knee, _apply(shank, DOWN), SHANK)
        foot = _mul(shank, _mul(_ry(-sign * pose.angle("turn", side)), _rz(pose.angle("ankle", side))))
        joints[f"{side}_hip"], joints[f"{side}_knee"], joints[f"{side}_ankle"] = hip, knee, ankle
        joints[f"{side}_heel"] = _add(ankle, _apply(foot, (-HEEL_BACK, -ANKLE_HEIGHT, 0.0)))
        joints[f"{side}_toe"] = _add(ankle, _apply(foot, (TOE_FORWARD, -ANKLE_HEIGHT, 0.0)))
        shoulder = _add(neck, _apply(torso, (0.0, 0.0, sign * SHOULDER_HALF_WIDTH)))
        arm = _mul(torso, _mul(_rz(pose.angle("shoulder", side)), _rx(-sign * pose.angle("shoulder_out", side))))
        elbow = _add(shoulder, _apply(arm, DOWN), UPPER_ARM)
        forearm = _mul(arm, _rz(pose.angle("elbow", side)))
        joints[f"{side}_shoulder"], joints[f"{side}_elbow"] = shoulder, elbow
        joints[f"{side}_hand"] = _add(elbow, _apply(forearm, DOWN), FOREARM)
    seat_frame = torso
    joints["seat"] = _add((0.0, 0.0, 0.0), _apply(seat_frame, (-0.02, -SEAT_DROP, 0.0)))
    joints["back"] = _add(_apply(torso, (0.0, TORSO * 0.45, 0.0)), _apply(torso, (-BACK_DEPTH, 0.0, 0.0)))
    joints["shoulders"] = _add(neck, _apply(torso, (-BACK_DEPTH, -0.03, 0.0)))
    return Body(joints)


def contact_point(body: Body, point: str) -> Vec:
    """Where a contact point is: a foot's lowest of heel and toe, a knee's front, a hand…"""
    joints = body.joints
    if point.endswith("_foot"):
        side = point.split("_")[0]
        heel, toe = joints[f"{side}_heel"], joints[f"{side}_toe"]
        return heel if heel[1] <= toe[1] else toe
    if point.endswith(("_toe", "_heel")):
        return joints[point]
    if point.endswith("_knee"):
        knee = joints[point]
        return (knee[0], knee[1] - 0.03, knee[2])  # the kneecap's front, not the joint's centre
    return joints[point]


OBLIQUE = 0.35  # the side view turns the figure a little, so both legs and arms show


def screen(point: Vec, view: View) -> tuple[float, float]:
    """The drawing plane: side view (x, y), turned a little by OBLIQUE; front view (z, y), the
    figure's left on the viewer's right."""
    return (point[0] + OBLIQUE * point[2], point[1]) if view is View.SIDE else (point[2], point[1])


def across(point: Vec, view: View) -> float:
    """Where a point is along the floor, as a wall or a desk edge (which run across the view) sees it."""
    return point[0] if view is View.SIDE else point[2]


def depth(point: Vec, view: View) -> float:
    """Nearer the viewer is larger."""
    return point[2] if view is View.SIDE else point[0]


# ---- placing a figure's poses ------------------------------------------------------------------


def place(figure: Figure) -> Scene:
    """Every key pose on its floor or step, the planted contact fixed, and the props where they are touched."""
    view = figure.view
    bodies: list[Body] = []
    planted: dict[str, float] = {}
    for number, pose in enumerate(figure.poses):
        body = solve(pose)
        standing = _standing_contacts(pose)
        fixed = next((c for c in standing if _foot_point(body, c.point) in planted), standing[0])
        px, py = screen(contact_point(body, fixed.point), view)
        if number == 0:
            dx = -px
        elif _foot_point(body, fixed.point) in planted:
            dx = planted[_foot_point(body, fixed.point)] - px
        else:  # standing on other points: the pelvis stays above the same spot
            dx = screen(bodies[0].joints["pelvis"], view)[0]
        bodies.append(body.moved(dx, surface_height(fixed.surface) - py, view))
        if number == 0:  # what the first pose stands on stays put: a foot's heel and toe, a knee
            planted = {name: screen(bodies[0].joints[name], view)[0] for c in standing for name in _resting(c.point)}
    return Scene(view, tuple(bodies), tuple(_place_props(figure, bodies)))


def _foot_point(body: Body, point: str) -> str:
    """The joint a contact rests on: a foot's lower end (heel or toe), or the point itself."""
    if point.endswith("_foot"):
        side = point.split("_")[0]
        return f"{side}_heel" if body.joints[f"{side}_heel"][1] <= body.joints[f"{side}_toe"][1] else f"{side}_toe"
    return point


def _resting(point: str) -> tuple[str, ...]:
    """The joints a standing contact puts down: a whole foot is its heel and its toe."""
    if point.endswith("_foot"):
        side = point.split("_")[0]
        return (f"{side}_heel", f"{side}_toe")
    return (point,)


def _standing_contacts(pose: Pose) -> list[Contact]:
    return [contact for contact in pose.on if contact.surface in STANDING_SURFACES]


def _place_props(figure: Figure, bodies: list[Body]) -> list[PropShape]:
    shapes = []
    for prop in figure.props:
        found = next(((pose, body, c) for pose, body in zip(figure.poses, bodies) for c in pose.on
                      if c.surface == prop.value), None)
        pelvis_x = screen(bodies[0].joints["pelvis"], figure.view)[0]
        if found is None:  # drawn beside the figure, touched by nothing
            shapes.append(PropShape(prop, pelvis_x + 0.35, 1))
            continue
        _, body, contact = found
        x = across(contact_point(body, contact.point), figure.view)
        if prop is Prop.CHAIR:
            shapes.append(PropShape(prop, x + 0.07, -1))
        elif prop is Prop.STEP:
            shapes.append(PropShape(prop, x - 0.08, 1))
        else:  # a wall or a desk: on the side of the body the contact is on
            shapes.append(PropShape(prop, x, 1 if x >= pelvis_x else -1))
    return shapes


def frames(figure: Figure, count: int) -> list[Body]:
    """`count` bodies through one cycle of the movement (first pose → … → last → back to first),
    for animation: angles are interpolated, placement follows the key poses'."""
    scene = place(figure)
    keys = list(zip(figure.poses, scene.bodies))
    cycle = keys + [keys[0]]
    legs = len(cycle) - 1
    out = []
    for index in range(count):
        position = index * legs / count
        leg = min(int(position), legs - 1)
        share = _ease(position - leg)
        (pose_a, body_a), (pose_b, body_b) = cycle[leg], cycle[leg + 1]
        solved = solve(between(pose_a, pose_b, share))
        # how far `place` moved each key pose is where it put the pelvis (solved at the origin)
        ax, ay = screen(body_a.joints["pelvis"], figure.view)
        bx, by = screen(body_b.joints["pelvis"], figure.view)
        out.append(solved.moved(ax + (bx - ax) * share, ay + (by - ay) * share, figure.view))
    return out


def _ease(share: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * share)


# ---- what cannot be -----------------------------------------------------------------------------


def surface_height(surface: str) -> float:
    """The height of what a contact rests on (a wall has none: it is touched from the side)."""
    return {"floor": 0.0, "chair": SEAT_HEIGHT, "desk": DESK_HEIGHT, "step": STEP_HEIGHT}.get(surface, 0.0)


def problems(figure: Figure) -> list[str]:
    """What is physically wrong with a figure's placed poses, one line each (empty: plausible)."""
    scene = place(figure)
    shapes = {shape.prop.value: shape for shape in scene.props}
    found = []
    for number, (pose, body) in enumerate(zip(figure.poses, scene.bodies), start=1):
        for start, end, length in SEGMENTS:
            actual = math.dist(body.joints[start], body.joints[end])
            if abs(actual - length) > 1e-6:
                found.append(f"pose {number}: {start}-{end} is {actual:.3f} long, not {length}")
        lowest = min(point[1] for name, point in body.joints.items() if name not in ("seat", "back", "shoulders"))
        head = body.joints["head"][1] - HEAD_RADIUS
        if min(lowest, head) < -TOLERANCE:
            found.append(f"pose {number}: part of the body is {-min(lowest, head):.2f} under the floor")
        for contact in pose.on:
            point = contact_point(body, contact.point)
            x = across(point, figure.view)
            if contact.surface == "wall":
                miss = abs(x - shapes["wall"].x)
                if miss > TOLERANCE:
                    found.append(f"pose {number}: {contact} is {miss:.2f} from the wall")
                continue
            height = surface_height(contact.surface)
            if abs(point[1] - height) > TOLERANCE:
                found.append(f"pose {number}: {contact} is {point[1] - height:+.2f} off the {contact.surface}")
            if contact.surface == "desk" and abs(x - shapes["desk"].x) > 2 * TOLERANCE:
                found.append(f"pose {number}: {contact} is {abs(x - shapes['desk'].x):.2f} from the desk's edge")
    return found
