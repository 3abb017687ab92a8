"""Where the bundled files (the `standup.assets` package: routines, figures, icons) are read from.

Straight from the package's folder, which a checkout and every install from a wheel have; through
importlib.resources only when the package is not a folder on disk (inside a zip). importlib.resources
brings tempfile, shutil and the compression modules with it, about 0.5 MiB that a running app would
keep for nothing (docs/benchmarks.md).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

PACKAGE = "standup.assets"


def bundled(relative: str) -> Traversable:
    """The bundled file or folder at `relative` (e.g. "routines", "icons/standup-64.png")."""
    spec = importlib.util.find_spec(PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        if Path(folder).is_dir():
            return Path(folder).joinpath(relative)
    from importlib import resources

    return resources.files(PACKAGE).joinpath(relative)
