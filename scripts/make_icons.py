#!/usr/bin/env python3
"""Renders the static app icon PNGs into assets/icons/ from standup.desktop.icon.app_icon.

Run after changing the artwork: `.venv/bin/python scripts/make_icons.py`; commit the PNGs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from standup.desktop.icon import APP_ICON_SIZES, app_icon


def main() -> int:
    out = Path(__file__).resolve().parent.parent / "assets" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in APP_ICON_SIZES:
        path = out / f"standup-{size}.png"
        app_icon(size).save(path, optimize=True)
        print(path.relative_to(out.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
