"""What a plan is: the role of a break, the day's squat goal, the expected prompts, and `plan --json`.

Pure data; `standup.core.planner` makes them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from standup.core.model import Suggestion
from standup.core.routine import Kind, Routine


class Role(enum.Enum):
    """What a break is for in the day's pattern."""

    SQUAT = "squat"  # a squat routine; counts towards the goal
    LEG = "leg"  # other leg strength work
    CARDIO = "cardio"
    MOBILITY = "mobility"
    STRETCH = "stretch"


ROLE_KINDS = {Role.CARDIO: Kind.CARDIO, Role.MOBILITY: Kind.MOBILITY, Role.STRETCH: Kind.STRETCH}


@dataclass(frozen=True)
class DailyGoal:
    """The squat goal for one day and why."""

    day: date
    configured: int  # settings.daily_squat_goal
    progressed: int  # after weekly progression
    squats: int  # what the planner aims for today: `progressed`, or 0 on an easy day
    easy: bool  # the day after a heavy day
    step: int
    reason: str


@dataclass(frozen=True)
class PlanSlot:
    """One expected prompt of a plan and what it will suggest."""

    at: datetime  # UTC
    local_time: str  # "HH:MM"
    role: Role
    routine: Routine
    suggestion: Suggestion


@dataclass(frozen=True)
class DayPlan:
    """The day's expected prompts and their suggestions, if every prompt is done."""

    day: date
    workday: bool
    goal: DailyGoal
    slots: tuple[PlanSlot, ...]

    @property
    def squat_goal(self) -> int:
        return self.goal.squats

    @property
    def squat_total(self) -> int:
        return sum(slot.suggestion.squats for slot in self.slots)

    def as_json(self) -> dict[str, object]:
        """The `standup plan --json` contract (docs/cli-routines.md)."""
        return {
            "date": self.day.isoformat(),
            "workday": self.workday,
            "easy_day": self.goal.easy,
            "squat_goal": self.squat_goal,
            "squat_total": self.squat_total,
            "configured_goal": self.goal.configured,
            "progressed_goal": self.goal.progressed,
            "reason": self.goal.reason,
            "slots": [
                {
                    "at": slot.at.isoformat(),
                    "local_time": slot.local_time,
                    "role": slot.role.value,
                    "routine": slot.routine.id,
                    "name": slot.suggestion.name,
                    "kind": slot.routine.kind.value,
                    "posture": slot.routine.posture.value,
                    "sets": slot.suggestion.sets,
                    "reps": slot.suggestion.reps,
                    "seconds": slot.suggestion.seconds,
                    "per_side": slot.routine.per_side,
                    "squats": slot.suggestion.squats,
                    "minutes": slot.suggestion.minutes,
                    "dose": slot.suggestion.dose,
                    "why": slot.suggestion.why,
                    "headline": slot.suggestion.headline,
                    "cue": slot.suggestion.cue,
                    "first_cue": slot.routine.cues[0],
                }
                for slot in self.slots
            ],
        }
