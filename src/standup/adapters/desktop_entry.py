"""The XDG desktop entry: the bundled file with this installation's Exec line, for the menu and autostart.

One entry, `assets/<APP_ID>.desktop`, is the source of both: the menu entry is that file with Exec
pointing at this installation's `standup`, and the autostart entry is the same text plus the keys
that start it at login. Pure apart from reading the bundled file.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

from standup import APP_ID

ENTRY_NAME = f"{APP_ID}.desktop"
AUTOSTART_KEYS = "X-GNOME-Autostart-enabled=true\nX-GNOME-Autostart-Delay=10\n"


def bundled_entry() -> str:
    """The desktop entry as shipped (Exec=standup run)."""
    return resources.files("standup.assets").joinpath(ENTRY_NAME).read_text(encoding="utf-8")


def menu_entry(command: Sequence[str]) -> str:
    """The bundled entry with Exec running `command` (this installation's `standup run`)."""
    exec_line = "Exec=" + " ".join(_desktop_quote(arg) for arg in command)
    lines = [exec_line if line.startswith("Exec=") else line for line in bundled_entry().splitlines()]
    return "\n".join(lines) + "\n"


def autostart_entry(command: Sequence[str]) -> str:
    """The menu entry plus the autostart keys."""
    return menu_entry(command) + AUTOSTART_KEYS


def exec_of(text: str) -> str:
    """The Exec value of an entry's text."""
    line = next((ln for ln in text.splitlines() if ln.startswith("Exec=")), "Exec=")
    return line[len("Exec=") :]


def _desktop_quote(arg: str) -> str:
    """Quote an Exec argument: reserved characters inside double quotes, `%` doubled."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'
