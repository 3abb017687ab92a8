"""What one routine is: its kind, posture, equipment and default (base) dose, and how long a dose takes.

Standard library only. The catalogue module reads and validates routines files into these.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from standup.core.dose import dose_text
from standup.core.poses import Figure

BUNDLED = "bundled"


class Kind(enum.Enum):
    """What a routine trains."""

    STRENGTH = "strength"
    CARDIO = "cardio"
    MOBILITY = "mobility"
    STRETCH = "stretch"


class Posture(enum.Enum):
    """How the body is placed for a routine. A get-up break suggests standing routines; seated ones
    only when the user allows them (`allow_seated`); floor ones never at a desk break."""

    STANDING = "standing"
    SEATED = "seated"
    FLOOR = "floor"


class Equipment(enum.Enum):
    """What a routine needs besides the floor."""

    NONE = "none"
    CHAIR = "chair"
    WALL = "wall"
    STAIRS = "stairs"


MUSCLES = (
    "quads",
    "hamstrings",
    "glutes",
    "adductors",
    "abductors",
    "calves",
    "shins",
    "hip_flexors",
    "hips",
    "ankles",
    "core",
)

# Seconds one repetition takes when a routine gives no `tempo`, and rest between sets when it
# gives no `rest`.
DEFAULT_TEMPO = {Kind.STRENGTH: 3.0, Kind.CARDIO: 1.0, Kind.MOBILITY: 2.0, Kind.STRETCH: 5.0}
DEFAULT_REST = {Kind.STRENGTH: 45, Kind.CARDIO: 30, Kind.MOBILITY: 10, Kind.STRETCH: 10}


def default_key_cue(cues: tuple[str, ...] | list[object]) -> int:
    """The cue a toast shows when a routine names none: the second, since the first is usually the
    starting stance (1-based)."""
    return 2 if len(cues) >= 2 else 1


@dataclass(frozen=True)
class Routine:
    """One exercise with its base dose. Exactly one of `reps` and `seconds` is set.

    `squat` routines count `sets × reps` towards the daily squat goal. For `per_side` routines the
    dose is for each side (a rep is one rep on each side, and counts once). `key_cue` (1-based) is
    the cue that carries the movement itself, the one a toast has room for.
    """

    id: str
    name: str
    kind: Kind
    muscles: tuple[str, ...]
    equipment: Equipment
    sets: int
    reps: int | None
    seconds: int | None
    cues: tuple[str, ...]
    intensity: int
    quiet: bool
    source: str
    posture: Posture = Posture.STANDING
    key_cue: int = 1
    evidence: str | None = None
    caution: str | None = None
    squat: bool = False
    per_side: bool = False
    desk: bool = False
    rest: int | None = None
    tempo: float | None = None
    origin: str = BUNDLED
    figure: Figure | None = None  # its own key poses; the bundled ones are in figures.toml

    @property
    def rest_seconds(self) -> int:
        return self.rest if self.rest is not None else DEFAULT_REST[self.kind]

    @property
    def seconds_per_rep(self) -> float:
        return self.tempo if self.tempo is not None else DEFAULT_TEMPO[self.kind]

    @property
    def movement_cue(self) -> str:
        """The key cue: what the movement is, not how to stand before it."""
        return self.cues[min(max(self.key_cue, 1), len(self.cues)) - 1]

    def minutes(self, sets: int | None = None, reps: int | None = None, seconds: int | None = None) -> float:
        """Estimated minutes for a dose (default: the routine's own), rest between sets included."""
        sets = self.sets if sets is None else sets
        if self.reps is not None:
            per_set = (self.reps if reps is None else reps) * self.seconds_per_rep
        else:
            per_set = float(self.seconds if seconds is None else seconds)  # type: ignore[arg-type]
        if self.per_side:
            per_set *= 2
        return (sets * per_set + (sets - 1) * self.rest_seconds) / 60.0

    def as_json(self) -> dict[str, object]:
        """The `standup routines --json` shape of one routine (see docs/cli-routines.md)."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "posture": self.posture.value,
            "muscles": list(self.muscles),
            "equipment": self.equipment.value,
            "sets": self.sets,
            "reps": self.reps,
            "seconds": self.seconds,
            "per_side": self.per_side,
            "squat": self.squat,
            "base_dose": dose_text(self.sets, self.reps, self.seconds, self.per_side),
            "minutes": round(self.minutes(), 1),
            "intensity": self.intensity,
            "quiet": self.quiet,
            "desk": self.desk,
            "caution": self.caution,
            "cues": list(self.cues),
            "key_cue": self.key_cue,
            "source": self.source,
            "evidence": self.evidence,
            "origin": self.origin,
        }
