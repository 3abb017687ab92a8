"""A guided break, set by set: what the break window shows at each moment, and how many sets are done.

Standard library only, and no clock of its own: every call gets `now` (seconds on a monotonic clock
the caller reads). A break is a list of steps — each set, and a rest between sets. A timed set
("30 s") and a rest count down; a set of repetitions is paced at the routine's tempo (the figure
moves once per repetition) and ends when its time is up or when the user says it is done. A set
counts as completed once it has ended; Done at any moment records the sets completed so far.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, NotRequired, TypedDict

if TYPE_CHECKING:
    from standup.core.model import Suggestion
    from standup.core.poses import Figure
    from standup.core.routine import Routine


class DoseJSON(TypedDict):
    """The dose of an open prompt, as the `prompt` control command tells the break window."""

    sets: int
    reps: int | None
    seconds: int | None
    text: str  # '2 × 10'
    headline: str
    why: str


class RoutineJSON(TypedDict):
    """The routine of an open prompt; the pacing fields only while the catalogue still has it."""

    id: str
    name: str
    cues: list[str]
    per_side: bool
    squat: bool
    seconds_per_rep: NotRequired[float]
    rest_seconds: NotRequired[int]
    caution: NotRequired[str | None]


class PromptDetails(TypedDict):
    """What `prompt_details` adds to an open prompt; None each when the prompt suggested nothing."""

    routine: RoutineJSON | None
    dose: DoseJSON | None
    figure: dict[str, object] | None  # Figure.as_json(), read back with poses.parse_figure


class Phase(enum.Enum):
    SET = "set"
    REST = "rest"
    FINISHED = "finished"


@dataclass(frozen=True)
class Dose:
    """The dose of one prompt, as the window guides it."""

    sets: int
    reps: int | None
    seconds: int | None
    per_side: bool = False
    seconds_per_rep: float = 3.0
    rest_seconds: int = 30
    unit: str = "reps"  # "squats" for squat routines

    @classmethod
    def from_json(cls, dose: DoseJSON, routine: RoutineJSON) -> Dose:
        """From the `prompt` control command's `dose` and `routine` (see app.Commands)."""
        return cls(
            sets=max(1, int(dose.get("sets") or 1)),
            reps=dose.get("reps"),
            seconds=dose.get("seconds"),
            per_side=bool(routine.get("per_side")),
            seconds_per_rep=float(routine.get("seconds_per_rep") or 3.0),
            rest_seconds=int(routine.get("rest_seconds") or 0),
            unit="squats" if routine.get("squat") else "reps",
        )

    @property
    def amount(self) -> str:
        """'10 squats', '8 reps each side', '30 s', '2 min'."""
        if self.reps is not None:
            text = f"{self.reps} {self.unit if self.reps != 1 else self.unit.rstrip('s')}"
        elif self.seconds is not None and self.seconds >= 120 and self.seconds % 60 == 0:
            text = f"{self.seconds // 60} min"
        else:
            text = f"{self.seconds} s"
        return f"{text} each side" if self.per_side else text

    @property
    def set_seconds(self) -> float:
        """How long one set takes: its seconds, or its repetitions at the tempo (both sides if per side)."""
        if self.reps is not None:
            base = self.reps * self.seconds_per_rep
        else:
            base = float(self.seconds or 0)  # neither repetitions nor seconds: a set over at once
        return base * (2 if self.per_side else 1)


@dataclass(frozen=True)
class Step:
    phase: Phase
    set_number: int
    seconds: float


@dataclass(frozen=True)
class Moment:
    """What the window shows now."""

    phase: Phase
    set_number: int
    sets: int
    headline: str  # "Set 1 of 2 · 10 squats", "Rest · set 2 of 2 next", "All 2 sets done"
    remaining: int | None  # whole seconds left to count down (timed sets and rests), else None
    rep: int | None  # the repetition being paced (1-based), for sets of repetitions
    share: float  # 0..1 of the current step
    completed: int  # sets completed so far
    cycle: float  # where the figure is in its movement, 0..1 (one cycle per repetition)


def steps(dose: Dose) -> list[Step]:
    """Set 1, rest, set 2, …, with no rest after the last set."""
    out: list[Step] = []
    for number in range(1, dose.sets + 1):
        out.append(Step(Phase.SET, number, dose.set_seconds))
        if number < dose.sets and dose.rest_seconds > 0:
            out.append(Step(Phase.REST, number + 1, float(dose.rest_seconds)))
    return out


class Session:
    """One guided break. `now` is seconds on the caller's monotonic clock."""

    def __init__(self, dose: Dose, now: float) -> None:
        self.dose = dose
        self._steps = steps(dose)
        self._index = 0
        self._step_started = now
        self._completed = 0
        self.ended_sets: list[int] = []  # set numbers, in the order they ended (for a sound per set)

    @property
    def completed(self) -> int:
        return self._completed

    def moment(self, now: float) -> Moment:
        """Advance past every step whose time is up, then describe the present."""
        self._catch_up(now)
        dose = self.dose
        if self._index >= len(self._steps):
            sets = f"{dose.sets} set{'s' if dose.sets != 1 else ''}"
            return Moment(Phase.FINISHED, dose.sets, dose.sets, f"All {sets} done — press Done", None, None, 1.0,
                          self._completed, 0.0)
        step = self._steps[self._index]
        elapsed = max(0.0, now - self._step_started)
        share = min(1.0, elapsed / step.seconds) if step.seconds else 1.0
        remaining = max(0, int(step.seconds - elapsed + 0.999))
        if step.phase is Phase.REST:
            return Moment(Phase.REST, step.set_number, dose.sets, f"Rest · set {step.set_number} of {dose.sets} next",
                          remaining, None, share, self._completed, 0.0)
        headline = f"Set {step.set_number} of {dose.sets} · {dose.amount}"
        if dose.reps is None:
            return Moment(Phase.SET, step.set_number, dose.sets, headline, remaining, None, share, self._completed,
                          (elapsed / max(dose.seconds_per_rep, 1.0)) % 1.0)
        per_rep = dose.seconds_per_rep
        done_reps = int(elapsed / per_rep)
        rep = min(dose.reps, done_reps % dose.reps + 1) if dose.per_side else min(dose.reps, done_reps + 1)
        return Moment(Phase.SET, step.set_number, dose.sets, headline, None, rep, share, self._completed,
                      (elapsed / per_rep) % 1.0)

    def next(self, now: float) -> None:
        """The user ends this step early: a set counts as done, a rest is cut short."""
        self._catch_up(now)
        if self._index < len(self._steps):
            self._end_step(now)

    def _catch_up(self, now: float) -> None:
        while self._index < len(self._steps):
            step = self._steps[self._index]
            if now - self._step_started < step.seconds:
                return
            self._end_step(self._step_started + step.seconds)

    def _end_step(self, at: float) -> None:
        step = self._steps[self._index]
        if step.phase is Phase.SET:
            self._completed += 1
            self.ended_sets.append(step.set_number)
        self._index += 1
        self._step_started = at


def prompt_details(suggestion: Suggestion | None, routine: Routine | None, figure: Figure | None) -> PromptDetails:
    """What the `prompt` control command adds to an open prompt: its routine, dose, cues and figure.

    `suggestion` is the prompt's (its dose may differ from the routine's base dose), `routine` the
    catalogue's (None if it left the catalogue since), `figure` a poses Figure or None.
    """
    if suggestion is None:
        return {"routine": None, "dose": None, "figure": None}
    dose: DoseJSON = {"sets": suggestion.sets, "reps": suggestion.reps, "seconds": suggestion.seconds,
            "text": suggestion.dose, "headline": suggestion.headline, "why": suggestion.why}
    about: RoutineJSON
    if routine is None:
        about = {"id": suggestion.routine_id, "name": suggestion.name, "cues": [suggestion.cue] if suggestion.cue else [],
                 "per_side": suggestion.per_side, "squat": bool(suggestion.squats)}
    else:
        about = {"id": routine.id, "name": suggestion.name, "cues": list(routine.cues), "per_side": routine.per_side,
                 "squat": routine.squat, "seconds_per_rep": routine.seconds_per_rep, "rest_seconds": routine.rest_seconds,
                 "caution": routine.caution}
    return {"routine": about, "dose": dose, "figure": figure.as_json() if figure is not None else None}
