"""Draws the tray icon and the app icon with Pillow: a ring that fills as the sitting clock runs.

Pure: a status goes in, an image comes out. Looks (crisp at 16-64 px, on light and dark panels):

- sitting: a dark disc with a light rim; a green ring fills clockwise from twelve o'clock and turns
  amber in its last quarter;
- prompt open: an orange disc with a white arrow pointing up ("stand up");
- snoozed: the dark disc with a full amber ring and an amber arrow;
- paused: the dark disc, an empty ring and a white pause sign;
- off hours: the dark disc, a dim empty ring and a pale crescent moon.

Every look draws on an opaque dark disc inside a light rim, so it stands out on any panel colour.
Drawing happens at four times the size and is scaled down once, which keeps 16 px edges smooth.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageDraw

from standup.core.model import State
from standup.service.views import Status

# The ring fills in quarters. Every new image costs a tray host about a dozen context switches (a PNG
# written, D-Bus and X11 round trips): quarters keep an idle app under two a minute (docs/benchmarks.md).
STEPS = 4
SUPERSAMPLE = 4
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)

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


def draw(spec: IconSpec, size: int = 64) -> Image.Image:
    """An RGBA image of `size` × `size` pixels for `spec`."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    u = big / 64.0  # drawing unit: the artwork is laid out on a 64-unit grid

    disc = ORANGE if spec.look is Look.PROMPT else DISC
    pen.ellipse(_box(1, 1, 63, 63, u), fill=RIM)
    pen.ellipse(_box(4, 4, 60, 60, u), fill=disc)

    ring_box = _box(8, 8, 56, 56, u)
    ring_width = max(1, round(8 * u))
    if spec.look is Look.SITTING:
        pen.ellipse(ring_box, outline=TRACK, width=ring_width)
        if spec.fill > 0:
            colour = AMBER if spec.fill >= 0.75 else GREEN
            if spec.fill >= 1:
                pen.ellipse(ring_box, outline=colour, width=ring_width)
            else:
                pen.arc(ring_box, -90, -90 + 360 * spec.fill, fill=colour, width=ring_width)
        pen.ellipse(_box(27, 27, 37, 37, u), fill=GREEN if spec.fill < 0.75 else AMBER)
    elif spec.look is Look.PROMPT:
        _arrow(pen, u, WHITE)
    elif spec.look is Look.SNOOZED:
        pen.ellipse(ring_box, outline=AMBER, width=ring_width)
        _arrow(pen, u, AMBER, scale=0.6)
    elif spec.look is Look.PAUSED:
        pen.ellipse(ring_box, outline=TRACK, width=ring_width)
        pen.rectangle(_box(23, 21, 29, 43, u), fill=WHITE)
        pen.rectangle(_box(35, 21, 41, 43, u), fill=WHITE)
    else:  # OFF_HOURS
        pen.ellipse(ring_box, outline=TRACK_DIM, width=ring_width)
        pen.ellipse(_box(20, 20, 44, 44, u), fill=MOON)
        pen.ellipse(_box(28, 18, 45, 35, u), fill=DISC)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def app_icon(size: int) -> Image.Image:
    """The static application icon: a three-quarter green ring around a white arrow up."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    u = big / 64.0
    pen.ellipse(_box(1, 1, 63, 63, u), fill=RIM)
    pen.ellipse(_box(4, 4, 60, 60, u), fill=DISC)
    ring_box = _box(8, 8, 56, 56, u)
    ring_width = max(1, round(8 * u))
    pen.ellipse(ring_box, outline=TRACK, width=ring_width)
    pen.arc(ring_box, -90, 180, fill=GREEN, width=ring_width)
    _arrow(pen, u, WHITE, scale=APP_ARROW_SCALE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _arrow(pen: ImageDraw.ImageDraw, u: float, colour: tuple[int, int, int, int], scale: float = 1.0) -> None:
    """An arrow pointing up, centred on the 64-unit grid."""

    def p(x: float, y: float) -> tuple[float, float]:
        return ((32 + (x - 32) * scale) * u, (32 + (y - 32) * scale) * u)

    pen.polygon([p(x, y) for x, y in ARROW], fill=colour)


def _box(x0: float, y0: float, x1: float, y1: float, u: float) -> tuple[float, float, float, float]:
    return (x0 * u, y0 * u, x1 * u - 1, y1 * u - 1)
