"""ARGB32 pixmaps for a StatusNotifierItem: the drawn icon at the sizes panels use.

Pure. The item protocol's IconPixmap is an array of (width, height, bytes) with each pixel as four
bytes A, R, G, B (ARGB32 in network byte order). The host picks the size nearest to its own, so
the item offers the common panel sizes, each painted at that size (crisper than one scaled image)
by `desktop/raster.py`, without Pillow: the tray on the bus loads no imaging library.
"""

from __future__ import annotations

from collections.abc import Iterable

from standup.desktop import icon as icons
from standup.desktop import raster

SIZES = (16, 22, 24, 32, 48, 64)

Pixmap = tuple[int, int, bytes]


def pixmaps(spec: icons.IconSpec, sizes: Iterable[int] = SIZES) -> list[Pixmap]:
    """The icon for `spec` at each of `sizes`, smallest first."""
    drawn = icons.shapes(spec)
    return [(size, size, raster.argb32(drawn, size)) for size in sorted(set(sizes))]
