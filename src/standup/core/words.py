"""Counts in words: a number with its noun in the right number ("1 prompt", "2 prompts")."""

from __future__ import annotations


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 day', '0 days', '2 days'; `nouns` for a plural that is not the noun plus "s"."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
