"""The figure picture a toast carries: drawn once per routine into a PNG file a notification server can read.

The renderer (and its figures) load only when the first prompt with a figure is shown, never at
start; each routine's picture is drawn once per run, into an owner-only folder of the runtime dir.
A picture that cannot be drawn or written is logged and the toast goes without it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from standup.core.poses import Figure
    from standup.service.views import PromptView

log = logging.getLogger(__name__)

TOAST_PX = 128  # servers scale it to their icon size (xfce4-notifyd: 48 to 96 px)


class ToastPictures:
    """`path_for(view)`: the figure PNG of the prompt's routine, or None."""

    def __init__(self, folder: Path, figure_of: Callable[[str], Figure | None], size: int = TOAST_PX) -> None:
        self._folder = folder
        self._figure_of = figure_of
        self._size = size
        self._drawn: dict[str, Path | None] = {}

    def path_for(self, view: PromptView) -> Path | None:
        suggestion = view.suggestion
        if suggestion is None:
            return None
        routine_id = suggestion.routine_id
        if routine_id not in self._drawn:
            self._drawn[routine_id] = self._draw(routine_id)
        return self._drawn[routine_id]

    def _draw(self, routine_id: str) -> Path | None:
        try:
            figure = self._figure_of(routine_id)
            if figure is None:
                return None
            from standup.adapters.figure import png

            self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = self._folder / f"{routine_id}.png"
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(png(figure, self._size))
            os.replace(temporary, path)
            return path
        except (OSError, ValueError) as exc:
            log.warning("no figure on the toast for %s: %s", routine_id, exc)
            return None
