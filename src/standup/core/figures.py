"""Which figure a routine is drawn with: its own (`[routine.figure]` in a user file) or the bundled one.

Standard library only. The bundled figures live in `standup.assets/figures.toml`, one table per
routine id (see core/poses.py for the format). A broken bundled figure is a CatalogueError naming
the routine and the field; a routine with no figure anywhere is simply drawn without one.
"""

from __future__ import annotations

import functools
import tomllib
from standup.core.assets import bundled
from standup.core.errors import CatalogueError
from standup.core.poses import Figure, PoseError, parse_figure
from standup.core.routine import Routine

BUNDLED_FILE = "figures.toml"


@functools.cache
def bundled_figures() -> dict[str, Figure]:
    """Every bundled figure by routine id, parsed once."""
    text = bundled(BUNDLED_FILE).read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"bundled:{BUNDLED_FILE}: not valid TOML ({exc}); reinstall standup") from None
    figures = {}
    for routine_id, table in raw.items():
        try:
            figures[routine_id] = parse_figure(table)
        except PoseError as exc:
            raise CatalogueError(f"bundled:{BUNDLED_FILE}: routine {routine_id}: {exc}; reinstall standup") from None
    return figures


def figure_for(routine: Routine) -> Figure | None:
    """`routine`'s own figure, else the bundled one for its id, else None."""
    if routine.figure is not None:
        return routine.figure
    return bundled_figures().get(routine.id)


def figure_by_id(routine_id: str) -> Figure | None:
    """The bundled figure for `routine_id` (for a prompt that names only the id)."""
    return bundled_figures().get(routine_id)
