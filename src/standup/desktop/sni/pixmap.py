"""ARGB32 pixmaps for a StatusNotifierItem: the drawn icon at the sizes panels use.

Pure. The item protocol's IconPixmap is an array of (width, height, bytes) with each pixel as four
bytes A, R, G, B (ARGB32 in network byte order). The host picks the size nearest to its own, so
the item offers the common panel sizes, each drawn at that size (crisper than one scaled image).
"""

from __future__ import annotations

from collections.abc import Iterable

from PIL import Image

from standup.desktop import icon as icons

SIZES = (16, 22, 24, 32, 48, 64)

Pixmap = tuple[int, int, bytes]


def argb32(image: Image.Image) -> Pixmap:
    """(width, height, A R G B bytes row by row) for a Pillow image."""
    rgba = image.convert("RGBA")
    red, green, blue, alpha = rgba.split()
    # Merging the bands in A, R, G, B order into an RGBA-shaped image lays the bytes out as ARGB.
    data = Image.merge("RGBA", (alpha, red, green, blue)).tobytes()
    return rgba.width, rgba.height, data


def pixmaps(spec: icons.IconSpec, sizes: Iterable[int] = SIZES) -> list[Pixmap]:
    """The icon for `spec` at each of `sizes`, smallest first."""
    return [argb32(icons.draw(spec, size)) for size in sorted(set(sizes))]
