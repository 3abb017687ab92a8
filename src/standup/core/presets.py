"""Named bundles of settings taken from the evidence on breaking up sitting (docs/presets.md).

Standard library only. A preset is written in config.toml's own keys and values, so it goes through
the same validation as the file; any key the file sets itself wins over the preset.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PRESET = "hourly"


@dataclass(frozen=True)
class Preset:
    """One preset: what it sets, in config.toml terms, and the study it rests on."""

    name: str
    summary: str
    values: dict[str, object]
    source: str


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "hourly",
            "every 60 min, a 5-min break of leg work; 100 squats a day in shares of about 20",
            {},
            "seeds 000 (move about five minutes every hour) and 003 (about 100 squats a day in 5-6 sets)",
        ),
        Preset(
            "glucose",
            "every 30 min, about 3 min of half squats, calf raises, knee raises or glute squeezes",
            {
                "interval_minutes": 30,
                "break_minutes": 3,
                "suggest_only": ["half-squat", "squat-calf-raise", "calf-raise", "high-knee-march", "standing-kickback"],
            },
            "Dempsey et al. 2016, Diabetes Care 39(6):964-972",
        ),
        Preset(
            "squat-snacks",
            "10 squats every 45 min",
            {"interval_minutes": 45, "break_minutes": 3, "squats_per_break": 10},
            "Gao et al. 2024, Scand J Med Sci Sports 34(4):e14628",
        ),
        Preset(
            "walking",
            "every 30 min, a walk of up to 5 min",
            {
                "interval_minutes": 30,
                "break_minutes": 5,
                "daily_squat_goal": 0,
                "suggest_only": ["brisk-walk", "march-in-place", "stair-walk"],
            },
            "Duran, ..., Diaz 2023, Med Sci Sports Exerc 55(5):847-855",
        ),
    )
}
