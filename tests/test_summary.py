"""Day, week and month figures from scripted logs, with expected numbers worked out by hand.

`Log` (also used by the report, export and CLI tests) scripts a day in local wall-clock time and
produces the records the store would hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from standup.core.model import EventKind, EventRecord, Outcome, PromptRecord
from standup.core.settings import Settings
from standup.core.summary import (
    GoalStatus,
    HourState,
    count_streak,
    evening_line,
    format_minutes,
    goal_statuses,
    period_bounds,
    summarize_day,
    summarize_period,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


def at(day: date, hhmm: str, tz=BERLIN, fold: int = 0) -> datetime:
    """Local wall-clock time on `day` as an aware UTC instant."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz, fold=fold).astimezone(UTC)


@dataclass
class Log:
    """A scripted log: prompts with their events, and loose events, as the store would record them."""

    prompts: list[PromptRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)

    def event(self, kind: EventKind, instant: datetime, prompt_id: int | None = None, **data: object) -> None:
        self.events.append(EventRecord(len(self.events) + 1, instant, kind, prompt_id, dict(data)))

    def prompt(
        self,
        prompted_at: datetime,
        outcome: Outcome | None,
        answered_at: datetime | None = None,
        *,
        snoozes: int = 0,
        routine: str | None = None,
        sets: int | None = None,
        reps: int | None = None,
        seconds: int | None = None,
        squats: int = 0,
        data: dict[str, object] | None = None,
    ) -> PromptRecord:
        record = PromptRecord(
            len(self.prompts) + 1,
            prompted_at,
            outcome,
            answered_at,
            snoozes,
            routine,
            sets,
            reps,
            seconds,
            squats,
        )
        self.prompts.append(record)
        self.event(EventKind.PROMPTED, prompted_at, record.id)
        for n in range(snoozes):
            self.event(EventKind.SNOOZED, prompted_at + timedelta(minutes=1 + n), record.id, minutes=10)
        if outcome is not None:
            assert answered_at is not None
            self.event(EventKind(outcome.value), answered_at, record.id, **(data or {}))
        return record


# --- the scripted day: Tuesday 17 November 2026, Berlin (UTC+1), default settings ----------------

DAY = date(2026, 11, 17)


def scripted_day() -> Log:
    log = Log()
    t = lambda hhmm: at(DAY, hhmm)  # noqa: E731
    log.event(EventKind.STARTED, t("08:55"))
    log.prompt(t("10:00"), Outcome.DONE, t("10:04"), routine="chair-squats", sets=3, reps=12, squats=36)
    log.prompt(t("11:04"), Outcome.DONE, t("11:30"), snoozes=2, routine="calf-raises", sets=2, reps=15)
    log.prompt(t("12:30"), Outcome.SKIPPED, t("12:31"))
    log.event(EventKind.NATURAL, t("13:40"), away_from=t("13:00").isoformat(), back_at=t("13:40").isoformat())
    log.prompt(t("14:40"), Outcome.MISSED, t("15:40"))
    log.prompt(t("15:40"), Outcome.DONE, t("15:45"), routine="chair-squats", sets=3, reps=12, squats=36)
    log.event(EventKind.SELF_BREAK, t("17:10"))
    log.prompt(
        t("17:45"),
        Outcome.NATURAL,
        t("18:20"),
        data={"away_from": t("17:50").isoformat(), "back_at": t("18:20").isoformat()},
    )
    log.event(EventKind.STOPPED, t("18:30"))
    return log


def test_scripted_day_counts_and_compliance():
    log = scripted_day()
    s = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    assert (s.prompts, s.done, s.skipped, s.missed, s.natural, s.open) == (6, 3, 1, 1, 1, 0)
    assert s.snoozes == 2
    assert s.self_breaks == 1
    assert s.natural_breaks == 2
    # (3 done + 1 natural) / 6 ended
    assert s.compliance == pytest.approx(4 / 6)
    assert s.workday and not s.in_progress


def test_scripted_day_moved_minutes_stand_hours_and_sitting():
    log = scripted_day()
    s = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    # 3 done + 1 self break at 5 min = 20; away 13:00-13:40 = 40; 17:50-18:20 clipped at 18:00 = 10
    assert s.moved_minutes == 70
    # movements in hours 10, 11, 13, 15, 17 of the nine work hours 09..17
    assert s.work_hour_slots == 9
    assert s.stand_hours == 5
    # stretches: 9:00-10:04, 10:04-11:30, 11:30-13:00, 13:40-15:45 (125 min), 15:45-17:10, 17:10-17:50
    assert s.longest_sitting_minutes == 125
    assert s.longest_sitting_from == at(DAY, "13:40")
    assert s.longest_sitting_to == at(DAY, "15:45")


def test_scripted_day_exercises_squats_and_goal():
    log = scripted_day()
    s = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    assert s.squats_done == 72
    assert s.squat_goal == 100
    assert [(e.routine, e.breaks, e.sets, e.reps, e.seconds) for e in s.exercises] == [
        ("calf-raises", 1, 2, 30, 0),
        ("chair-squats", 2, 6, 72, 0),
    ]
    # 0.67 < 0.75 and 72 < 100
    assert s.goal is GoalStatus.NOT_MET
    assert summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN, squat_goal=70).goal is GoalStatus.MET


def test_scripted_day_timeline():
    log = scripted_day()
    s = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    assert len(s.timeline) == 24
    assert [slot.label for slot in s.timeline] == [f"{h:02d}" for h in range(24)]
    states = {slot.start.hour: slot.state for slot in s.timeline}
    M, X, S, OFF = HourState.MOVED, HourState.MISSED, HourState.SITTING, HourState.OFF
    assert [states[h] for h in range(9, 18)] == [S, M, M, X, M, X, M, S, M]
    assert states[8] is OFF
    assert states[18] is M  # the natural break ran on to 18:20, outside work hours
    assert states[19] is OFF
    assert [slot.start.hour for slot in s.timeline if slot.stand] == [10, 11, 13, 15, 17]
    assert sum(slot.prompts for slot in s.timeline) == 6
    assert s.timeline[15].done == 1 and s.timeline[14].missed == 1


def test_scripted_day_evening_line():
    log = scripted_day()
    s = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    assert evening_line(s) == "4 of 6 breaks + 1 of your own · 72 squats · longest sit 2 h 5 min"


def test_records_of_other_days_are_ignored():
    log = scripted_day()
    extra = Log()
    extra.prompt(at(DAY + timedelta(days=1), "10:00"), Outcome.DONE, at(DAY + timedelta(days=1), "10:01"), squats=50)
    extra.prompt(at(DAY, "00:30") - timedelta(hours=1), Outcome.SKIPPED, at(DAY, "00:30"))
    s = summarize_day(DAY, log.prompts + extra.prompts, log.events, Settings(), BERLIN)
    assert (s.prompts, s.done, s.squats_done) == (6, 3, 72)


def test_in_progress_day_measures_sitting_up_to_now():
    log = scripted_day()
    now = at(DAY, "12:00")
    early = Log(
        [p for p in log.prompts if p.prompted_at < now],
        [e for e in log.events if e.at < now],
    )
    s = summarize_day(DAY, early.prompts, early.events, Settings(), BERLIN, now=now)
    assert s.in_progress
    assert (s.prompts, s.done) == (2, 2)
    # 9:00-10:04 (64), 10:04-11:30 (86), 11:30-12:00 (30)
    assert s.longest_sitting_minutes == 86
    states = {slot.start.hour: slot.state for slot in s.timeline}
    assert states[12] is HourState.FUTURE and states[17] is HourState.FUTURE
    assert states[11] is HourState.MOVED
    # compliance 1.0 meets the goal; an unmet day in progress is neutral, never a break
    assert s.goal is GoalStatus.MET
    skipped_only = Log()
    skipped_only.prompt(at(DAY, "10:00"), Outcome.SKIPPED, at(DAY, "10:01"))
    today = summarize_day(DAY, skipped_only.prompts, skipped_only.events, Settings(), BERLIN, now=now)
    assert today.goal is GoalStatus.NEUTRAL
    assert summarize_day(DAY, skipped_only.prompts, skipped_only.events, Settings(), BERLIN).goal is GoalStatus.NOT_MET


# --- pause, suspend and a natural break: Thursday 19 November 2026 -------------------------------

PAUSE_DAY = date(2026, 11, 19)


def paused_day() -> Log:
    log = Log()
    t = lambda hhmm: at(PAUSE_DAY, hhmm)  # noqa: E731
    # no `started`: the app has been running since yesterday
    log.prompt(t("10:00"), Outcome.DONE, t("10:02"))
    log.event(EventKind.PAUSED, t("10:30"), until=t("12:00").isoformat())
    log.event(EventKind.RESUMED, t("11:30"))
    log.event(EventKind.NATURAL, t("12:40"), away_from=t("12:10").isoformat(), back_at=t("12:40").isoformat())
    log.event(EventKind.PAUSED, t("14:00"), until=t("15:00").isoformat())
    log.prompt(t("16:00"), Outcome.DONE, t("16:05"))
    log.event(EventKind.SUSPENDED, t("17:30"), seconds=1200.0)
    return log


def test_pause_suspend_and_natural_break():
    log = paused_day()
    s = summarize_day(PAUSE_DAY, log.prompts, log.events, Settings(), BERLIN)
    assert (s.prompts, s.done, s.natural, s.natural_breaks) == (2, 2, 0, 1)
    assert s.compliance == 1.0
    # 2 done × 5 + away 12:10-12:40
    assert s.moved_minutes == 40
    assert s.stand_hours == 3  # hours 10, 12, 16
    # free stretches: 9:00-10:02, 10:02-10:30, 11:30-12:10, 12:40-14:00 (80), 15:00-16:05, 16:05-17:10, 17:30-18:00
    assert s.longest_sitting_minutes == 80
    assert (s.longest_sitting_from, s.longest_sitting_to) == (at(PAUSE_DAY, "12:40"), at(PAUSE_DAY, "14:00"))
    states = {slot.start.hour: slot.state for slot in s.timeline}
    assert states[11] is HourState.SITTING  # paused 30 min, sat 30 min
    assert states[14] is HourState.PAUSED
    assert states[17] is HourState.SITTING  # slept 20 min of it
    assert s.goal is GoalStatus.MET


def test_pause_without_until_lasts_to_resume():
    log = Log()
    t = lambda hhmm: at(PAUSE_DAY, hhmm)  # noqa: E731
    log.event(EventKind.PAUSED, t("09:00"))
    log.event(EventKind.RESUMED, t("16:00"))
    s = summarize_day(PAUSE_DAY, log.prompts, log.events, Settings(), BERLIN)
    assert s.longest_sitting_minutes == 120  # 16:00-18:00
    assert [slot.state for slot in s.timeline[9:16]] == [HourState.PAUSED] * 7


def test_app_not_running_is_not_sitting():
    log = Log()
    t = lambda hhmm: at(PAUSE_DAY, hhmm)  # noqa: E731
    log.event(EventKind.STARTED, t("10:30"))
    log.event(EventKind.SELF_BREAK, t("11:00"))
    log.event(EventKind.STOPPED, t("12:00"))
    log.event(EventKind.STARTED, t("15:00"))
    log.event(EventKind.STOPPED, t("16:15"))
    s = summarize_day(PAUSE_DAY, log.prompts, log.events, Settings(), BERLIN)
    # observed: 10:30-12:00 cut at 11:00, and 15:00-16:15
    assert s.longest_sitting_minutes == 75
    states = {slot.start.hour: slot.state for slot in s.timeline}
    assert states[9] is HourState.UNOBSERVED
    assert states[10] is HourState.SITTING  # 30 min observed sitting against 30 min unobserved
    assert states[13] is HourState.UNOBSERVED
    assert states[16] is HourState.UNOBSERVED  # 15 min sitting, 45 min not running


# --- the empty day and days off ------------------------------------------------------------------


def test_empty_day():
    s = summarize_day(DAY, [], [], Settings(), BERLIN)
    assert (s.prompts, s.done, s.skipped, s.missed, s.natural, s.snoozes) == (0, 0, 0, 0, 0, 0)
    assert s.compliance is None
    assert (s.moved_minutes, s.stand_hours, s.longest_sitting_minutes) == (0, 0, 0)
    assert s.longest_sitting_from is None
    assert s.work_hour_slots == 9
    assert s.exercises == ()
    assert (s.squats_done, s.squat_goal) == (0, 100)
    assert s.goal is GoalStatus.NEUTRAL
    assert {slot.state for slot in s.timeline if slot.work} == {HourState.UNOBSERVED}
    assert evening_line(s) == "no prompted breaks · 0 squats · longest sit 0 min"
    data = s.as_json()
    assert data["compliance"] is None and data["longest_sitting"] is None


def test_day_off_has_no_work_hours_and_no_goal():
    saturday = date(2026, 11, 21)
    log = Log()
    log.event(EventKind.SELF_BREAK, at(saturday, "11:00"))
    s = summarize_day(saturday, log.prompts, log.events, Settings(), BERLIN)
    assert not s.workday
    assert (s.work_hour_slots, s.stand_hours, s.longest_sitting_minutes, s.squat_goal) == (0, 0, 0, 0)
    assert s.moved_minutes == 5
    assert s.timeline[11].state is HourState.MOVED
    assert s.goal is GoalStatus.NEUTRAL


# --- DST days: Berlin springs forward on 29 March and falls back on 25 October 2026 ---------------

NIGHT_SHIFT = Settings(work_start_minute=0, work_end_minute=6 * 60, workdays=frozenset(range(7)))


def test_spring_forward_day_has_23_hours():
    day = date(2026, 3, 29)
    log = Log()
    log.prompt(at(day, "00:30"), Outcome.DONE, at(day, "00:40"))
    log.prompt(at(day, "03:40"), Outcome.DONE, at(day, "03:45"))
    log.prompt(at(day, "04:55"), Outcome.DONE, at(day, "05:00"))
    s = summarize_day(day, log.prompts, log.events, NIGHT_SHIFT, BERLIN)
    assert len(s.timeline) == 23
    assert [slot.label for slot in s.timeline][:4] == ["00", "01", "03", "04"]
    # 00:00-06:00 local is five real hours
    assert s.work_hour_slots == 5
    assert s.stand_hours == 3  # 00, 03 and 05; 04 only had a prompt answered at 05:00
    # 00:40 CET to 03:45 CEST is 2 h 5 min of real time (3 h 5 min on the wall)
    assert s.longest_sitting_minutes == 125
    assert s.done == 3


def test_fall_back_day_has_25_hours():
    day = date(2026, 10, 25)
    log = Log()
    log.event(EventKind.SELF_BREAK, at(day, "02:30", fold=0))  # 00:30 UTC, summer time
    log.event(EventKind.SELF_BREAK, at(day, "02:30", fold=1))  # 01:30 UTC, winter time
    s = summarize_day(day, log.prompts, log.events, NIGHT_SHIFT, BERLIN)
    assert len(s.timeline) == 25
    assert [slot.label for slot in s.timeline][:5] == ["00", "01", "02", "02", "03"]
    assert s.work_hour_slots == 7
    assert [index for index, slot in enumerate(s.timeline) if slot.stand] == [2, 3]
    # 00:00 CEST (22:00 UTC) to the first break is 150 min; the second break to 06:00 CET is 210 min
    assert s.longest_sitting_minutes == 210
    assert s.self_breaks == 2 and s.moved_minutes == 10


def test_records_just_inside_a_dst_day_belong_to_it():
    day = date(2026, 10, 25)
    start, end = at(day, "00:00"), at(day + timedelta(days=1), "00:00")
    assert (end - start) == timedelta(hours=25)
    log = Log()
    log.prompt(start, Outcome.SKIPPED, start + timedelta(minutes=1))
    log.prompt(end - timedelta(minutes=1), Outcome.SKIPPED, end)
    log.prompt(end, Outcome.SKIPPED, end + timedelta(minutes=1))
    s = summarize_day(day, log.prompts, log.events, NIGHT_SHIFT, BERLIN)
    assert s.prompts == 2


# --- the scripted week: Monday 16 to Sunday 22 November 2026 -------------------------------------

MONDAY = date(2026, 11, 16)
TIMES = ["10:00", "11:00", "13:00", "14:00", "15:00"]


def scripted_week() -> Log:
    """Mon 4 done (100 squats); Tue 2 done 2 skipped; Wed 3 done 1 missed; Thu app off;
    Fri 2 done (100 squats) 3 skipped; Sat one self break; Sun nothing."""
    log = Log()
    plan = {
        0: [(Outcome.DONE, 25)] * 4,
        1: [(Outcome.DONE, 0), (Outcome.SKIPPED, 0)] * 2,
        2: [(Outcome.DONE, 0)] * 3 + [(Outcome.MISSED, 0)],
        4: [(Outcome.DONE, 50), (Outcome.SKIPPED, 0), (Outcome.DONE, 50), (Outcome.SKIPPED, 0), (Outcome.SKIPPED, 0)],
    }
    for offset, answers in plan.items():
        day = MONDAY + timedelta(days=offset)
        for hhmm, (outcome, squats) in zip(TIMES, answers, strict=False):
            prompted = at(day, hhmm)
            routine = "chair-squats" if squats else None
            log.prompt(prompted, outcome, prompted + timedelta(minutes=2), routine=routine, squats=squats)
    log.event(EventKind.SELF_BREAK, at(MONDAY + timedelta(days=5), "11:00"))
    return log


def test_scripted_week_per_day_and_totals():
    log = scripted_week()
    week = summarize_period("week", date(2026, 11, 19), log.prompts, log.events, Settings(), BERLIN)
    assert (week.first_day, week.last_day) == (MONDAY, MONDAY + timedelta(days=6))
    assert [d.done for d in week.days] == [4, 2, 3, 0, 2, 0, 0]
    assert [d.prompts for d in week.days] == [4, 4, 4, 0, 5, 0, 0]
    assert [d.moved_minutes for d in week.days] == [20, 10, 15, 0, 10, 5, 0]
    assert [d.squats_done for d in week.days] == [100, 0, 0, 0, 100, 0, 0]
    M, N, Z = GoalStatus.MET, GoalStatus.NOT_MET, GoalStatus.NEUTRAL
    assert [d.goal for d in week.days] == [M, N, M, Z, M, Z, Z]
    assert (week.prompts, week.done, week.skipped, week.missed, week.natural) == (17, 11, 5, 1, 0)
    assert week.compliance == pytest.approx(11 / 17)
    assert week.days_meeting_goal == 3
    data = week.as_json(date(2026, 11, 19))
    assert data["squats"] == {"done": 200, "goal": 500, "period_goal": 500}
    assert data["moved_minutes"] == 60
    assert data["date"] == "2026-11-19" and data["from"] == "2026-11-16" and data["to"] == "2026-11-22"
    assert len(data["days"]) == 7


def test_streak_passes_over_neutral_days_and_stops_at_a_missed_goal():
    log = scripted_week()
    sunday = MONDAY + timedelta(days=6)
    statuses = goal_statuses(MONDAY, sunday, log.prompts, Settings(), BERLIN)
    M, N, Z = GoalStatus.MET, GoalStatus.NOT_MET, GoalStatus.NEUTRAL
    assert statuses == [Z, Z, M, Z, M, N, M]  # newest first
    assert count_streak(statuses) == (2, True)
    assert count_streak(statuses[-1:]) == (1, False)
    # on Friday evening, Friday counts; on Friday morning (nothing answered yet) it is neutral
    friday = MONDAY + timedelta(days=4)
    morning = at(friday, "08:00")
    early = goal_statuses(MONDAY, friday, [p for p in log.prompts if p.prompted_at < morning], Settings(), BERLIN, now=morning)
    assert early[0] is Z and count_streak(early) == (1, True)


def test_month_has_every_day():
    log = scripted_week()
    month = summarize_period("month", MONDAY, log.prompts, log.events, Settings(), BERLIN)
    assert (month.first_day, month.last_day) == (date(2026, 11, 1), date(2026, 11, 30))
    assert len(month.days) == 30
    assert month.done == 11
    assert period_bounds("month", date(2028, 2, 10)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert period_bounds("month", date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_system_local_zone_when_tz_is_none():
    log = scripted_day()
    s = summarize_day(DAY, log.prompts, log.events, Settings(), None)
    assert s.prompts + 0 <= 6  # whatever the machine's zone, nothing breaks
    assert len(s.timeline) in (23, 24, 25)


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0 min"), (45, "45 min"), (60, "1 h"), (100, "1 h 40 min"), (125, "2 h 5 min")]
)
def test_format_minutes(minutes, text):
    assert format_minutes(minutes) == text


def test_json_contract_keys():
    log = scripted_day()
    data = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN, streak_days=3).as_json()
    for key in (
        "date", "prompts", "done", "skipped", "missed", "natural", "snoozes", "compliance",
        "moved_minutes", "stand_hours", "longest_sitting_minutes", "squats", "streak_days",
    ):
        assert key in data
    assert data["date"] == "2026-11-17"
    assert data["compliance"] == 0.6667
    assert data["squats"] == {"done": 72, "goal": 100}
    assert data["streak_days"] == 3
    assert data["longest_sitting"] == {"from": "2026-11-17T12:40:00+00:00", "to": "2026-11-17T14:45:00+00:00"}


def test_exercises_are_named_as_the_prompt_showed_them():
    log = Log()
    first = log.prompt(at(DAY, "10:00"), Outcome.DONE, at(DAY, "10:04"), routine="chair-squat", sets=2, reps=10)
    log.events[-2] = EventRecord(log.events[-2].id, first.prompted_at, EventKind.PROMPTED, first.id,
                                 {"suggestion": {"routine_id": "chair-squat", "name": "Chair squats"}})
    log.prompt(at(DAY, "11:04"), Outcome.DONE, at(DAY, "11:10"), routine="calf-raise", sets=2, reps=15)
    summary = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    assert [(e.routine, e.name, e.reps) for e in summary.exercises] == [
        ("calf-raise", "calf-raise", 30), ("chair-squat", "Chair squats", 20)]


# --- counts in words and the squat bar -----------------------------------------------------------


@pytest.mark.parametrize(("count", "text"), [(0, "0 prompts"), (1, "1 prompt"), (2, "2 prompts")])
def test_counted_words_agree_with_the_number(count, text):
    from standup.core.words import counted

    assert counted(count, "prompt") == text
    assert counted(count, "day") == text.replace("prompt", "day")


def test_evening_line_at_one():
    log = Log()
    log.prompt(at(DAY, "10:00"), Outcome.DONE, at(DAY, "10:04"), routine="chair-squats", sets=1, reps=1, squats=1)
    log.event(EventKind.SELF_BREAK, at(DAY, "11:00"))
    s = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    assert evening_line(s).startswith("1 of 1 break + 1 of your own · 1 squat · longest sit")


@pytest.mark.parametrize(
    ("done", "goal", "steps", "filled"),
    [(96, 100, 10, 9), (99, 100, 10, 9), (100, 100, 10, 10), (150, 100, 10, 10), (99, 100, 100, 99), (0, 100, 10, 0),
     (5, 0, 10, 0)],
)
def test_a_goal_bar_is_full_only_at_the_goal(done, goal, steps, filled):
    from standup.core.summary import filled_steps

    assert filled_steps(done, goal, steps) == filled


# --- a period in progress: days still to come add neither figures nor targets ---------------------

TUESDAY = MONDAY + timedelta(days=1)


def log_until(log: Log, now: datetime) -> Log:
    """What the log holds at `now`: the records before it."""
    return Log([p for p in log.prompts if p.prompted_at < now], [e for e in log.events if e.at < now])


def test_a_tuesday_counts_two_days_of_its_week():
    now = at(TUESDAY, "20:00")
    log = log_until(scripted_week(), now)
    week = summarize_period("week", TUESDAY, log.prompts, log.events, Settings(), BERLIN, now=now)
    assert [d.status.value for d in week.days] == ["past", "today"] + ["coming"] * 5
    assert [d.date for d in week.counted_days] == [MONDAY, TUESDAY]
    data = week.as_json(TUESDAY)
    assert (data["days_counted"], data["days_coming"]) == (2, 5)
    # Monday 4 done (100 squats), Tuesday 2 done 2 skipped: two days' targets, not seven
    assert data["squats"] == {"done": 100, "goal": 200, "period_goal": 500}
    assert (data["stand_hours"], data["work_hour_slots"]) == (6, 18)
    assert (data["prompts"], data["done"], data["skipped"], data["compliance"]) == (8, 6, 2, 0.75)
    assert [d["status"] for d in data["days"]] == ["past", "today"] + ["coming"] * 5
    assert data["days"][4]["squats"] == {"done": 0, "goal": 100}  # a coming day keeps its own goal


def test_the_first_of_the_month_counts_one_day():
    first = date(2026, 12, 1)  # a Tuesday; December 2026 has 23 workdays
    now = at(first, "10:30")
    log = Log()
    log.prompt(at(first, "10:00"), Outcome.DONE, at(first, "10:05"), routine="chair-squats", sets=8, reps=12, squats=96)
    month = summarize_period("month", first, log.prompts, log.events, Settings(), BERLIN, now=now)
    data = month.as_json(first)
    assert (data["days_counted"], data["days_coming"], len(data["days"])) == (1, 30, 31)
    assert data["squats"] == {"done": 96, "goal": 100, "period_goal": 2300}
    assert (data["stand_hours"], data["work_hour_slots"]) == (1, 9)


def test_a_past_period_counts_every_day():
    log = scripted_week()
    week = summarize_period("week", MONDAY, log.prompts, log.events, Settings(), BERLIN, now=at(date(2026, 12, 1), "09:00"))
    data = week.as_json(MONDAY)
    assert (data["days_counted"], data["days_coming"]) == (7, 0)
    assert data["squats"] == {"done": 200, "goal": 500, "period_goal": 500}
    assert {d["status"] for d in data["days"]} == {"past"}


# --- "goal met" says which goal ---------------------------------------------------------------------


def test_each_day_names_the_goals_it_met():
    from standup.core.summary import goal_met_words

    log = scripted_week()
    week = summarize_period("week", MONDAY, log.prompts, log.events, Settings(), BERLIN)
    assert [d.goals_met for d in week.days] == [("breaks", "squats"), (), ("breaks",), (), ("squats",), (), ()]
    assert [d["goals_met"] for d in week.as_json(MONDAY)["days"]] == [
        ["breaks", "squats"], [], ["breaks"], [], ["squats"], [], []]
    assert [goal_met_words(d) for d in week.days] == [
        "goal met: 4 of 4 breaks (100 %) and 100 squats", "", "goal met: 3 of 4 breaks (75 %)", "",
        "goal met: 100 squats", "", ""]


def test_fifty_two_squats_and_four_of_five_breaks_meet_the_breaks_goal():
    from standup.core.summary import goal_met_words

    log = Log()
    for hhmm, outcome in zip(TIMES, [Outcome.DONE] * 4 + [Outcome.SKIPPED], strict=True):
        log.prompt(at(DAY, hhmm), outcome, at(DAY, hhmm) + timedelta(minutes=2), squats=13 if outcome is Outcome.DONE else 0)
    s = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    assert (s.squats_done, s.squat_goal, s.goal) == (52, 100, GoalStatus.MET)
    assert goal_met_words(s) == "goal met: 4 of 5 breaks (80 %)"
    assert s.as_json()["goals_met"] == ["breaks"]
