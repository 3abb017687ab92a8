"""The tray icon and the app icon: a ring that fills as the sitting clock runs, as shapes and as Pillow images.

Pure: a status goes in, shapes on a 64-unit grid come out (`shapes`); `draw` paints them with
Pillow (imported when first drawn: the StatusNotifierItem tray paints the same shapes without it,
`desktop/raster.py`). Looks (crisp at 16-64 px, on light and dark panels):

- sitting: a dark disc with a light rim; a green ring fills clockwise from twelve o'clock and turns
  amber in its last quarter;
- prompt open: an orange disc with a white arrow pointing up ("stand up");
- snoozed: the dark disc with a full amber ring and an amber arrow;
- paused: the dark disc, an empty ring and a white pause sign;
- off hours: the dark disc, a dim empty ring and a pale crescent moon.

Every look draws on an opaque dark disc inside a light rim, so it stands out on any panel colour.
Pillow draws at four times the size and scales down once, which keeps 16 px edges smooth.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from standup.core.model import State
from standup.service.views import Status

if TYPE_CHECKING:
    from PIL import Image

# The ring fills in quarters. Every new image costs a tray host about a dozen context switches (a PNG
# written, D-Bus and X11 round trips): quarters keep an idle app under two a minute (docs/benchmarks.md).
STEPS = 4
SUPERSAMPLE = 4
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
GRID = 64  # the artwork's units across
CENTRE = GRID / 2

DISC = (30, 39, 44, 255)  # dark slate
RIM = (236, 239, 241, 255)  # near white
TRACK = (84, 110, 122, 255)
TRACK_DIM = (55, 71, 79, 255)
GREEN = (67, 160, 71, 255)
AMBER = (255, 179, 0, 255)
ORANGE = (244, 81, 30, 255)
WHITE = (255, 255, 255, 255)
MOON = (207, 216, 220, 255)

# The arrow pointing up, on the 64-unit grid (desktop/icon_svg.py draws the same points).
ARROW = ((32, 12), (48, 30), (38, 30), (38, 50), (26, 50), (26, 30), (16, 30))
APP_ARROW_SCALE = 0.62


class Look(enum.Enum):
    """What the icon shows; one per service state."""

    SITTING = "sitting"
    PROMPT = "prompt"
    SNOOZED = "snoozed"
    PAUSED = "paused"
    OFF_HOURS = "off_hours"


@dataclass(frozen=True)
class IconSpec:
    """Everything an icon image depends on; equal specs draw equal images."""

    look: Look
    fill: float = 0.0  # 0..1, quantized to 1/STEPS; only drawn for SITTING


_LOOKS = {
    State.SITTING: Look.SITTING,
    State.PROMPTING: Look.PROMPT,
    State.SNOOZED: Look.SNOOZED,
    State.PAUSED: Look.PAUSED,
    State.OFF_HOURS: Look.OFF_HOURS,
}


def sitting_fraction(status: Status, now: datetime, interval_minutes: int) -> float:
    """How far the sitting clock is towards the next prompt, 0..1.

    Uses the span from `sitting_since` to `next_prompt_at` when both are known (it follows
    clock-aligned prompts), else the configured interval.
    """
    since = getattr(status, "sitting_since", None)
    if since is None:
        return 0.0
    total = interval_minutes * 60.0
    due = getattr(status, "next_prompt_at", None)
    if due is not None and due > since:
        total = (due - since).total_seconds()
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (now - since).total_seconds() / total))


def spec_for(status: Status, now: datetime, interval_minutes: int) -> IconSpec:
    """The icon for a service `Status` at `now`."""
    look = _LOOKS.get(status.state, Look.SITTING)
    if look is not Look.SITTING:
        return IconSpec(look)
    fraction = sitting_fraction(status, now, interval_minutes)
    return IconSpec(look, math.floor(fraction * STEPS) / STEPS)


def seconds_to_next_step(status: Status, now: datetime, interval_minutes: int) -> float:
    """Seconds until the ring would move one step (how long the current image stays right)."""
    since = getattr(status, "sitting_since", None)
    if status.state is not State.SITTING or since is None or getattr(status, "away", False):
        return math.inf  # nothing moves until the state changes (away: the ring waits for the return)
    total = interval_minutes * 60.0
    due = getattr(status, "next_prompt_at", None)
    if due is not None and due > since:
        total = (due - since).total_seconds()
    step = total / STEPS
    elapsed = (now - since).total_seconds()
    if elapsed >= total:
        return math.inf
    return max(0.0, step * (math.floor(elapsed / step) + 1) - elapsed)


Colour = tuple[int, int, int, int]


@dataclass(frozen=True)
class Disc:
    """A filled circle."""

    cx: float
    cy: float
    r: float
    colour: Colour


@dataclass(frozen=True)
class Ring:
    """A band `width` wide inside radius `r`: whole, or an arc from `start` degrees (0 = three o'clock,
    -90 = twelve) clockwise through `sweep` degrees."""

    cx: float
    cy: float
    r: float
    width: float
    colour: Colour
    start: float = -90.0
    sweep: float = 360.0


@dataclass(frozen=True)
class Polygon:
    """A filled polygon (corners in order)."""

    points: tuple[tuple[float, float], ...]
    colour: Colour


Shape = Disc | Ring | Polygon

RING_RADIUS, RING_WIDTH = 24, 8


def _ring(colour: Colour, sweep: float = 360.0) -> Ring:
    return Ring(CENTRE, CENTRE, RING_RADIUS, RING_WIDTH, colour, -90.0, sweep)


def _rectangle(x0: float, y0: float, x1: float, y1: float, colour: Colour) -> Polygon:
    return Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), colour)


def _arrow(colour: Colour, scale: float = 1.0) -> Polygon:
    """An arrow pointing up, centred on the grid."""
    return Polygon(tuple((CENTRE + (x - CENTRE) * scale, CENTRE + (y - CENTRE) * scale) for x, y in ARROW), colour)


def _face(disc: Colour) -> list[Shape]:
    """The light rim and the disc every look is drawn on."""
    return [Disc(CENTRE, CENTRE, 31, RIM), Disc(CENTRE, CENTRE, 28, disc)]


def shapes(spec: IconSpec) -> tuple[Shape, ...]:
    """The icon for `spec`, back to front, on the 64-unit grid."""
    drawn = _face(ORANGE if spec.look is Look.PROMPT else DISC)
    if spec.look is Look.SITTING:
        drawn.append(_ring(TRACK))
        if spec.fill > 0:
            colour = AMBER if spec.fill >= 0.75 else GREEN
            drawn.append(_ring(colour, 360 * min(1.0, spec.fill)))
        drawn.append(Disc(CENTRE, CENTRE, 5, GREEN if spec.fill < 0.75 else AMBER))
    elif spec.look is Look.PROMPT:
        drawn.append(_arrow(WHITE))
    elif spec.look is Look.SNOOZED:
        drawn += [_ring(AMBER), _arrow(AMBER, scale=0.6)]
    elif spec.look is Look.PAUSED:
        drawn += [_ring(TRACK), _rectangle(23, 21, 29, 43, WHITE), _rectangle(35, 21, 41, 43, WHITE)]
    else:  # OFF_HOURS: a crescent, a pale disc with a dark one over its upper right
        drawn += [_ring(TRACK_DIM), Disc(CENTRE, CENTRE, 12, MOON), Disc(36.5, 26.5, 8.5, DISC)]
    return tuple(drawn)


def app_shapes() -> tuple[Shape, ...]:
    """The static application icon: a three-quarter green ring around a white arrow up."""
    return (*_face(DISC), _ring(TRACK), _ring(GREEN, 270), _arrow(WHITE, scale=APP_ARROW_SCALE))


def draw(spec: IconSpec, size: int = 64) -> Image.Image:
    """An RGBA image of `size` × `size` pixels for `spec` (Pillow)."""
    return paint(shapes(spec), size)


def app_icon(size: int) -> Image.Image:
    """The static application icon as an RGBA image (Pillow)."""
    return paint(app_shapes(), size)


def paint(drawn: tuple[Shape, ...], size: int) -> Image.Image:
    """`drawn` with Pillow, at four times `size` and scaled down once."""
    from PIL import Image, ImageDraw

    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    u = big / GRID  # pixels per grid unit
    for shape in drawn:
        if isinstance(shape, Polygon):
            pen.polygon([(x * u, y * u) for x, y in shape.points], fill=shape.colour)
            continue
        box = _box(shape.cx - shape.r, shape.cy - shape.r, shape.cx + shape.r, shape.cy + shape.r, u)
        if isinstance(shape, Disc):
            pen.ellipse(box, fill=shape.colour)
        elif shape.sweep >= 360:
            pen.ellipse(box, outline=shape.colour, width=max(1, round(shape.width * u)))
        else:
            pen.arc(box, shape.start, shape.start + shape.sweep, fill=shape.colour, width=max(1, round(shape.width * u)))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _box(x0: float, y0: float, x1: float, y1: float, u: float) -> tuple[float, float, float, float]:
    return (x0 * u, y0 * u, x1 * u - 1, y1 * u - 1)
