"""Checking one value read from a TOML file (config.toml, routine files), with a one-line reason.

Both the settings and the catalogue read their fields through these, so the same mistake gets the
same sentence wherever it is made.
"""

from __future__ import annotations

from collections.abc import Callable

from standup.core.text import clip


class FieldError(ValueError):
    """A value that does not fit; the message says what would."""


def shown(value: object, limit: int = 60) -> str:
    """`repr(value)` for an error line: shortened, and safe for deeply nested tables and huge numbers."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return f"a value too big to show ({type(value).__name__})"
    return clip(text, limit)


def whole_number(low: int, high: int, unit: str) -> Callable[[object], int]:
    """A check for a whole number from `low` to `high` (booleans are not numbers here)."""

    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"must be a whole number of {unit} from {low} to {high} (no quotes), got {shown(value)}")
        if not low <= value <= high:
            raise FieldError(f"must be from {low} to {high} {unit}, got {shown(value)}")
        return value

    return check


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false (no quotes), got {shown(value)}")
    return value
