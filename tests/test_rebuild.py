"""Rebuilding the service's state from log records alone: no store, no clock, no service."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from standup.core.model import EventKind, EventRecord, PromptRecord, utc_text
from standup.service.rebuild import LogFacts, rebuild

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def at(minutes_ago: float) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)


def event(id: int, minutes_ago: float, kind: EventKind, prompt_id: int | None = None, **data: object) -> EventRecord:
    return EventRecord(id, at(minutes_ago), kind, prompt_id, dict(data))


def rebuilt(**facts: object):  # noqa: ANN201
    return rebuild(LogFacts(**facts), NOW, break_minutes=5, interval_minutes=60)  # type: ignore[arg-type]


def test_an_empty_log_starts_the_sitting_clock_now():
    state = rebuilt()
    assert (state.sitting_since, state.pause, state.open, state.not_before) == (NOW, None, None, None)


def test_after_a_crash_the_sitting_clock_runs_from_the_later_of_the_last_start_and_the_last_movement():
    start = event(1, 90, EventKind.STARTED)
    assert rebuilt(last_start_or_stop=start, last_start=start,
                   last_movement=event(2, 30, EventKind.DONE)).sitting_since == at(30)
    assert rebuilt(last_start_or_stop=start, last_start=start,
                   last_movement=event(0, 200, EventKind.DONE)).sitting_since == at(90)


def test_a_natural_break_counts_from_when_the_user_came_back():
    start = event(1, 90, EventKind.STARTED)
    natural = event(2, 40, EventKind.NATURAL, away_from=utc_text(at(60)), back_at=utc_text(at(45)))
    assert rebuilt(last_start_or_stop=start, last_start=start, last_movement=natural).sitting_since == at(45)


def test_a_clean_stop_a_break_ago_means_nobody_sat_meanwhile():
    start, stop = event(1, 200, EventKind.STARTED), event(2, 6, EventKind.STOPPED)
    assert rebuilt(last_start_or_stop=stop, last_start=start).sitting_since == NOW
    short_stop = event(2, 4, EventKind.STOPPED)
    assert rebuilt(last_start_or_stop=short_stop, last_start=start).sitting_since == at(200)


def test_a_pause_still_running_is_kept_and_one_that_ended_is_not():
    running = event(3, 10, EventKind.PAUSED, until=utc_text(at(-20)), minutes=30)
    state = rebuilt(last_pause_or_resume=running)
    assert state.pause is not None and state.pause.until == at(-20) and state.pause.relative
    tomorrow = event(3, 10, EventKind.PAUSED, until=utc_text(at(-600)))
    assert rebuilt(last_pause_or_resume=tomorrow).pause.relative is False  # type: ignore[union-attr]
    assert rebuilt(last_pause_or_resume=event(3, 90, EventKind.PAUSED, until=utc_text(at(30)))).pause is None
    assert rebuilt(last_pause_or_resume=event(4, 5, EventKind.RESUMED)).pause is None


def test_the_open_prompt_comes_back_with_its_suggestion_snoozes_and_showings():
    record = PromptRecord(7, at(20))
    suggestion = {"routine_id": "squats", "name": "Chair squats", "sets": 2, "reps": 10}
    events = [
        event(10, 20, EventKind.PROMPTED, 7, suggestion=suggestion),
        event(11, 15, EventKind.SNOOZED, 7, minutes=10, until=utc_text(at(5))),
        event(12, 5, EventKind.RESHOWN, 7, after="snooze"),
        event(13, 3, EventKind.SNOOZED, 7, minutes=10, until=utc_text(at(-7))),
    ]
    state = rebuilt(open_prompt=record, open_prompt_events=events)
    assert state.open is not None
    view = state.open.view
    assert (view.id, view.snoozes, view.snoozed_until, view.reshown) == (7, 2, at(-7), True)
    assert view.suggestion is not None and view.suggestion.name == "Chair squats"
    assert state.open.last_shown_at == at(5) and not state.open.reminded


def test_a_damaged_suggestion_still_reopens_the_prompt_without_one():
    events = [event(10, 20, EventKind.PROMPTED, 7, suggestion={"no such field": 1})]
    state = rebuilt(open_prompt=PromptRecord(7, at(20)), open_prompt_events=events)
    assert state.open is not None and state.open.view.suggestion is None and state.open.last_shown_at == at(20)


def test_a_skip_keeps_the_next_prompt_an_interval_away_and_a_miss_until_it_ended():
    start = event(1, 90, EventKind.STARTED)
    base = {"last_start_or_stop": start, "last_start": start}
    assert rebuilt(**base, last_skip_or_miss=event(5, 10, EventKind.SKIPPED)).not_before == at(10) + timedelta(hours=1)
    assert rebuilt(**base, last_skip_or_miss=event(5, 10, EventKind.MISSED)).not_before == at(10)
    # one from before the sitting clock started again no longer counts
    assert rebuilt(**base, last_movement=event(6, 5, EventKind.DONE),
                   last_skip_or_miss=event(5, 10, EventKind.MISSED)).not_before is None
