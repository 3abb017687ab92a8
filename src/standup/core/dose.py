"""The one way a dose is written: '2 × 10', '2 × 8 each side', '2 × 30 s', '4 min', '(about 3 min)'.

Standard library only. The catalogue's base doses, the planner's adapted doses, and through the
stored suggestion every place a prompt is shown (toast, tray, terminal, log, summary, plan) take
their text from here, so one prompt reads the same everywhere.
"""

from __future__ import annotations


def dose_text(sets: int, reps: int | None, seconds: int | None, per_side: bool = False) -> str:
    """'3 × 12', '2 × 8 each side', '2 × 30 s', '45 s' or '4 min'."""
    if reps is not None:
        amount = f"{reps}"
    elif seconds is not None and seconds >= 120 and seconds % 60 == 0:
        amount = f"{seconds // 60} min"
    else:
        amount = f"{seconds} s"
    text = f"{sets} × {amount}" if sets > 1 else amount
    return f"{text} each side" if per_side else text


def about_minutes(minutes: float, dose: str) -> str:
    """' (about 3 min)', or '' when the dose already says its minutes or has no estimate."""
    if not minutes or dose.endswith("min"):
        return ""
    return f" (about {max(1, round(minutes))} min)"


def headline(name: str, dose: str, minutes: float, why: str = "") -> str:
    """'Chair squats — 2 × 10 (about 2 min) · 20 of 100 squats left today'."""
    reason = f" · {why}" if why else ""
    return f"{name} — {dose}{about_minutes(minutes, dose)}{reason}"
