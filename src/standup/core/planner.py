"""Choose the routine and dose for each prompt: the daily squat goal, rotation, easing, progression.

Pure: the caller passes the instant, the day's and past prompt records, and a seed; randomness comes
from a `random.Random` derived from the seed, the local date and how many prompts came before, so
the same inputs always give the same suggestion, and `plan_day` (a simulation of a day where every
prompt is done) shows exactly what a live day that goes to plan will suggest.

The rules, with the seed facts behind them (seeds/README.md):

* Squat goal. The day's goal (`daily_squat_goal`, progressed, see below) is spread over squat
  breaks of about `squats_per_break` squats (default 20; seed 003: about 100 a day in 5-6 sets), so
  a default 09:00-18:00 day has five squat breaks; catching up after skips, a break asks for at most
  `MAX_SQUATS_PER_BREAK` × squats_per_break / 20. Each prompt recomputes from what is still missing (only
  done prompts count) and how many prompts can still fit before work ends, so snoozes, skips and
  self-started breaks shift squats to later breaks instead of losing them.
* Pattern. Squat breaks are spaced evenly between the other breaks. The last break of the day is a
  stretch, and so is the first non-squat break after two or more strength breaks in a row (seed
  003: stretch the worked muscles after training). Other free breaks rotate between other leg
  strength work, cardio and mobility, whichever the day has had least.
* Choice. Never the routine of the previous prompt; within a role, routines used less today and
  with a different main muscle than the previous break come first (muscle-group rotation), ties
  broken by the rng. Stretches prefer the muscles the last strength break worked.
* Level. Beginners get intensity 1-2 routines (3 only if nothing else fits) and the catalogue's
  doses; intermediate and advanced multiply reps and seconds of strength and cardio work by 1.25 and
  1.5. Squat breaks split their share into sets no bigger than the routine's reps × that factor.
  At most `MAX_HARD_BREAKS` intensity-3 breaks a day.
* Quiet. With `quiet = true` only `quiet` routines are ever suggested.
* On your feet. Only standing routines; seated ones too with `allow_seated`; floor ones never.
  `suggest_only` (set by the `glucose` and `walking` presets) narrows the choice to those ids.
* Easing. The day after a heavy day (done squats ≥ `HEAVY_FACTOR` × that day's goal, or
  ≥ `HEAVY_HARD_BREAKS` intensity-3 strength breaks done) has no squat goal and suggests only
  mobility, stretches and easy (intensity 1) cardio such as walking (seeds 002, 003: rest after
  heavy leg work).
* Progression. Once a week (weeks start on Monday) the goal moves by `step` = 10 % of the
  configured goal (at least 5): up after a week with ≥ 80 % of answered prompts done, down after a
  week with < 50 % done; weeks with fewer than 10 answered prompts change nothing. It looks back
  `PROGRESSION_WEEKS` weeks (the seeds' "about three months") and stays within half and double the
  configured goal.
* Every dose fits in `break_minutes`: a dose that would not is shortened (fewer reps or seconds,
  then fewer sets).
"""

from __future__ import annotations

import difflib
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import partial

from standup.core import policy
from standup.core.catalogue import Catalogue
from standup.core.dose import dose_text
from standup.core.errors import CatalogueError
from standup.core.routine import Kind, Posture, Routine
from standup.core.model import Outcome, PromptRecord, Suggestion
from standup.core.plan import ROLE_KINDS, DailyGoal, DayPlan, PlanSlot, Role
from standup.core.settings import Level, Settings
from standup.core.words import counted

# The seed the app and `standup plan` share, so the plan shows what the prompts will suggest.
DEFAULT_SEED = "standup"
MAX_SQUATS_PER_BREAK = {Level.BEGINNER: 30, Level.INTERMEDIATE: 40, Level.ADVANCED: 50}
LEVEL_FACTOR = {Level.BEGINNER: 1.0, Level.INTERMEDIATE: 1.25, Level.ADVANCED: 1.5}
MAX_INTENSITY = {Level.BEGINNER: 2, Level.INTERMEDIATE: 3, Level.ADVANCED: 3}
MAX_SETS = 4
MAX_HARD_BREAKS = 2
STRETCH_AFTER_STRENGTH_RUN = 2
HEAVY_FACTOR = 1.5
HEAVY_HARD_BREAKS = 3
PROGRESSION_WEEKS = 12
HIGH_COMPLIANCE = 0.8
LOW_COMPLIANCE = 0.5
MIN_ANSWERED_PER_WEEK = 10

_ANSWERED = (Outcome.DONE, Outcome.SKIPPED, Outcome.MISSED)


@dataclass(frozen=True)
class _Choice:
    role: Role
    routine: Routine
    suggestion: Suggestion


class Planner:
    """Suggests the routine and dose for a prompt, and plans whole days.

    `seed` makes the choices repeatable: the same seed, settings, catalogue and records always give
    the same suggestions. `tz` is the local zone (None: the system's), used for days and work hours.
    """

    def __init__(self, catalogue: Catalogue, settings: Settings, seed: int | str = 0, tz: tzinfo | None = None) -> None:
        if not len(catalogue):
            raise CatalogueError("no routines are enabled; remove some ids from `disable` in your routines files")
        self.catalogue = catalogue
        self.settings = settings
        self.seed = seed
        self.tz = tz
        if not any(self._posture_allowed(routine) for routine in catalogue):
            seated = "" if settings.allow_seated else " (or set allow_seated = true)"
            raise CatalogueError(
                f"no standing routine is enabled, and a break suggests only those{seated}; "
                "remove some ids from `disable` in your routines files"
            )
        self._only = self._check_only(settings.suggest_only)

    def _check_only(self, ids: tuple[str, ...]) -> frozenset[str]:
        """`suggest_only` as a set, after checking it names routines a break may suggest."""
        known = [routine.id for routine in self.catalogue]
        for routine_id in ids:
            if routine_id not in known:
                hint = difflib.get_close_matches(routine_id, known, n=1)
                fix = f"did you mean {hint[0]!r}?" if hint else "`standup routines` lists the ids"
                raise CatalogueError(f"suggest_only names {routine_id!r}, which is not in the catalogue; {fix}")
        if ids and not any(self._posture_allowed(self.catalogue.require(routine_id)) for routine_id in ids):
            raise CatalogueError("suggest_only names no standing routine; add one, or set allow_seated = true")
        return frozenset(ids)

    # -- public API -------------------------------------------------------------------------

    def suggest(self, at: datetime, today: Sequence[PromptRecord], history: Sequence[PromptRecord]) -> Suggestion:
        """The suggestion for a prompt opened at `at` (aware UTC).

        `today`: the day's earlier prompts (any outcome). `history`: earlier days' prompts, for
        progression and easing (records of `at`'s day or later are ignored); `history_start` says
        how far back it is needed.
        """
        return self._choose(at, today, history).suggestion

    def plan_day(self, day: date, history: Sequence[PromptRecord]) -> DayPlan:
        """The day's expected prompts and what each suggests if every one is done."""
        goal = self.daily_goal(day, history)
        times = policy.expected_prompt_times(day, self.settings, self.tz)
        done: list[PromptRecord] = []
        slots: list[PlanSlot] = []
        for number, at in enumerate(times, start=1):
            choice = self._choose(at, done, history)
            suggestion = choice.suggestion
            done.append(
                PromptRecord(
                    id=-number,
                    prompted_at=at,
                    outcome=Outcome.DONE,
                    answered_at=at,
                    routine=suggestion.routine_id,
                    sets=suggestion.sets,
                    reps=suggestion.reps,
                    seconds=suggestion.seconds,
                    squats=suggestion.squats,
                )
            )
            local_time = policy.to_local(at, self.tz).strftime("%H:%M")
            slots.append(PlanSlot(at, local_time, choice.role, choice.routine, suggestion))
        return DayPlan(day, day.weekday() in self.settings.workdays, goal, tuple(slots))

    def daily_goal(self, day: date, history: Sequence[PromptRecord]) -> DailyGoal:
        """The day's squat goal after progression and easing."""
        by_day = self._group_by_day(history, before=day)
        configured = self.settings.daily_squat_goal
        step = progression_step(configured)
        progressed, moves = self._progressed(day, by_day)
        yesterday = day - timedelta(days=1)
        heavy_reason = self._heavy(yesterday, by_day)
        if heavy_reason:
            reason = f"easy day: yesterday was heavy ({heavy_reason}); mobility, stretching and walking only"
            return DailyGoal(day, configured, progressed, 0, True, step, reason)
        reason = f"configured {configured}" + (f", {moves}" if moves else "")
        return DailyGoal(day, configured, progressed, progressed, False, step, reason)

    def suggest_hook(
        self, prompts_between: Callable[[datetime, datetime], Sequence[PromptRecord]]
    ) -> Callable[[datetime, Sequence[PromptRecord]], Suggestion]:
        """The service's `suggest(at, today)` hook; it reads history through `prompts_between`
        (e.g. `store.prompts_between`) from `history_start` to the start of `at`'s day."""

        def suggest(at: datetime, today: Sequence[PromptRecord]) -> Suggestion:
            day = policy.local_day(at, self.tz)
            history = prompts_between(self.history_start(day), policy.day_bounds_utc(day, self.tz)[0])
            return self.suggest(at, today, history)

        return suggest

    def history_start(self, day: date) -> datetime:
        """UTC start of the history `daily_goal` and `suggest` read for `day`."""
        first = _week_start(day) - timedelta(weeks=PROGRESSION_WEEKS)
        return policy.day_bounds_utc(min(first, day - timedelta(days=1)), self.tz)[0]

    # -- one decision -----------------------------------------------------------------------

    def _choose(self, at: datetime, today: Sequence[PromptRecord], history: Sequence[PromptRecord]) -> _Choice:
        day = policy.local_day(at, self.tz)
        earlier = sorted((r for r in today if r.prompted_at < at), key=lambda r: r.prompted_at)
        rng = random.Random(f"{self.seed}:{day.isoformat()}:{len(earlier)}")
        goal = self.daily_goal(day, history)
        done_squats = sum(r.squats for r in earlier if r.outcome is Outcome.DONE)
        missing = max(0, goal.squats - done_squats)
        breaks_left = 1 + self._prompts_after(at, day)
        roles = [self._role_of(r) for r in earlier]
        per_break = self.settings.squats_per_break
        needed = min(math.ceil(missing / per_break), breaks_left) if missing else 0
        role = self._role(breaks_left, needed, roles, goal.easy, rng)
        if role is Role.SQUAT:
            most = max(per_break, MAX_SQUATS_PER_BREAK[self.settings.level] * per_break // 20)
            share = min(math.ceil(missing / needed), most)
            choice = self._squat_choice(share, missing, earlier, rng)
            if choice is not None:
                return choice
            role = Role.LEG
        return self._other_choice(role, earlier, goal.easy, rng)

    def _prompts_after(self, at: datetime, day: date) -> int:
        """How many more prompts fit today after one at `at` (the fewer of two estimates)."""
        expected = sum(1 for t in policy.expected_prompt_times(day, self.settings, self.tz) if t > at)
        window = policy.work_window(day, self.settings, self.tz)
        if window is None:
            return expected
        # The sitting clock restarts when the break ends, so the next prompt is a break plus an
        # interval away; underestimating only moves squats earlier in the day.
        interval = timedelta(minutes=self.settings.interval_minutes + self.settings.break_minutes)
        count, due = 0, at + interval
        while due < window[1]:
            count, due = count + 1, due + interval
        return min(expected, count)

    def _role(self, breaks_left: int, needed: int, roles: list[Role | None], easy: bool, rng: random.Random) -> Role:
        free = breaks_left - needed
        if needed and free <= 0:
            return Role.SQUAT
        if needed:
            squat_run = _trailing(roles, {Role.SQUAT})
            inner_free = free - 1  # the day's last break is kept for a stretch
            if inner_free <= 0:
                return Role.SQUAT
            if squat_run < max(1, (needed + squat_run) // (inner_free + 1)):
                return Role.SQUAT
        strength_run = _trailing(roles, {Role.SQUAT, Role.LEG})
        if breaks_left == 1 or strength_run >= STRETCH_AFTER_STRENGTH_RUN:
            return Role.STRETCH
        options = [Role.MOBILITY, Role.STRETCH, Role.CARDIO] if easy else [Role.LEG, Role.CARDIO, Role.MOBILITY]
        used = Counter(roles)
        fewest = min(used[option] for option in options)
        return rng.choice([option for option in options if used[option] == fewest])

    # -- picking routines -------------------------------------------------------------------

    def _squat_choice(self, share: int, missing: int, earlier: list[PromptRecord], rng: random.Random) -> _Choice | None:
        pool = self._pool(lambda r: r.squat and r.reps is not None, earlier, easy=False)
        if not pool:
            return None
        factor = LEVEL_FACTOR[self.settings.level]
        doses: dict[str, tuple[int, int | None, int | None]] = {}
        whole: list[Routine] = []  # routines that deliver the whole share inside the break
        for candidate in pool:
            sets, reps = _split(share, max(1, round((candidate.reps or 1) * factor)))
            doses[candidate.id] = fitted = self._fit(candidate, sets, reps, None)
            if fitted == (sets, reps, None):
                whole.append(candidate)
        routine = self._pick(whole or pool, earlier, rng, Role.SQUAT)
        chosen_sets, chosen_reps, _ = doses[routine.id]
        squats = chosen_sets * (chosen_reps or 0)
        why = [f"{counted(missing, 'squat')} left today" if squats >= missing else f"{squats} of the {missing} squats left today"]
        if routine not in whole:
            why.append(self._shortened())
        return _Choice(Role.SQUAT, routine, self._suggestion(routine, chosen_sets, chosen_reps, None, why))

    def _other_choice(self, role: Role, earlier: list[PromptRecord], easy: bool, rng: random.Random) -> _Choice:
        fallbacks = [role] + [r for r in (Role.STRETCH, Role.MOBILITY, Role.CARDIO, Role.LEG) if r is not role]
        for candidate_role in fallbacks:
            pool = self._pool(partial(_fits_role, role=candidate_role), earlier, easy)
            if pool:
                routine = self._pick(pool, earlier, rng, candidate_role)
                return _Choice(candidate_role, routine, self._dose(routine, easy))
        # Nothing but the previous routine (or only squat routines) is left: repeat rather than fail.
        allowed = [r for r in self.catalogue if self._posture_allowed(r) and (not self._only or r.id in self._only)]
        pool = [r for r in allowed if not self.settings.quiet or r.quiet] or allowed
        routine = min(pool, key=lambda r: r.intensity)
        return _Choice(Role.SQUAT if routine.squat else role, routine, self._dose(routine, easy))

    def _pool(self, wanted: Callable[[Routine], bool], earlier: list[PromptRecord], easy: bool) -> list[Routine]:
        """Routines of a role that quiet mode, easing, the hard-break cap and no-repeat allow."""
        previous = earlier[-1].routine if earlier else None
        candidates = [
            r
            for r in self.catalogue
            if wanted(r)
            and self._posture_allowed(r)
            and (not self._only or r.id in self._only)
            and r.id != previous
            and (r.quiet or not self.settings.quiet)
            and (not easy or (r.kind is not Kind.STRENGTH and r.intensity == 1))
        ]
        hard_today = sum(1 for r in earlier if (found := self.catalogue.get(r.routine)) and found.intensity >= 3)
        if hard_today >= MAX_HARD_BREAKS:
            candidates = [r for r in candidates if r.intensity < 3]
        within_level = [r for r in candidates if r.intensity <= MAX_INTENSITY[self.settings.level]]
        return within_level or candidates

    def _pick(self, pool: list[Routine], earlier: list[PromptRecord], rng: random.Random, role: Role) -> Routine:
        used = Counter(r.routine for r in earlier)
        previous = self.catalogue.get(earlier[-1].routine) if earlier else None
        last_strength = next(
            (found for r in reversed(earlier) if (found := self.catalogue.get(r.routine)) and found.kind is Kind.STRENGTH),
            None,
        )

        def score(routine: Routine) -> int:
            value = 3 * used[routine.id]
            if previous is not None and routine.muscles[0] == previous.muscles[0]:
                value += 1
            if role is Role.STRETCH and last_strength is not None:
                value -= 2 * len(set(routine.muscles) & set(last_strength.muscles))
            return value

        best = min(score(routine) for routine in pool)
        return rng.choice([routine for routine in pool if score(routine) == best])

    def _posture_allowed(self, routine: Routine) -> bool:
        """A break gets you on your feet: standing routines, seated ones only if allowed, never floor."""
        return routine.posture is Posture.STANDING or (routine.posture is Posture.SEATED and self.settings.allow_seated)

    # -- doses ------------------------------------------------------------------------------

    def _dose(self, routine: Routine, easy: bool = False) -> Suggestion:
        factor = LEVEL_FACTOR[self.settings.level] if routine.kind in (Kind.STRENGTH, Kind.CARDIO) else 1.0
        reps = max(1, round(routine.reps * factor)) if routine.reps is not None else None
        seconds = max(5, 5 * round(routine.seconds * factor / 5)) if routine.seconds is not None else None
        why = ["easy day after a heavy one"] if easy else []
        if factor != 1.0:
            why.append(f"{self.settings.level.value} level")
        fitted = self._fit(routine, routine.sets, reps, seconds)
        if fitted != (routine.sets, reps, seconds):
            why.append(self._shortened())
        return self._suggestion(routine, *fitted, why)

    def _shortened(self) -> str:
        return f"shortened to fit a {self.settings.break_minutes}-min break"

    def _fit(self, routine: Routine, sets: int, reps: int | None, seconds: int | None) -> tuple[int, int | None, int | None]:
        """The dose, shortened until it fits in `break_minutes`: reps or seconds first, then sets."""
        limit = self.settings.break_minutes
        while routine.minutes(sets, reps, seconds) > limit:
            if reps is not None and reps > max(1, (routine.reps or 1) // 2):
                reps -= 1
            elif seconds is not None and seconds > max(5, (routine.seconds or 10) // 2):
                seconds -= 5
            elif sets > 1:
                sets -= 1
            elif reps is not None and reps > 1:
                reps -= 1
            elif seconds is not None and seconds > 5:
                seconds -= 5
            else:
                break
        return sets, reps, seconds

    def _suggestion(
        self, routine: Routine, sets: int, reps: int | None, seconds: int | None, why: Sequence[str] = ()
    ) -> Suggestion:
        """The suggestion with its dose text and reason written once, as every view will show them."""
        return Suggestion(
            routine_id=routine.id,
            name=routine.name,
            sets=sets,
            reps=reps,
            seconds=seconds,
            minutes=round(routine.minutes(sets, reps, seconds), 1),
            cue=routine.movement_cue,
            squats=sets * reps if routine.squat and reps is not None else 0,
            per_side=routine.per_side,
            dose_text=dose_text(sets, reps, seconds, routine.per_side),
            why="; ".join(why),
        )

    # -- history ----------------------------------------------------------------------------

    def _role_of(self, record: PromptRecord) -> Role | None:
        routine = self.catalogue.get(record.routine)
        if routine is None:
            return Role.SQUAT if record.squats else None
        if routine.squat:
            return Role.SQUAT
        if routine.kind is Kind.STRENGTH:
            return Role.LEG
        return {Kind.CARDIO: Role.CARDIO, Kind.MOBILITY: Role.MOBILITY, Kind.STRETCH: Role.STRETCH}[routine.kind]

    def _group_by_day(self, records: Iterable[PromptRecord], before: date) -> dict[date, list[PromptRecord]]:
        grouped: dict[date, list[PromptRecord]] = {}
        for record in records:
            day = policy.local_day(record.prompted_at, self.tz)
            if day < before:
                grouped.setdefault(day, []).append(record)
        return grouped

    def _progressed(self, day: date, by_day: dict[date, list[PromptRecord]]) -> tuple[int, str]:
        configured = self.settings.daily_squat_goal
        if configured == 0:
            return 0, ""
        step = progression_step(configured)
        low, high = goal_bounds(configured)
        goal, ups, downs = configured, 0, 0
        this_week = _week_start(day)
        for weeks_back in range(PROGRESSION_WEEKS, 0, -1):
            start = this_week - timedelta(weeks=weeks_back)
            records = [r for offset in range(7) for r in by_day.get(start + timedelta(days=offset), [])]
            answered = [r for r in records if r.outcome in _ANSWERED]
            if len(answered) < MIN_ANSWERED_PER_WEEK:
                continue
            rate = sum(1 for r in answered if r.outcome is Outcome.DONE) / len(answered)
            if rate >= HIGH_COMPLIANCE and goal < high:
                goal, ups = min(high, goal + step), ups + 1
            elif rate < LOW_COMPLIANCE and goal > low:
                goal, downs = max(low, goal - step), downs + 1
        if not ups and not downs:
            return goal, ""
        return goal, f"progression: {ups} week(s) up, {downs} down → {goal}"

    def _heavy(self, day: date, by_day: dict[date, list[PromptRecord]]) -> str:
        """Why `day` was heavy, or "" if it was not."""
        done = [r for r in by_day.get(day, []) if r.outcome is Outcome.DONE]
        if not done:
            return ""
        squats = sum(r.squats for r in done)
        goal, _ = self._progressed(day, by_day)
        if goal > 0 and squats >= HEAVY_FACTOR * goal:
            return f"{squats} squats done, goal {goal}"
        hard = [
            found
            for r in done
            if (found := self.catalogue.get(r.routine)) and found.kind is Kind.STRENGTH and found.intensity >= 3
        ]
        if len(hard) >= HEAVY_HARD_BREAKS:
            return f"{len(hard)} hard strength breaks"
        return ""


def progression_step(configured_goal: int) -> int:
    """How far the goal moves in one week: 10 % of the configured goal in fives, at least 5."""
    return max(5, 5 * round(configured_goal * 0.1 / 5))


def goal_bounds(configured_goal: int) -> tuple[int, int]:
    """The lowest and highest goal progression may reach: half and double the configured goal."""
    return configured_goal // 2, configured_goal * 2


def _split(share: int, per_set: int) -> tuple[int, int]:
    """Sets × reps closest to `share` with sets no bigger than about `per_set` (up to 25 % more),
    fewest sets first: 20 with 10 per set → 2 × 10; 9 with 8 → 1 × 9."""
    fewest = max(1, math.ceil(share / (per_set * 1.25)))
    options = [(sets, max(1, round(share / sets))) for sets in range(min(fewest, MAX_SETS), MAX_SETS + 1)]
    return min(options, key=lambda option: (abs(option[0] * option[1] - share), option[0]))


def _fits_role(routine: Routine, role: Role) -> bool:
    if role is Role.LEG:
        return routine.kind is Kind.STRENGTH and not routine.squat
    if role is Role.SQUAT:
        return routine.squat
    return routine.kind is ROLE_KINDS[role]


def _trailing(roles: list[Role | None], wanted: set[Role]) -> int:
    count = 0
    for role in reversed(roles):
        if role not in wanted:
            break
        count += 1
    return count


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


__all__ = [
    "DEFAULT_SEED",
    "DailyGoal",
    "DayPlan",
    "PlanSlot",
    "Planner",
    "Role",
    "goal_bounds",
    "progression_step",
]
