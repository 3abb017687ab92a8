"""A toast as data: what a prompt's notification says, what a toaster can do, and text made safe for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from standup.core.assets import bundled
from standup.core.text import clip, one_line, showable
from standup.service.views import PromptView

APP_NAME = "standup"
ANSWERS = (("done", "Done"), ("snooze", "Snooze"), ("skip", "Skip"))
MAX_LINE = 200  # characters of user text (a routine's name, its cue) per toast line; longer is cut with "…"
MAX_BODY = 600  # characters of a whole toast body, before escaping
PLAIN_TOAST_SECONDS = 60  # plain toasts cannot be closed later, so they expire on their own

Answer = Callable[[str], None]  # called with "done", "snooze", "skip" or "start" (open the break window)
START = ("start", "Start")



@dataclass(frozen=True)
class Capabilities:
    """What a toaster can do."""

    name: str
    supports_actions: bool = False  # buttons whose presses come back to us
    can_close: bool = False  # a shown toast can be taken back
    markup: bool = False  # the body is read as markup (freedesktop body-markup): escape it


@dataclass(frozen=True)
class Toast:
    """One prompt's notification, as plain text; toasters escape it as their server needs."""

    prompt_id: int
    title: str
    body: str
    buttons: tuple[tuple[str, str], ...] = ANSWERS  # (answer, label)
    image: Path | None = None  # the routine's figure, for servers that show images
    start: bool = False  # clicking the toast (its default action) opens the break window


class Toaster(Protocol):
    caps: Capabilities

    def show(self, toast: Toast, answer: Answer) -> None:
        """Show `toast`, replacing this toaster's previous one; raise if it cannot."""

    def close(self) -> None:
        """Take the current toast back (if `caps.can_close`)."""

    def message(self, title: str, body: str) -> None:
        """Show an information toast (no buttons) beside any prompt toast; raise if it cannot."""

    def shutdown(self) -> None:
        """Close the current toast and release resources."""


def toast_for(view: PromptView, break_minutes: int, snooze_minutes: int | None = None,
              image: Path | None = None, start: bool = False) -> Toast:
    """The toast for an open prompt `view` (a service PromptView); its Snooze says how long.

    `image`: the routine's figure; `start`: a break window can open, so the toast offers Start.
    """
    toast = _toast_for(view, break_minutes, snooze_minutes)
    buttons = ((START,) + toast.buttons) if start else toast.buttons
    return replace(toast, buttons=buttons, image=image, start=start)


def _toast_for(view: PromptView, break_minutes: int, snooze_minutes: int | None = None) -> Toast:
    title = "Still sitting? Time to move" if getattr(view, "reshown", False) else "Time to stand up and move"
    suggestion = view.suggestion
    if suggestion is None:
        body = f"Get up and move for {break_minutes} minute{'s' if break_minutes != 1 else ''}."
    else:
        # The dose as the planner wrote it, the movement's key cue, and where the rest is.
        body = _one_line(suggestion.headline)
        if suggestion.cue:
            body += "\n" + _one_line(suggestion.cue)
        body += "\n" + more_steps(suggestion.routine_id)
    if snooze_minutes is None:
        return Toast(view.id, title, body)
    buttons = tuple((key, f"Snooze {snooze_minutes} min" if key == "snooze" else label) for key, label in ANSWERS)
    return Toast(view.id, title, body, buttons)


def more_steps(routine_id: str) -> str:
    """The toast's last line: where to see every step of the routine."""
    return _one_line(f"All steps: standup guide, or standup routines show {routine_id}")


def plain_text(text: str, limit: int = MAX_BODY) -> str:
    """`text` without control or direction-override characters, cut to `limit` characters."""
    return clip(showable(text, keep_newlines=True), limit, strip=True)


def server_text(text: str, caps: Capabilities) -> str:
    """Body text as `caps` needs it: plain, bounded, and escaped for markup servers."""
    text = plain_text(text)
    return escape_markup(text) if caps.markup else text


def escape_markup(text: str) -> str:
    """&, < and > as entities: what `html.escape(text, quote=False)` does, without loading the html
    module's table of every named entity (about 0.4 MiB) into the running app."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body_text(toast: Toast, caps: Capabilities) -> str:
    """The body as `caps` needs it: escaped for markup servers."""
    return server_text(toast.body, caps)


def _one_line(text: str) -> str:
    return clip(one_line(text).strip(), MAX_LINE, strip=True)


def app_icon_path(size: int = 64) -> Path | None:
    """The bundled app icon PNG, if the package ships it as a file."""
    try:
        path = Path(str(bundled(f"icons/standup-{size}.png")))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None
