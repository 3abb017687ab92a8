#!/usr/bin/env python3
"""Renders the static app icons into assets/icons/: PNGs from standup.desktop.icon.app_icon and the
scalable SVG from standup.desktop.icon_svg.app_icon_svg.

Run after changing the artwork: `.venv/bin/python scripts/make_icons.py`; commit the files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from standup.desktop.icon import APP_ICON_SIZES, app_icon
from standup.desktop.icon_svg import app_icon_svg


def main() -> int:
    out = Path(__file__).resolve().parent.parent / "assets" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in APP_ICON_SIZES:
        path = out / f"standup-{size}.png"
        app_icon(size).save(path, optimize=True)
        print(path.relative_to(out.parent.parent))
    svg = out / "standup.svg"
    svg.write_text(app_icon_svg(), encoding="utf-8")
    print(svg.relative_to(out.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
