"""The app icon as SVG text, for the hicolor theme's `scalable` size.

Pure: the same artwork as `icon.app_icon` (a three-quarter green ring around a white arrow up on a
dark disc in a light rim), written out as vector shapes on the same 64-unit grid.
"""

from __future__ import annotations

from standup.desktop.icon import APP_ARROW_SCALE, ARROW, DISC, GREEN, RIM, TRACK, WHITE

CENTRE = 32


def _hex(colour: tuple[int, int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def app_icon_svg() -> str:
    """The app icon as a standalone SVG document (64 × 64 user units)."""
    # Pillow draws a ring of width 8 inside its 8..56 box: outer radius 24, so the stroke's centre is at 20.
    ring_radius, ring_width = 20, 8
    arrow = " ".join(f"{_number(CENTRE + (x - CENTRE) * APP_ARROW_SCALE)},{_number(CENTRE + (y - CENTRE) * APP_ARROW_SCALE)}"
                     for x, y in ARROW)
    top = f"{CENTRE} {CENTRE - ring_radius}"
    left = f"{CENTRE - ring_radius} {CENTRE}"  # three quarters clockwise from twelve o'clock
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n'
        "  <title>standup</title>\n"
        f'  <circle cx="{CENTRE}" cy="{CENTRE}" r="31" fill="{_hex(RIM)}"/>\n'
        f'  <circle cx="{CENTRE}" cy="{CENTRE}" r="28" fill="{_hex(DISC)}"/>\n'
        f'  <circle cx="{CENTRE}" cy="{CENTRE}" r="{ring_radius}" fill="none" stroke="{_hex(TRACK)}" '
        f'stroke-width="{ring_width}"/>\n'
        f'  <path d="M {top} A {ring_radius} {ring_radius} 0 1 1 {left}" fill="none" stroke="{_hex(GREEN)}" '
        f'stroke-width="{ring_width}"/>\n'
        f'  <polygon points="{arrow}" fill="{_hex(WHITE)}"/>\n'
        "</svg>\n"
    )
