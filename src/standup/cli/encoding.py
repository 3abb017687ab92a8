"""Output that never crashes on the terminal's encoding (LC_ALL=C, PYTHONIOENCODING=ascii, Latin-1):
what the stream cannot encode is written in plain ASCII look-alikes, or '?'."""

from __future__ import annotations

import codecs
import sys
from typing import TextIO

ERRORS = "standup-plain"
_PLAIN = {
    "·": "-", "—": "-", "–": "-", "×": "x", "…": "...", "’": "'", "‘": "'", "“": '"', "”": '"',
    "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "°": " deg", "½": "1/2", "•": "*", "●": "*", "○": "o",
    "░": ".", "▁": "_", "▂": "_", "▃": "_", "▄": "=", "▅": "=", "▆": "#", "▇": "#", "█": "#", "‖": "|",
    "✓": "v", "✔": "v", "✗": "x", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(_PLAIN.get(char, "?") for char in text), error.end


codecs.register_error(ERRORS, _plain)


def can_encode(stream: object, text: str = "—·×") -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def make_safe(*streams: TextIO | None) -> None:
    """Let each real stream that cannot encode standup's typography write look-alikes instead."""
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not can_encode(stream):
            try:
                reconfigure(errors=ERRORS)
            except (ValueError, OSError):
                pass


def safe_standard_streams() -> None:
    make_safe(sys.stdout, sys.stderr)
