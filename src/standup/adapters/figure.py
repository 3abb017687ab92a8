"""Draws a routine's figure with Pillow: the one place that turns placed poses into pixels.

One look for every routine: a pictogram figure of round-capped strokes on a warm light card, the
limbs nearer the viewer dark and the far ones a lighter tone, a floor line, props (chair, wall, desk,
step) in a quiet outline. A still image shows the last key pose solid and the earlier ones as pale
ghosts, so one picture shows the movement; the break window animates the frames instead. Every size
is drawn at that size (strokes scale with it, 3× supersampled and reduced for smooth edges), so
96 px stays legible and 400 px is crisp. The figure is the same height in every routine's picture
unless a pose (lying, a long lunge) needs more room.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

from standup.core import skeleton
from standup.core.poses import Figure, Prop, View
from standup.core.skeleton import Body, PropShape

BACKGROUND = (246, 244, 239, 255)
INK = (31, 78, 107, 255)
FAR = (127, 166, 191, 255)
GHOST = (203, 215, 223, 255)
PROP_FILL = (226, 221, 211, 255)
PROP_LINE = (150, 142, 128, 255)
FLOOR = (138, 132, 120, 255)

SUPERSAMPLE = 3
LIMB = 0.048  # stroke widths, in body heights
TORSO_WIDTH = 0.07
PROP_WIDTH = 0.016
FLOOR_WIDTH = 0.014
MIN_VIEW_W, MIN_VIEW_H = 1.25, 1.18  # the smallest piece of the world a picture shows, in body heights
MARGIN = 0.08


def render(figure: Figure, size: int | tuple[int, int] = 96, bodies: Sequence[Body] | None = None,
           frame: Body | None = None) -> Image.Image:
    """The still picture (key poses, the last solid, the others ghosted), or one animation `frame`.

    `bodies` are the frames of an animation: pass them so every frame is framed alike.
    """
    width, height = (size, size) if isinstance(size, int) else size
    scene = skeleton.place(figure)
    extent = list(scene.bodies) + list(bodies or ())
    canvas = _Canvas(width * SUPERSAMPLE, height * SUPERSAMPLE, extent, scene.props, figure.view)
    canvas.props(scene.props)
    canvas.floor()
    if frame is not None:
        canvas.body(frame, INK, FAR)
    else:
        for ghost in scene.bodies[:-1]:
            canvas.body(ghost, GHOST, GHOST)
        canvas.body(scene.bodies[-1], INK, FAR)
    return canvas.image.resize((width, height), Image.Resampling.LANCZOS)


def png(figure: Figure, size: int | tuple[int, int] = 96) -> bytes:
    """The still picture as PNG bytes."""
    buffer = io.BytesIO()
    render(figure, size).convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def data_uri(figure: Figure, size: int = 96) -> str:
    """The still picture as a data: URI, for a page that carries its images inline."""
    import base64

    return "data:image/png;base64," + base64.b64encode(png(figure, size)).decode("ascii")


def animation(figure: Figure, size: int | tuple[int, int], count: int = 16) -> list[Image.Image]:
    """`count` frames of one cycle of the movement, framed alike."""
    bodies = skeleton.frames(figure, count)
    return [render(figure, size, bodies=bodies, frame=body) for body in bodies]


def save(figure: Figure, path: str, size: int = 400) -> None:
    """Write the still picture as a PNG file."""
    with open(path, "wb") as file:
        file.write(png(figure, size))


class _Canvas:
    """Maps the scene (body heights, y up) onto pixels (y down) and draws strokes at scale."""

    def __init__(self, width: int, height: int, bodies: Sequence[Body], props: Sequence[PropShape], view: View) -> None:
        self.image = Image.new("RGBA", (width, height), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)
        self.view = view
        xs, ys = [], [0.0, 1.0]
        for body in bodies:
            for name, point in body.joints.items():
                x, y = skeleton.screen(point, view)
                xs.append(x)
                ys.append(y + (skeleton.HEAD_RADIUS if name == "head" else 0.0))
                if name == "head":
                    xs.extend((x - skeleton.HEAD_RADIUS, x + skeleton.HEAD_RADIUS))
        for shape in props:
            xs.extend(_prop_extent(shape))
            ys.append(_prop_top(shape))
        low_x, high_x, high_y = min(xs), max(xs), max(ys)
        view_w = max(MIN_VIEW_W, high_x - low_x + 2 * MARGIN)
        view_h = max(MIN_VIEW_H, high_y + 2 * MARGIN)
        self.scale = min(width / view_w, height / view_h)
        self.x0 = (low_x + high_x) / 2 - width / self.scale / 2
        self.floor_y = height - (height - high_y * self.scale) / 2 + (MARGIN * self.scale) / 2
        self.floor_y = min(self.floor_y, height - MARGIN * self.scale * 0.6)
        self.width, self.height = width, height

    def at(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.x0) * self.scale, self.floor_y - y * self.scale)

    def stroke(self, points: Sequence[tuple[float, float]], color: tuple[int, ...], width: float) -> None:
        pixels = [self.at(x, y) for x, y in points]
        thickness = max(1, round(width * self.scale))
        self.draw.line(pixels, fill=color, width=thickness, joint="curve")
        radius = thickness / 2
        for px, py in (pixels[0], pixels[-1]):
            self.draw.ellipse((px - radius, py - radius, px + radius, py + radius), fill=color)

    def floor(self) -> None:
        y = self.floor_y + FLOOR_WIDTH * self.scale / 2
        self.draw.line([(0, y), (self.width, y)], fill=FLOOR, width=max(1, round(FLOOR_WIDTH * self.scale)))

    def body(self, body: Body, ink: tuple[int, ...], far: tuple[int, ...]) -> None:
        j = {name: skeleton.screen(point, self.view) for name, point in body.joints.items()}
        limbs = []
        for side in ("near", "far"):
            leg = [j[f"{side}_hip"], j[f"{side}_knee"], j[f"{side}_ankle"], j[f"{side}_toe"]]
            heel = [j[f"{side}_ankle"], j[f"{side}_heel"]]
            arm = [j[f"{side}_shoulder"], j[f"{side}_elbow"], j[f"{side}_hand"]]
            depth = skeleton.depth(body.joints[f"{side}_hip"], self.view)
            limbs.append((depth, side, leg, heel, arm))
        limbs.sort(key=lambda item: item[0])
        side_view = self.view is View.SIDE
        back, front = limbs[0], limbs[1]
        self._limb(back, far if side_view else ink)
        hips = (j["near_hip"], j["far_hip"])
        shoulders = (j["near_shoulder"], j["far_shoulder"])
        pelvis, neck = j["pelvis"], j["neck"]
        self.stroke([pelvis, neck], ink, TORSO_WIDTH)
        if not side_view:
            self.stroke(list(hips), ink, LIMB)
            self.stroke(list(shoulders), ink, LIMB)
        hx, hy = self.at(*j["head"])
        radius = skeleton.HEAD_RADIUS * self.scale
        self.draw.ellipse((hx - radius, hy - radius, hx + radius, hy + radius), fill=ink)
        self._limb(front, ink)

    def _limb(self, limb: tuple[object, ...], color: tuple[int, ...]) -> None:
        _, _, leg, heel, arm = limb
        self.stroke(leg, color, LIMB)  # type: ignore[arg-type]
        self.stroke(heel, color, LIMB * 0.8)  # type: ignore[arg-type]
        self.stroke(arm, color, LIMB * 0.85)  # type: ignore[arg-type]

    def props(self, shapes: Sequence[PropShape]) -> None:
        for shape in shapes:
            if self.view is View.FRONT and shape.prop is not Prop.STEP:
                continue  # seen from the front a chair, wall or desk would hide the figure
            getattr(self, f"_{shape.prop.value}")(shape)

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        (ax, ay), (bx, by) = self.at(min(x0, x1), max(y0, y1)), self.at(max(x0, x1), min(y0, y1))
        self.draw.rectangle((ax, ay, bx, by), fill=PROP_FILL, outline=PROP_LINE,
                            width=max(1, round(PROP_WIDTH * self.scale)))

    def _chair(self, shape: PropShape) -> None:
        front, rear = shape.x, shape.x + shape.facing * skeleton.SEAT_DEPTH
        seat = skeleton.SEAT_HEIGHT
        self._box(front, seat, rear, seat - 0.03)
        self.stroke([(front - shape.facing * 0.02, seat - 0.03), (front - shape.facing * 0.02, 0.0)], PROP_LINE, 0.022)
        self.stroke([(rear, seat - 0.03), (rear, 0.0)], PROP_LINE, 0.022)
        self.stroke([(rear, seat), (rear + shape.facing * 0.02, seat + 0.27)], PROP_LINE, 0.03)

    def _wall(self, shape: PropShape) -> None:
        self._box(shape.x, 0.0, shape.x + shape.facing * 0.06, 1.3)

    def _desk(self, shape: PropShape) -> None:
        top = skeleton.DESK_HEIGHT
        far = shape.x + shape.facing * 0.5
        self._box(shape.x, top, far, top - 0.035)
        self.stroke([(far - shape.facing * 0.04, top - 0.035), (far - shape.facing * 0.04, 0.0)], PROP_LINE, 0.025)

    def _step(self, shape: PropShape) -> None:
        self._box(shape.x, 0.0, shape.x + shape.facing * 0.4, skeleton.STEP_HEIGHT)


def _prop_extent(shape: PropShape) -> tuple[float, float]:
    reach = {Prop.CHAIR: skeleton.SEAT_DEPTH + 0.04, Prop.WALL: 0.06, Prop.DESK: 0.5, Prop.STEP: 0.4}[shape.prop]
    return (shape.x, shape.x + shape.facing * reach)


def _prop_top(shape: PropShape) -> float:
    return {Prop.CHAIR: skeleton.SEAT_HEIGHT + 0.27, Prop.WALL: 0.0, Prop.DESK: skeleton.DESK_HEIGHT,
            Prop.STEP: skeleton.STEP_HEIGHT}[shape.prop]
