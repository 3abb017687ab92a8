"""A routine's figure as data: its key poses (joint angles), the view it is drawn from and its props.

Standard library only. A figure is written in TOML, either in the bundled `figures.toml` (one table
per routine id) or inside a user's `[[routine]]` as `[routine.figure]`:

    view = "side"                      # "side" (facing right) or "front"
    props = ["chair"]                  # any of chair, wall, desk, step
    [[pose]]                           # two or more, in the order the movement goes
    hip = 90                           # one number for both legs or arms, or [near, far]
    knee = [90, 90]
    on = ["seat", "near_foot", "far_foot"]

Angles are degrees from standing tall with the arms hanging. `torso` leans forward (+) or back
(-), `tilt` bends it sideways; `hip` flexes the thigh forward, `hip_out` lifts it out to the side
(negative crosses it over), `knee` bends, `ankle` lifts the toes (+) or the heel (-), `turn`
turns the foot out; `shoulder` raises the arm forward (180 is overhead), `shoulder_out` raises it
sideways, `elbow` bends; `neck` nods the head. In the side view "near" is the limb nearer the viewer.
`on` names what touches a surface (see CONTACTS); the first floor contact stands still through the
movement. Every problem is one line naming the field and the fix.
"""

from __future__ import annotations

import difflib
import enum
import math
from dataclasses import dataclass

MIN_POSES = 2
MAX_POSES = 6


class View(enum.Enum):
    SIDE = "side"
    FRONT = "front"


class Prop(enum.Enum):
    CHAIR = "chair"
    WALL = "wall"
    DESK = "desk"
    STEP = "step"


# name: (lowest value, highest value, default) in degrees. The ranges are what a healthy adult's
# joints allow (hip flexion with the knee bent, a deep squat's knee, a calf raise's ankle…).
BODY = {
    "torso": (-125.0, 125.0, 0.0),  # the whole body's lean: lying is ±90
    "tilt": (-40.0, 40.0, 0.0),
    "neck": (-40.0, 60.0, 0.0),
}
LIMB = {
    "hip": (-35.0, 135.0, 0.0),
    "hip_out": (-35.0, 70.0, 0.0),
    "knee": (0.0, 155.0, 0.0),
    "ankle": (-55.0, 35.0, 0.0),
    "turn": (-10.0, 60.0, 0.0),
    "shoulder": (-70.0, 185.0, 0.0),
    "shoulder_out": (-30.0, 185.0, 0.0),
    "elbow": (0.0, 155.0, 0.0),
}
SIDES = ("near", "far")
# Points that can touch something, and the surface each touches unless written `point@surface`.
CONTACTS = {
    "near_foot": "floor", "far_foot": "floor",
    "near_toe": "floor", "far_toe": "floor",
    "near_knee": "floor", "far_knee": "floor",
    "near_hand": "desk", "far_hand": "desk",
    "near_heel": "floor", "far_heel": "floor",
    "seat": "chair",
    "back": "wall",
    "shoulders": "floor",
}
STANDING_SURFACES = ("floor", "step")  # a pose stands on one of these
SURFACES = ("floor", "chair", "wall", "desk", "step")
DEFAULT_ON = ("near_foot", "far_foot")
_POSE_FIELDS = tuple(BODY) + tuple(LIMB) + ("on", "name")
_FIGURE_FIELDS = ("view", "props", "pose")


class PoseError(ValueError):
    """One thing wrong in a figure; the message names the field and says how to fix it."""


@dataclass(frozen=True)
class Limbs:
    """One angle for the near and the far limb."""

    near: float
    far: float

    def side(self, name: str) -> float:
        return self.near if name == "near" else self.far


@dataclass(frozen=True)
class Contact:
    """A point of the body on a surface: `near_foot` on the floor, `seat` on the chair…"""

    point: str
    surface: str

    def __str__(self) -> str:
        return self.point if CONTACTS[self.point] == self.surface else f"{self.point}@{self.surface}"


@dataclass(frozen=True)
class Pose:
    """One key pose: the body's angles and what touches a surface."""

    torso: float = 0.0
    tilt: float = 0.0
    neck: float = 0.0
    hip: Limbs = Limbs(0.0, 0.0)
    hip_out: Limbs = Limbs(0.0, 0.0)
    knee: Limbs = Limbs(0.0, 0.0)
    ankle: Limbs = Limbs(0.0, 0.0)
    turn: Limbs = Limbs(0.0, 0.0)
    shoulder: Limbs = Limbs(0.0, 0.0)
    shoulder_out: Limbs = Limbs(0.0, 0.0)
    elbow: Limbs = Limbs(0.0, 0.0)
    on: tuple[Contact, ...] = tuple(Contact(point, "floor") for point in DEFAULT_ON)
    name: str = ""

    def angle(self, field: str, side: str | None = None) -> float:
        """A body field's angle, or a limb field's on `side` ("near" or "far")."""
        value = getattr(self, field)
        if not isinstance(value, Limbs):
            return float(value)
        if side is None:
            raise ValueError(f"{field} is a pair of limbs: name the side")
        return value.side(side)

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name} if self.name else {}
        for field in BODY:
            data[field] = getattr(self, field)
        for field in LIMB:
            limbs = getattr(self, field)
            data[field] = [limbs.near, limbs.far]
        data["on"] = [str(contact) for contact in self.on]
        return data


@dataclass(frozen=True)
class Figure:
    """How to draw a routine: a view, props and two or more key poses."""

    view: View
    props: tuple[Prop, ...]
    poses: tuple[Pose, ...]

    def as_json(self) -> dict[str, object]:
        return {"view": self.view.value, "props": [prop.value for prop in self.props],
                "pose": [pose.as_json() for pose in self.poses]}  # parse_figure reads this back


def parse_figure(raw: object) -> Figure:
    """A Figure from its TOML table; raises PoseError with a one-line reason."""
    if not isinstance(raw, dict):
        raise PoseError(f"must be a table with view, props and [[pose]] entries, got {_shown(raw)}")
    for key in raw:
        if key not in _FIGURE_FIELDS:
            raise PoseError(f"unknown key {key!r}; {_hint(key, _FIGURE_FIELDS)}")
    view_raw = raw.get("view", "side")
    try:
        view = View(view_raw)
    except ValueError:
        raise PoseError(f'view must be "side" or "front", got {_shown(view_raw)}') from None
    props_raw = raw.get("props", [])
    if not isinstance(props_raw, list):
        raise PoseError(f'props must be a list like ["chair"], got {_shown(props_raw)}')
    props: list[Prop] = []
    for item in props_raw:
        try:
            props.append(Prop(item))
        except ValueError:
            raise PoseError(f"unknown prop {_shown(item)}; use {', '.join(p.value for p in Prop)}") from None
    poses_raw = raw.get("pose")
    if not isinstance(poses_raw, list) or not all(isinstance(item, dict) for item in poses_raw):
        raise PoseError("needs [[pose]] tables (double brackets), two or more")
    if not MIN_POSES <= len(poses_raw) <= MAX_POSES:
        raise PoseError(f"has {len(poses_raw)} poses; give {MIN_POSES} to {MAX_POSES}")
    poses = []
    for number, item in enumerate(poses_raw, start=1):
        try:
            poses.append(parse_pose(item, tuple(props)))
        except PoseError as exc:
            raise PoseError(f"pose {number}: {exc}") from None
    return Figure(view, tuple(props), tuple(poses))


def parse_pose(raw: dict[str, object], props: tuple[Prop, ...] = ()) -> Pose:
    """One [[pose]] table; `props` decide which surfaces its contacts may name."""
    for key in raw:
        if key not in _POSE_FIELDS:
            raise PoseError(f"unknown field {key!r}; {_hint(key, _POSE_FIELDS)}")
    values: dict[str, object] = {}
    for field, (low, high, _) in BODY.items():
        if field in raw:
            values[field] = _degrees(field, raw[field], low, high)
    for field, (low, high, _) in LIMB.items():
        if field in raw:
            values[field] = _limbs(field, raw[field], low, high)
    if "on" in raw:
        values["on"] = _contacts(raw["on"], props)
    if "name" in raw:
        name = raw["name"]
        if not isinstance(name, str) or len(name) > 40:
            raise PoseError(f"name must be a short string, got {_shown(name)}")
        values["name"] = name
    return Pose(**values)  # type: ignore[arg-type]


def _degrees(field: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PoseError(f"{field} must be degrees like 45, got {_shown(value)}")
    if not low <= value <= high:
        raise PoseError(f"{field} = {value:g} is outside what a body does ({low:g} to {high:g} degrees)")
    return float(value)


def _limbs(field: str, value: object, low: float, high: float) -> Limbs:
    if isinstance(value, list):
        if len(value) != 2:
            raise PoseError(f"{field} must be one angle or [near, far], got {len(value)} values")
        return Limbs(_degrees(field, value[0], low, high), _degrees(field, value[1], low, high))
    angle = _degrees(field, value, low, high)
    return Limbs(angle, angle)


def _contacts(value: object, props: tuple[Prop, ...]) -> tuple[Contact, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise PoseError(f'on must be a list like ["near_foot", "far_foot"], got {_shown(value)}')
    contacts = []
    for item in value:
        point, _, surface = item.partition("@")
        if point not in CONTACTS:
            raise PoseError(f"on: unknown point {point!r}; {_hint(point, tuple(CONTACTS))}")
        surface = surface or _default_surface(point, props)
        if surface not in SURFACES:
            raise PoseError(f"on: unknown surface {surface!r} in {item!r}; use {', '.join(SURFACES)}")
        if surface != "floor" and Prop(surface) not in props:
            raise PoseError(f"on: {item!r} touches a {surface} but props has none; add it to props")
        contacts.append(Contact(point, surface))
    if not any(contact.surface in STANDING_SURFACES for contact in contacts):
        raise PoseError("on: nothing stands on the floor or a step; name at least one foot, toe or knee")
    return tuple(contacts)


def _default_surface(point: str, props: tuple[Prop, ...]) -> str:
    surface = CONTACTS[point]
    if surface == "desk" and Prop.DESK not in props and Prop.WALL in props:
        return "wall"
    return surface


def _hint(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"use {', '.join(choices)}"


def _shown(value: object, limit: int = 50) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def between(first: Pose, second: Pose, share: float) -> Pose:
    """The pose `share` (0..1) of the way from `first` to `second`; contacts are the nearer pose's."""
    def mix(a: float, b: float) -> float:
        return a + (b - a) * share

    values: dict[str, object] = {field: mix(first.angle(field), second.angle(field)) for field in BODY}
    for field in LIMB:
        values[field] = Limbs(mix(first.angle(field, "near"), second.angle(field, "near")),
                              mix(first.angle(field, "far"), second.angle(field, "far")))
    values["on"] = first.on if share < 0.5 else second.on
    return Pose(**values)  # type: ignore[arg-type]
