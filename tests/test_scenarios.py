"""Scenario tests that read like a day: the real service and log on a fake clock.

2026-11-23 is a Monday; default settings: every 60 min, 09:00-18:00, Mon-Fri, snooze 10, break 5.
"""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from standup.core import policy
from standup.core.model import State
from tests.day import Day, settings


def test_first_prompt_comes_one_interval_after_work_starts(tmp_path):
    day = Day(tmp_path, "2026-11-23 08:00")
    day.until("09:59")
    assert day.seen.prompt_times() == []
    day.until("10:00")
    assert day.seen.prompt_times() == ["10:00"]
    assert day.service.status().state is State.PROMPTING


def test_done_restarts_the_sitting_clock(tmp_path):
    day = Day(tmp_path)  # 09:00 start
    day.until("10:00")  # prompt
    day.minutes(4)
    day.service.done()  # 10:04
    day.until("11:03")
    assert day.log() == [("10:00", "done")]
    day.until("11:04")
    assert day.seen.prompt_times() == ["10:00", "11:04"]


def test_snooze_shows_the_prompt_again_after_snooze_minutes(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.service.snooze()
    assert day.service.status().state is State.SNOOZED
    day.until("10:09")
    assert day.seen.shown == [("10:00", 1, False)]
    day.until("10:10")
    assert day.seen.shown == [("10:00", 1, False), ("10:10", 1, True)]
    day.service.done()
    [record] = day.store.prompts_between(day.clock.at("00:00"), day.clock.at("23:59"))
    assert (record.outcome.value, record.snoozes) == ("done", 1)


def test_skip_waits_for_the_next_interval_instead_of_asking_again(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.minutes(2)
    day.service.skip()  # 10:02
    day.until("10:59")
    assert day.log() == [("10:00", "skipped")]
    day.until("11:00")
    assert day.log() == [("10:00", "skipped"), ("11:00", None)]


def test_unanswered_prompt_is_reminded_once_then_missed_when_the_next_is_due(tmp_path):
    day = Day(tmp_path)
    day.until("11:00")
    assert day.seen.shown == [("10:00", 1, False), ("10:30", 1, True), ("11:00", 2, False)]
    assert day.log() == [("10:00", "missed"), ("11:00", None)]
    assert day.seen.closed == [("11:00", 1, "missed")]


def test_pause_for_an_hour_delays_the_prompt_to_its_end(tmp_path):
    day = Day(tmp_path)
    day.until("09:30")
    day.service.pause(minutes=60)
    assert day.service.status().state is State.PAUSED
    day.until("10:29")
    assert day.seen.prompt_times() == []
    day.until("10:30")
    assert day.seen.prompt_times() == ["10:30"]  # sat since 09:00: asked as soon as the pause ends


def test_pause_until_tomorrow_sets_the_open_prompt_aside_and_resumes_next_morning(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.service.pause(until_tomorrow=True)
    assert day.log() == [("10:00", "paused")]
    day.until("23:59")
    assert day.seen.prompt_times() == ["10:00"]
    day.until("10:00", "2026-11-24")
    assert day.seen.prompt_times() == ["10:00", "10:00"]
    assert day.log("2026-11-24") == [("10:00", None)]


def test_resume_ends_a_pause_early(tmp_path):
    day = Day(tmp_path)
    day.until("10:30")
    day.service.pause(minutes=120)
    day.minutes(10)
    day.service.resume()  # 10:40, sat since 09:00: asked at once
    assert day.seen.prompt_times() == ["10:00", "10:40"]


def test_suspend_for_three_hours_gives_one_prompt_not_three(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.minutes(5)
    day.clock.suspend(hours=3)  # 10:05 -> 13:05, the machine asleep
    day.service.on_suspend(3 * 3600)
    day.until("13:30")
    assert day.log() == [("10:00", "missed"), ("13:05", None)]
    assert day.seen.prompt_times() == ["10:00", "13:05"]


def test_suspend_stops_the_sitting_clock(tmp_path):
    day = Day(tmp_path)
    day.until("09:30")
    day.clock.suspend(hours=3)  # 09:30 -> 12:30; 30 minutes sat before
    day.service.on_suspend(3 * 3600)
    day.until("12:59")
    assert day.seen.prompt_times() == []
    day.until("13:00")
    assert day.seen.prompt_times() == ["13:00"]


def test_clock_stepped_back_an_hour_neither_stalls_nor_repeats(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.service.done()
    day.until("10:30")
    day.clock.step(hours=-1)  # now reads 09:30; 30 minutes sat since the break
    day.service.on_clock_step(-3600)
    day.until("09:59")
    assert day.seen.prompt_times() == ["10:00"]
    day.until("10:00")  # 60 real minutes after the break
    assert day.seen.prompt_times() == ["10:00", "10:00"]


def test_clock_stepped_forward_keeps_the_sitting_time(tmp_path):
    day = Day(tmp_path)
    day.until("09:20")
    day.clock.step(hours=1)  # reads 10:20 after 20 minutes of sitting
    day.service.on_clock_step(3600)
    day.until("10:59")
    assert day.seen.prompt_times() == []
    day.until("11:00")
    assert day.seen.prompt_times() == ["11:00"]


def test_dst_end_day_keeps_the_sitting_interval_in_real_minutes(tmp_path):
    # Europe/Berlin leaves summer time on 2026-10-25 at 03:00 CEST -> 02:00 CET.
    every_day = settings(workdays=frozenset(range(7)), work_start_minute=0, work_end_minute=6 * 60)
    day = Day(tmp_path, "2026-10-25 00:00", every_day)
    day.until("06:00")
    assert day.seen.prompt_times() == ["01:00", "02:00", "02:00", "03:00", "04:00", "05:00"]
    expected = policy.expected_prompt_times(day.clock.local().date(), every_day, day.clock.tz)
    assert len(expected) == 6


def test_dst_start_day_has_a_23_hour_day(tmp_path):
    every_day = settings(workdays=frozenset(range(7)))
    day = Day(tmp_path, "2026-03-29 08:00", every_day)
    day.until("18:00")
    assert day.seen.prompt_times() == [f"{h}:00" for h in range(10, 18)]
    start, end = policy.day_bounds_utc(day.clock.local().date(), day.clock.tz)
    assert end - start == timedelta(hours=23)


def test_work_hours_end_misses_the_open_prompt_and_nothing_comes_after(tmp_path):
    day = Day(tmp_path)
    day.until("17:00")
    day.service.done()
    day.until("17:30")
    day.service.take_break()  # 17:30 asked by hand, never answered
    day.until("23:00")
    assert day.log()[-1] == ("17:30", "missed")
    [*_, last_closed] = day.seen.closed
    assert last_closed == ("18:00", 9, "missed")  # prompts 10:00..17:00 are ids 1-8
    assert day.service.status().state is State.OFF_HOURS
    assert max(day.seen.prompt_times()) == "17:30"


def test_weekend_has_no_prompts(tmp_path):
    day = Day(tmp_path, "2026-11-21 08:00")  # Saturday
    day.until("10:00", "2026-11-23")  # through Sunday to Monday 10:00
    assert day.seen.prompt_times() == ["10:00"]
    assert day.log("2026-11-21") == [] and day.log("2026-11-22") == []


def test_self_started_break_restarts_the_sitting_clock(tmp_path):
    day = Day(tmp_path)
    day.until("09:40")
    answer = day.service.done()
    assert answer.action == "self_break"
    day.until("10:39")
    assert day.seen.prompt_times() == []
    day.until("10:40")
    assert day.seen.prompt_times() == ["10:40"]


def test_natural_break_answers_the_open_prompt(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    away_from = day.clock.now() + timedelta(minutes=1)
    day.service.user_away(away_from)
    day.until("10:20")
    assert day.log() == [("10:00", None)]  # waits for the user's return
    day.service.user_back(day.clock.now())
    assert day.log() == [("10:00", "natural")]
    day.until("11:19")
    assert day.seen.prompt_times() == ["10:00"]
    day.until("11:20")
    assert day.seen.prompt_times() == ["10:00", "11:20"]


def test_a_prompt_due_while_away_briefly_waits_for_the_return(tmp_path):
    day = Day(tmp_path)
    day.until("09:58")
    day.service.user_away(day.clock.now())
    day.until("10:01")
    assert day.seen.prompt_times() == []
    day.service.user_back(day.clock.now())  # 3 minutes: not a break
    assert day.seen.prompt_times() == ["10:01"]


def test_fullscreen_hold_delivers_one_prompt_when_it_ends(tmp_path):
    day = Day(tmp_path)
    day.until("09:30")
    day.service.hold("fullscreen")
    day.until("12:00")
    assert day.seen.prompt_times() == []
    day.service.release("fullscreen")
    assert day.seen.prompt_times() == ["12:00"]


def test_align_to_clock_prompts_on_the_hour(tmp_path):
    day = Day(tmp_path, "2026-11-23 09:00", settings(align_to_clock=True))
    day.until("10:00")
    day.minutes(5)
    day.service.done()  # 10:05 -> still 11:00
    day.until("11:00")
    day.minutes(2)
    day.service.done()  # 11:02
    day.until("11:40")
    day.service.done()  # a break of one's own at 11:40: 12:00 is too soon, so 13:00
    day.until("13:00")
    assert day.seen.prompt_times() == ["10:00", "11:00", "13:00"]


def test_restart_keeps_the_open_prompt_instead_of_duplicating_it(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.minutes(10)
    day.restart()
    assert day.log() == [("10:00", None)]
    assert day.service.status().open_prompt.id == 1
    day.service.done()
    assert day.log() == [("10:00", "done")]


def test_restart_after_hours_down_resolves_the_prompt_by_the_rules(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.clock.advance(hours=2)  # the app was dead from 10:00 to 12:00
    day.restart()
    assert day.log() == [("10:00", "missed"), ("12:00", None)]


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_a_full_day_answered_at_random_closes_every_prompt_exactly_once(tmp_path_factory, seed):
    rng = random.Random(seed)
    day = Day(tmp_path_factory.mktemp("day"))
    while day.clock.local().strftime("%H:%M") < "18:30":
        day.minutes(rng.choice([1, 3, 7, 15]))
        status = day.service.status()
        if status.open_prompt is not None:
            action = rng.choice(["done", "snooze", "skip", "ignore", "ignore"])
            if action == "done":
                day.service.done()
            elif action == "snooze":
                day.service.snooze()
            elif action == "skip":
                day.service.skip()
    log = day.log()
    assert log and all(outcome in {"done", "skipped", "missed", "natural"} for _, outcome in log)
    assert all("09:00" < at < "18:00" for at, _ in log)
    closed_ids = [prompt_id for _, prompt_id, _ in day.seen.closed]
    assert len(closed_ids) == len(set(closed_ids)) == len(log)
    assert len(log) <= 9


def test_quick_clean_restart_keeps_the_sitting_time(tmp_path):
    day = Day(tmp_path)
    day.until("09:50")
    day.service.stop()
    day.minutes(1)
    day.restart()
    day.until("09:59")
    assert day.seen.prompt_times() == []
    day.until("10:00")
    assert day.seen.prompt_times() == ["10:00"]


def test_start_after_a_long_clean_stop_starts_the_sitting_clock_afresh(tmp_path):
    day = Day(tmp_path)
    day.until("09:50")
    day.service.stop()
    day.clock.set(day.clock.at("12:00"))  # the computer was off over lunch
    day.restart()
    day.until("12:59")
    assert day.seen.prompt_times() == []
    day.until("13:00")
    assert day.seen.prompt_times() == ["13:00"]


def test_evening_note_sums_up_the_day_when_work_ends(tmp_path):
    notes = []

    class Notes:
        def evening_note(self, text):  # noqa: ANN001
            notes.append((day.clock.local().strftime("%H:%M"), text))

    day = Day(tmp_path)
    day.evening.add_reader(Notes())
    day.until("10:00")
    day.service.done()
    day.until("11:00")
    day.service.skip()
    day.until("17:59")
    assert notes == []
    day.until("18:00", )
    [(at, text)] = notes
    assert at == "18:00"
    # 10:00 done, 11:00 skipped, then 12:00..17:00 each missed: 1 of 8 breaks
    assert text.startswith("1 of 8 breaks")
    day.until("23:00")
    assert len(notes) == 1


def test_no_evening_note_when_switched_off(tmp_path):
    notes = []

    class Notes:
        def evening_note(self, text):  # noqa: ANN001
            notes.append(text)

    day = Day(tmp_path, settings=settings(evening_note=False))
    day.evening.add_reader(Notes())
    day.until("19:00")
    assert notes == []


class _EveningNotes:
    def __init__(self, day: Day) -> None:
        self.day, self.times = day, []

    def evening_note(self, text):  # noqa: ANN001
        self.times.append(self.day.clock.local().strftime("%a %H:%M"))


def test_round_the_clock_hours_carry_a_snoozed_prompt_and_the_sitting_clock_over_midnight(tmp_path):
    all_week = settings(interval_minutes=30, snooze_minutes=1, work_start_minute=0, work_end_minute=24 * 60,
                        workdays=frozenset(range(7)))
    day = Day(tmp_path, "2026-11-23 23:20", settings=all_week)  # Monday night
    notes = _EveningNotes(day)
    day.evening.add_reader(notes)
    day.until("23:50")  # prompt
    day.until("23:59")
    day.minutes(0.5)
    day.service.snooze()  # until 00:00:30 Tuesday
    day.until("00:00", "2026-11-24")
    assert day.service.status().state is State.SNOOZED  # midnight is not the end of work
    day.until("00:01", "2026-11-24")
    assert day.seen.shown == [("23:50", 1, False), ("00:00", 1, True)]
    day.service.done()
    day.until("00:31", "2026-11-24")
    assert day.seen.prompt_times() == ["23:50", "00:31"]
    assert day.log("2026-11-23") == [("23:50", "done")] and notes.times == []


def test_work_until_midnight_before_a_day_off_ends_at_midnight(tmp_path):
    until_midnight = settings(work_start_minute=0, work_end_minute=24 * 60)  # Mon-Fri
    day = Day(tmp_path, "2026-11-27 23:00", settings=until_midnight)  # Friday
    notes = _EveningNotes(day)
    day.evening.add_reader(notes)
    day.until("23:30")
    day.service.take_break()  # never answered
    day.until("01:00", "2026-11-28")
    assert day.log("2026-11-27")[-1] == ("23:30", "missed")
    assert notes.times == ["Sat 00:00"] and day.service.status().state is State.OFF_HOURS
