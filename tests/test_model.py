"""How a suggestion reads in a prompt."""

from __future__ import annotations

import pytest

from standup.core.model import Suggestion


@pytest.mark.parametrize(
    ("sets", "reps", "seconds", "minutes", "headline"),
    [
        (3, 12, None, 4, "Chair squats — 3 × 12 (about 4 min)"),
        (1, 15, None, 0.6, "Chair squats — 15 (about 1 min)"),
        (2, None, 30, 1.5, "Chair squats — 2 × 30 s (about 2 min)"),
        (1, None, 240, 4, "Chair squats — 4 min"),
        (1, None, 90, 0, "Chair squats — 90 s"),
    ],
)
def test_headline_names_routine_dose_and_time(sets, reps, seconds, minutes, headline):
    assert Suggestion("chair-squat", "Chair squats", sets, reps, seconds, minutes).headline == headline
