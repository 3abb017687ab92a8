"""The planner: the squat goal adds up, routines rotate, quiet mode holds, days after heavy days are
easy, the goal progresses weekly, and the same seed gives the same plan."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from standup.core.catalogue import Kind, load_catalogue
from standup.core.model import Outcome, PromptRecord, Suggestion
from standup.core.planner import DayPlan, Planner, Role
from standup.core.settings import Level, Settings

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)
CATALOGUE = load_catalogue()
ALL_DAYS = frozenset(range(7))


def make_planner(seed: int | str = 0, **values: object) -> Planner:
    return Planner(CATALOGUE, Settings(**values), seed=seed, tz=BERLIN)  # type: ignore[arg-type]


def at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), BERLIN).astimezone(timezone.utc)


def record(number: int, when: datetime, outcome: Outcome | None, suggestion: Suggestion) -> PromptRecord:
    return PromptRecord(
        id=number,
        prompted_at=when,
        outcome=outcome,
        answered_at=when if outcome else None,
        routine=suggestion.routine_id,
        sets=suggestion.sets,
        reps=suggestion.reps,
        seconds=suggestion.seconds,
        squats=suggestion.squats,
    )


def done_squats(records: list[PromptRecord]) -> int:
    return sum(r.squats for r in records if r.outcome is Outcome.DONE)


def assert_near_goal(total: int, goal: int) -> None:
    assert abs(total - goal) <= 0.1 * goal, (total, goal)


# -- history builders: whole weeks of prompts, eight a workday --------------------------------

def workday_records(day: date, done: int, squats_per_done: int = 20, start_id: int = 1) -> list[PromptRecord]:
    """Eight prompts 10:00-17:00; the first `done` are done with `squats_per_done` squats each."""
    records = []
    for index in range(8):
        outcome = Outcome.DONE if index < done else Outcome.SKIPPED
        records.append(
            PromptRecord(start_id + index, at(day, f"{10 + index}:00"), outcome, routine="bodyweight-squat",
                         sets=2, reps=10, squats=squats_per_done if index < 5 else 0)
        )
    return records


def weeks_before(monday: date, weeks: int, done_per_day: int) -> list[PromptRecord]:
    records: list[PromptRecord] = []
    for week in range(weeks, 0, -1):
        for weekday in range(5):
            day = monday - timedelta(weeks=week) + timedelta(days=weekday)
            records += workday_records(day, done_per_day, start_id=len(records) + 1)
    return records


# -- property tests ---------------------------------------------------------------------------

@st.composite
def day_settings(draw: st.DrawFn) -> tuple[Settings, int, date]:
    interval = draw(st.sampled_from([30, 45, 60, 75, 90]))
    prompts = draw(st.integers(min_value=6, max_value=12))
    start = draw(st.integers(min_value=6 * 4, max_value=10 * 4)) * 15
    end = start + prompts * interval + draw(st.integers(min_value=1, max_value=interval))
    values = Settings(
        interval_minutes=interval,
        break_minutes=draw(st.sampled_from([3, 5, 10])),
        work_start_minute=start,
        work_end_minute=end,
        workdays=ALL_DAYS,
        daily_squat_goal=draw(st.integers(min_value=0, max_value=150)),
        level=draw(st.sampled_from(list(Level))),
        quiet=draw(st.booleans()),
    )
    day = MONDAY + timedelta(days=draw(st.integers(min_value=0, max_value=400)))
    return values, prompts, day


def check_plan(plan: DayPlan, values: Settings) -> None:
    ids = [slot.routine.id for slot in plan.slots]
    assert all(a != b for a, b in zip(ids, ids[1:], strict=False)), ids
    for slot in plan.slots:
        assert slot.suggestion.minutes <= values.break_minutes
        dose_minutes = slot.routine.minutes(slot.suggestion.sets, slot.suggestion.reps, slot.suggestion.seconds)
        assert dose_minutes <= values.break_minutes
        assert (slot.suggestion.reps is None) != (slot.suggestion.seconds is None)
        if values.quiet:
            assert slot.routine.quiet, slot.routine.id
        if values.level is Level.BEGINNER:
            assert slot.routine.intensity <= 2
    assert sum(1 for slot in plan.slots if slot.routine.intensity >= 3) <= 2


@hypothesis_settings(max_examples=150, deadline=None)
@given(case=day_settings(), seed=st.integers(min_value=0, max_value=10**6))
def test_a_day_with_every_prompt_done_reaches_the_goal(case: tuple[Settings, int, date], seed: int) -> None:
    values, prompts, day = case
    plan = Planner(CATALOGUE, values, seed=seed, tz=BERLIN).plan_day(day, [])
    assert len(plan.slots) == prompts
    assert plan.squat_goal == values.daily_squat_goal
    assert plan.squat_total == sum(slot.suggestion.squats for slot in plan.slots)
    assert_near_goal(plan.squat_total, values.daily_squat_goal)
    check_plan(plan, values)


@hypothesis_settings(max_examples=60, deadline=None)
@given(case=day_settings(), seed=st.integers(min_value=0, max_value=10**6))
def test_same_seed_same_plan(case: tuple[Settings, int, date], seed: int) -> None:
    values, _, day = case
    first = Planner(CATALOGUE, values, seed=seed, tz=BERLIN).plan_day(day, [])
    second = Planner(load_catalogue(), values, seed=seed, tz=BERLIN).plan_day(day, [])
    assert first == second


@hypothesis_settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**6), offset=st.integers(min_value=0, max_value=300))
def test_quiet_mode_never_suggests_a_noisy_routine(seed: int, offset: int) -> None:
    planner = make_planner(seed, quiet=True, level=Level.ADVANCED, workdays=ALL_DAYS)
    plan = planner.plan_day(MONDAY + timedelta(days=offset), [])
    assert plan.slots
    assert all(slot.routine.quiet for slot in plan.slots)


def test_noisy_routines_do_appear_without_quiet_mode() -> None:
    # guards the quiet-mode test against a catalogue or planner that never picks noisy moves at all
    seen = set()
    for seed in range(60):
        plan = make_planner(seed, level=Level.ADVANCED).plan_day(MONDAY, [])
        seen |= {slot.routine.id for slot in plan.slots if not slot.routine.quiet}
    assert seen


# -- the shape of a default day ---------------------------------------------------------------

def test_default_day_has_five_or_six_squat_breaks_and_ends_with_a_stretch() -> None:
    for seed in range(20):
        plan = make_planner(seed).plan_day(MONDAY, [])
        assert len(plan.slots) == 8  # 10:00 … 17:00
        squat_breaks = [slot for slot in plan.slots if slot.suggestion.squats]
        assert 5 <= len(squat_breaks) <= 6
        assert_near_goal(plan.squat_total, 100)
        assert plan.slots[-1].routine.kind is Kind.STRETCH
        kinds = {slot.routine.kind for slot in plan.slots}
        assert Kind.STRETCH in kinds and Kind.STRENGTH in kinds


def test_a_stretch_follows_a_run_of_strength_breaks() -> None:
    for seed in range(30):
        slots = make_planner(seed).plan_day(MONDAY, []).slots
        for index, slot in enumerate(slots):
            run = 0
            for earlier in reversed(slots[:index]):
                if earlier.routine.kind is not Kind.STRENGTH:
                    break
                run += 1
            if slot.routine.kind is not Kind.STRENGTH and run >= 2:
                assert slot.routine.kind is Kind.STRETCH, [s.routine.id for s in slots]


def test_stretches_target_the_muscles_just_worked() -> None:
    for seed in range(30):
        slots = make_planner(seed).plan_day(MONDAY, []).slots
        for before, slot in zip(slots, slots[1:], strict=False):
            if slot.role is Role.STRETCH and before.routine.kind is Kind.STRENGTH:
                assert set(slot.routine.muscles) & set(before.routine.muscles)


def test_muscle_groups_rotate_across_a_day() -> None:
    for seed in range(20):
        slots = make_planner(seed).plan_day(MONDAY, []).slots
        assert len({slot.routine.id for slot in slots}) >= 6
        assert len({muscle for slot in slots for muscle in slot.routine.muscles}) >= 4


def test_days_differ_but_the_same_day_repeats() -> None:
    planner = make_planner("abc", workdays=ALL_DAYS)
    plans = [[slot.routine.id for slot in planner.plan_day(MONDAY + timedelta(days=n), []).slots] for n in range(7)]
    assert len({tuple(plan) for plan in plans}) > 1
    assert plans[0] == [slot.routine.id for slot in make_planner("abc", workdays=ALL_DAYS).plan_day(MONDAY, []).slots]


def test_headline_names_routine_dose_and_time() -> None:
    plan = make_planner(3).plan_day(MONDAY, [])
    squat = next(slot for slot in plan.slots if slot.suggestion.squats)
    suggestion = squat.suggestion
    assert suggestion.headline.startswith(f"{squat.routine.name} — {suggestion.sets} × {suggestion.reps} (about ")
    assert suggestion.cue == squat.routine.cues[squat.routine.key_cue - 1]
    assert suggestion.squats == suggestion.sets * suggestion.reps


def test_level_scales_doses_of_the_same_routine() -> None:
    def doses(level: Level) -> dict[str, int]:
        found: dict[str, int] = {}
        for seed in range(40):
            for slot in make_planner(seed, level=level).plan_day(MONDAY, []).slots:
                if slot.role in (Role.LEG, Role.CARDIO):
                    found[slot.routine.id] = slot.suggestion.sets * (slot.suggestion.reps or slot.suggestion.seconds or 0)
        return found

    easy, hard = doses(Level.BEGINNER), doses(Level.ADVANCED)
    shared = set(easy) & set(hard)
    assert shared
    assert all(hard[routine] >= easy[routine] for routine in shared)
    assert any(hard[routine] > easy[routine] for routine in shared)


def test_a_short_break_setting_shortens_every_dose() -> None:
    plan = make_planner(1, break_minutes=2).plan_day(MONDAY, [])
    assert all(slot.suggestion.minutes <= 2 for slot in plan.slots)


# -- live prompts at irregular times ----------------------------------------------------------

def play_day(planner: Planner, times: list[datetime], outcome_at: dict[int, Outcome]) -> list[PromptRecord]:
    today: list[PromptRecord] = []
    for number, when in enumerate(times, start=1):
        suggestion = planner.suggest(when, today, [])
        today.append(record(number, when, outcome_at.get(number, Outcome.DONE), suggestion))
    return today


def test_suggest_matches_the_plan_when_the_day_goes_to_plan() -> None:
    planner = make_planner(11)
    plan = planner.plan_day(MONDAY, [])
    today = play_day(planner, [slot.at for slot in plan.slots], {})
    assert [r.routine for r in today] == [slot.routine.id for slot in plan.slots]


def test_skipped_prompts_move_their_squats_to_later_breaks() -> None:
    planner = make_planner(5)
    times = [at(MONDAY, f"{hour}:00") for hour in range(10, 18)]
    today = play_day(planner, times, {1: Outcome.SKIPPED, 2: Outcome.SKIPPED})
    assert_near_goal(done_squats(today), 100)
    assert all(a.routine != b.routine for a, b in zip(today, today[1:], strict=False))


def test_snoozed_prompts_at_odd_times_still_add_up() -> None:
    planner = make_planner(8)
    times, when = [], at(MONDAY, "10:00")
    for delay in (15, 0, 25, 10, 0, 0):
        times.append(when)
        when += timedelta(minutes=delay + 5 + 60)  # snoozed, then a five-minute break, then an interval
    times.append(when)
    assert times[-1] < at(MONDAY, "18:00")
    today = play_day(planner, times, {})
    assert_near_goal(done_squats(today), 100)


def test_a_self_started_break_before_work_counts_too() -> None:
    planner = make_planner(2)
    early = planner.suggest(at(MONDAY, "08:30"), [], [])
    today = [record(1, at(MONDAY, "08:30"), Outcome.DONE, early)]
    times = [at(MONDAY, f"{hour}:00") for hour in range(10, 18)]
    for number, when in enumerate(times, start=2):
        today.append(record(number, when, Outcome.DONE, planner.suggest(when, today, [])))
    assert_near_goal(done_squats(today), 100)


def test_the_goal_reached_early_means_no_more_squats() -> None:
    planner = make_planner(4)
    big = Suggestion("bodyweight-squat", "Bodyweight squats", sets=5, reps=20, squats=100)
    today = [record(1, at(MONDAY, "08:00"), Outcome.DONE, big)]
    for hour in range(10, 18):
        suggestion = planner.suggest(at(MONDAY, f"{hour}:00"), today, [])
        assert suggestion.squats == 0
        today.append(record(hour, at(MONDAY, f"{hour}:00"), Outcome.DONE, suggestion))


# -- easing after heavy days ------------------------------------------------------------------

def test_the_day_after_a_heavy_day_is_easy() -> None:
    sunday_before = MONDAY - timedelta(days=1)
    heavy = workday_records(sunday_before, done=8, squats_per_done=32)  # 5 × 32 = 160 ≥ 1.5 × 100
    planner = make_planner(0, workdays=ALL_DAYS)
    goal = planner.daily_goal(MONDAY, heavy)
    assert goal.easy and goal.squats == 0 and "heavy" in goal.reason
    plan = planner.plan_day(MONDAY, heavy)
    assert plan.squat_total == 0 and plan.squat_goal == 0
    for slot in plan.slots:
        assert slot.routine.kind in (Kind.MOBILITY, Kind.STRETCH, Kind.CARDIO)
        assert slot.routine.intensity == 1
    assert not planner.daily_goal(MONDAY + timedelta(days=1), heavy).easy


def test_three_hard_strength_breaks_make_a_heavy_day() -> None:
    yesterday = MONDAY - timedelta(days=1)
    hard = [PromptRecord(n, at(yesterday, f"{10 + n}:00"), Outcome.DONE, routine="split-squat", squats=16)
            for n in range(3)]
    assert make_planner().daily_goal(MONDAY, hard).easy
    assert not make_planner().daily_goal(MONDAY, hard[:2]).easy
    skipped = [PromptRecord(r.id, r.prompted_at, Outcome.SKIPPED, routine=r.routine) for r in hard]
    assert not make_planner().daily_goal(MONDAY, skipped).easy


def test_a_normal_day_does_not_ease_the_next() -> None:
    normal = workday_records(MONDAY - timedelta(days=1), done=8)
    assert not make_planner().daily_goal(MONDAY, normal).easy


# -- weekly progression -----------------------------------------------------------------------

def test_goal_grows_one_step_per_high_compliance_week() -> None:
    # documented: step = 10 % of the configured goal; ≥ 80 % done is a high week
    history = weeks_before(MONDAY, 3, done_per_day=8)
    planner = make_planner()
    assert planner.daily_goal(MONDAY, history).progressed == 130
    assert planner.daily_goal(MONDAY, history).squats == 130
    friday = MONDAY + timedelta(days=4)
    this_week = [r for d in range(4) for r in workday_records(MONDAY + timedelta(days=d), 8, start_id=900 + 10 * d)]
    assert planner.daily_goal(friday, history + this_week).progressed == 130  # only whole past weeks count
    plan = planner.plan_day(MONDAY, history)
    assert plan.squat_goal == 130
    assert_near_goal(plan.squat_total, 130)


def test_goal_shrinks_after_a_week_of_mostly_skips_and_holds_on_middling_weeks() -> None:
    planner = make_planner()
    assert planner.daily_goal(MONDAY, weeks_before(MONDAY, 1, done_per_day=2)).progressed == 90
    assert planner.daily_goal(MONDAY, weeks_before(MONDAY, 1, done_per_day=5)).progressed == 100
    mixed = weeks_before(MONDAY - timedelta(weeks=1), 2, done_per_day=8) + weeks_before(MONDAY, 1, done_per_day=1)
    assert planner.daily_goal(MONDAY, mixed).progressed == 110  # up, up, down


def test_progression_stays_within_half_and_double_the_configured_goal() -> None:
    planner = make_planner()
    assert planner.daily_goal(MONDAY, weeks_before(MONDAY, 20, done_per_day=8)).progressed == 200
    assert planner.daily_goal(MONDAY, weeks_before(MONDAY, 20, done_per_day=0)).progressed == 50
    assert make_planner(daily_squat_goal=0).daily_goal(MONDAY, weeks_before(MONDAY, 5, 8)).progressed == 0


def test_weeks_with_few_prompts_do_not_move_the_goal() -> None:
    one_day = workday_records(MONDAY - timedelta(weeks=1), done=8)  # 8 answered: below the minimum of 10
    assert make_planner().daily_goal(MONDAY, one_day).progressed == 100


def test_history_start_covers_the_progression_window() -> None:
    planner = make_planner()
    start = planner.history_start(MONDAY)
    assert start <= at(MONDAY - timedelta(weeks=12), "00:00")
    assert start > at(MONDAY - timedelta(weeks=13), "00:00")


# -- purity -----------------------------------------------------------------------------------

def test_the_planner_never_touches_global_randomness(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the planner used the random module's global functions")

    for name in ("random", "choice", "choices", "randint", "randrange", "shuffle", "sample", "uniform", "seed"):
        monkeypatch.setattr(random, name, forbidden)
    plan = make_planner(7).plan_day(MONDAY, weeks_before(MONDAY, 2, 8))
    assert plan.slots


def test_suggest_hook_reads_history_through_the_given_function() -> None:
    planner = make_planner()
    history = weeks_before(MONDAY, 3, done_per_day=8)
    asked: list[tuple[datetime, datetime]] = []

    def prompts_between(start: datetime, end: datetime) -> list[PromptRecord]:
        asked.append((start, end))
        return [r for r in history if start <= r.prompted_at < end]

    hook = planner.suggest_hook(prompts_between)
    when = at(MONDAY, "10:00")
    assert hook(when, []) == planner.suggest(when, [], history)
    assert asked == [(planner.history_start(MONDAY), at(MONDAY, "00:00"))]
