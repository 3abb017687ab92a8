"""Paints the icon's shapes (`icon.shapes`) into ARGB32 pixels in pure Python: the tray without Pillow.

Pure. Each shape has a signed distance (positive inside, in the 64-unit grid); a pixel's coverage
is that distance at its centre, in pixels, plus a half, clamped to 0..1 — anti-aliased edges with
no supersampling. Discs and full rings are filled a row span at a time, so only the pixels along
their edges are computed one by one; arcs and polygons are computed pixel by pixel inside their
bounds (they are drawn only when the look changes). The result is the StatusNotifierItem's
IconPixmap layout: each pixel as four bytes A, R, G, B, row by row (`sni/pixmap.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from standup.desktop.icon import GRID, Disc, Polygon, Ring, Shape

Colour = tuple[int, int, int, int]


class _Canvas:
    """Premultiplied red, green, blue and alpha, 0..1, one list per channel."""

    def __init__(self, size: int) -> None:
        self.size = size
        count = size * size
        self.red, self.green, self.blue, self.alpha = ([0.0] * count for _ in range(4))

    def fill(self, start: int, end: int, colour: Colour) -> None:
        """Pixels [start, end) of the flat array fully covered by an opaque colour."""
        if end <= start:
            return
        count = end - start
        red, green, blue, alpha = (channel / 255 for channel in colour)
        if alpha >= 1:
            self.red[start:end] = [red] * count
            self.green[start:end] = [green] * count
            self.blue[start:end] = [blue] * count
            self.alpha[start:end] = [1.0] * count
        else:
            for index in range(start, end):
                self.blend(index, colour, 1.0)

    def blend(self, index: int, colour: Colour, coverage: float) -> None:
        """`colour` over pixel `index`, `coverage` of it (0..1)."""
        a = colour[3] / 255 * coverage
        keep = 1.0 - a
        self.red[index] = colour[0] / 255 * a + self.red[index] * keep
        self.green[index] = colour[1] / 255 * a + self.green[index] * keep
        self.blue[index] = colour[2] / 255 * a + self.blue[index] * keep
        self.alpha[index] = a + self.alpha[index] * keep

    def argb(self) -> bytes:
        out = bytearray(4 * self.size * self.size)
        known: dict[tuple[float, float, float, float], bytes] = {}  # filled runs repeat the same pixel
        for index, pixel in enumerate(zip(self.alpha, self.red, self.green, self.blue)):
            if pixel[0] <= 0:
                continue
            value = known.get(pixel)
            if value is None:
                alpha = pixel[0]
                value = known[pixel] = bytes((round(alpha * 255), *(min(255, round(c / alpha * 255)) for c in pixel[1:])))
            out[4 * index:4 * index + 4] = value
        return bytes(out)


def argb32(shapes: Sequence[Shape], size: int) -> bytes:
    """`shapes` painted in order on a transparent `size` × `size` square, as A R G B bytes."""
    canvas = _Canvas(size)
    scale = size / GRID  # pixels per grid unit
    for shape in shapes:
        if isinstance(shape, Disc):
            _radial(canvas, scale, shape.cx, shape.cy, shape.r, 0.0, shape.colour, None)
        elif isinstance(shape, Ring):
            wedge = None if shape.sweep >= 360 else _wedge(shape.cx, shape.cy, shape.start, shape.sweep)
            _radial(canvas, scale, shape.cx, shape.cy, shape.r, shape.r - shape.width, shape.colour, wedge)
        elif isinstance(shape, Polygon):
            _polygon(canvas, scale, shape.points, shape.colour)
        else:  # pragma: no cover - every shape kind is drawn above
            raise TypeError(f"cannot paint {shape!r}")
    return canvas.argb()


def _coverage(distance_px: float) -> float:
    coverage = distance_px + 0.5
    return 0.0 if coverage <= 0 else 1.0 if coverage >= 1 else coverage


def _half_width(radius: float, dy: float) -> float:
    """Half the chord of a circle of `radius` at `dy` from its centre (negative: the row misses it)."""
    squared = radius * radius - dy * dy
    return math.sqrt(squared) if squared > 0 else -1.0


def _radial(canvas: _Canvas, scale: float, cx: float, cy: float, outer: float, inner: float, colour: Colour,
            wedge: Callable[[float, float], float] | None) -> None:
    """A disc (inner 0) or a ring between two radii, optionally cut to a wedge; in pixels from here on.

    Per row: columns whose centre is half a pixel inside both edges are filled as runs; those in the
    hole, half a pixel clear of the inner edge, are skipped; the rest get their coverage computed."""
    size = canvas.size
    cx, cy, outer, inner = cx * scale, cy * scale, outer * scale, inner * scale
    for row in range(max(0, math.floor(cy - outer - 1)), min(size, math.ceil(cy + outer + 1))):
        dy = row + 0.5 - cy
        reach = _half_width(outer + 0.5, dy)
        if reach < 0:
            continue
        solid = _half_width(outer - 0.5, dy)
        hole = _half_width(inner - 0.5, dy) if inner > 0 else -1.0
        clear = _half_width(inner + 0.5, dy) if inner > 0 else -1.0
        base = row * size
        skip = []  # column ranges [a, b) needing no computing: filled runs, and the hole
        if wedge is None and solid >= 0:
            for low, high in ((-solid, -clear), (clear, solid)) if clear >= 0 else ((-solid, solid),):
                skip.append((math.ceil(cx + low - 0.5), math.floor(cx + high - 0.5) + 1, True))
        if hole >= 0:
            skip.append((math.ceil(cx - hole - 0.5), math.floor(cx + hole - 0.5) + 1, False))
        column, last = max(0, math.floor(cx - reach)), min(size, math.ceil(cx + reach))
        for low, high, filled in sorted(skip) + [(last, last, False)]:
            low, high = max(column, low), min(last, high)
            for edge in range(column, low):
                dx = edge + 0.5 - cx
                distance = math.hypot(dx, dy)
                inside = min(outer - distance, distance - inner) if inner > 0 else outer - distance
                if wedge is not None:
                    inside = min(inside, wedge(dx, dy))
                coverage = _coverage(inside)
                if coverage > 0:
                    canvas.blend(base + edge, colour, coverage)
            if filled and high > low:
                canvas.fill(base + low, base + high, colour)
            column = max(column, high)


def _wedge(cx: float, cy: float, start: float, sweep: float) -> Callable[[float, float], float]:
    """Signed distance to the wedge from `start` clockwise through `sweep` degrees (0 = three o'clock,
    y down), from the centre; the same in pixels as in units, as it scales with the offsets."""
    begin, end = math.radians(start), math.radians(start + sweep)
    cos0, sin0, cos1, sin1 = math.cos(begin), math.sin(begin), math.cos(end), math.sin(end)
    wide = sweep > 180  # wider than a half: the union of the two half-planes, not their overlap

    def distance(dx: float, dy: float) -> float:
        after_start = cos0 * dy - sin0 * dx
        before_end = sin1 * dx - cos1 * dy
        return max(after_start, before_end) if wide else min(after_start, before_end)

    return distance


def _polygon(canvas: _Canvas, scale: float, points: Sequence[tuple[float, float]], colour: Colour) -> None:
    """A simple polygon (convex or not; even-odd rule), a row at a time.

    Per row, pixels whose centre is within half a pixel of an edge get their coverage computed; the
    others are inside (filled as runs) or outside by where the row crosses the outline."""
    size = canvas.size
    corners = [(x * scale, y * scale) for x, y in points]
    edges = list(zip(corners, corners[1:] + corners[:1]))
    ys = [y for _, y in corners]
    for row in range(max(0, math.floor(min(ys) - 1)), min(size, math.ceil(max(ys) + 1))):
        y = row + 0.5
        near: set[int] = set()
        crossings = []
        for (ax, ay), (bx, by) in edges:
            if (ay > y) != (by > y):
                crossings.append(ax + (y - ay) * (bx - ax) / (by - ay))
            band = _band(ax, ay, bx, by, y)
            if band is None:
                continue
            low, high = band
            near.update(range(max(0, math.ceil(low - 0.5)), min(size, math.floor(high - 0.5) + 1)))
        crossings.sort()
        base = row * size
        for column in near:
            coverage = _coverage(_polygon_distance(edges, column + 0.5, y))
            if coverage > 0:
                canvas.blend(base + column, colour, coverage)
        for enter, leave in zip(crossings[::2], crossings[1::2]):
            run_start = None
            for column in range(max(0, math.ceil(enter - 0.5)), min(size, math.floor(leave - 0.5) + 1) + 1):
                inside = column + 0.5 < leave and column not in near and column < size
                if inside and run_start is None:
                    run_start = column
                elif not inside and run_start is not None:
                    canvas.fill(base + run_start, base + column, colour)
                    run_start = None


def _band(ax: float, ay: float, bx: float, by: float, y: float) -> tuple[float, float] | None:
    """The x range (of pixel centres on row `y`) that may lie within half a pixel of the edge; None: none."""
    if ay > by:
        ax, ay, bx, by = bx, by, ax, ay
    if y < ay - 0.5 or y > by + 0.5:
        return None
    if by - ay < 1e-9:
        low, high = min(ax, bx), max(ax, bx)
    else:
        at = [ax + (bx - ax) * (min(by, max(ay, edge)) - ay) / (by - ay) for edge in (y - 0.5, y + 0.5)]
        low, high = min(at), max(at)
    return low - 0.5, high + 0.5


def _polygon_distance(edges: list[tuple[tuple[float, float], tuple[float, float]]], x: float, y: float) -> float:
    """Signed distance from (x, y) to the polygon's outline: positive inside (even-odd rule)."""
    nearest = math.inf
    inside = False
    for (ax, ay), (bx, by) in edges:
        ex, ey = bx - ax, by - ay
        wx, wy = x - ax, y - ay
        along = (wx * ex + wy * ey) / (ex * ex + ey * ey)
        along = 0.0 if along < 0 else 1.0 if along > 1 else along
        qx, qy = wx - ex * along, wy - ey * along
        nearest = min(nearest, qx * qx + qy * qy)
        if (ay > y) != (by > y) and x < ax + (y - ay) * ex / ey:
            inside = not inside
    return math.sqrt(nearest) if inside else -math.sqrt(nearest)
