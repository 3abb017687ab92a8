"""Text from routine files and the log made safe for every output (notifications, terminal, checks).

Control characters (escape sequences, NUL, bells) and direction overrides never reach a screen:
outputs drop them, and the catalogue refuses them in the files it reads.
"""

from __future__ import annotations

import re

LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSHOWABLE_BUT_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """Line breaks and tabs become single spaces."""
    return LINE_BREAKS.sub(" ", text)


def showable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` without control or direction-override characters (tabs become spaces when newlines stay)."""
    if keep_newlines:
        return _UNSHOWABLE_BUT_NEWLINE.sub("", text.replace("\t", " "))
    return _UNSHOWABLE.sub("", text)


def clip(text: str, limit: int, *, strip: bool = False) -> str:
    """`text` cut to `limit` characters, ending in "…" when cut (`strip`: no space before it)."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    return f"{kept.rstrip() if strip else kept}…"
