"""Scenario tests for the accounting of a day: pausing with a prompt open, and breaks in the log.

2026-11-23 is a Monday; default settings: every 60 min, 09:00-18:00, Mon-Fri, snooze 10, break 5.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

from standup.adapters.schema import MIGRATIONS
from standup.adapters.store import Store
from standup.core import policy
from standup.core.model import EventKind, Outcome
from standup.core.summary import summarize_day
from standup.desktop.presence import PresenceWatch
from tests.day import Day, settings
from tests.desktop_fakes import ScriptedIdle
from tests.test_cli import Shell


def _summary(day: Day):  # noqa: ANN202
    local_day = day.clock.local().date()
    start, end = policy.day_bounds_utc(local_day, day.clock.tz)
    return summarize_day(local_day, day.store.prompts_between(start, end), day.store.events_between(start, end),
                         day.settings, day.clock.tz, now=day.clock.now())


def test_pausing_with_a_prompt_open_sets_it_aside_without_lowering_compliance(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")  # prompt 1
    day.service.done()
    day.until("11:00")  # prompt 2, left open
    before = _summary(day)
    assert (before.done, before.open, before.compliance) == (1, 1, 1.0)
    day.minutes(5)
    day.service.pause(minutes=30)  # 11:05
    assert day.log() == [("10:00", "done"), ("11:00", "paused")]
    assert day.seen.closed[-1] == ("11:05", 2, "paused")
    after = _summary(day)
    assert (after.done, after.skipped, after.paused, after.open, after.compliance) == (1, 0, 1, 0, 1.0)
    assert after.as_json()["paused"] == 1
    assert day.service.status().today["paused"] == 1
    [closing] = [e for e in day.store.events_between(day.clock.at("11:00"), day.clock.at("12:00"))
                 if e.prompt_id == 2 and e.kind is EventKind.PROMPT_PAUSED]
    assert closing.data == {"until": "2026-11-23T10:35:00+00:00"}  # 11:35 in Berlin


def test_a_snoozed_prompt_paused_is_not_skipped_and_the_next_comes_when_the_pause_ends(tmp_path):
    day = Day(tmp_path)
    day.until("10:00")
    day.service.snooze()
    day.minutes(3)
    day.service.pause(minutes=60)  # 10:03
    assert day.log() == [("10:00", "paused")]
    day.restart()  # the pause and the set-aside prompt survive a restart; no skip keeps the next one away
    day.until("11:02")
    assert day.seen.prompt_times() == ["10:00"]
    day.until("11:03")
    assert day.seen.prompt_times() == ["10:00", "11:03"]


def test_a_log_written_before_paused_prompts_opens_and_takes_them(tmp_path):
    path = tmp_path / "standup.db"
    db = sqlite3.connect(path, isolation_level=None)
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO prompts (id, prompted_at, outcome, answered_at) VALUES "
               "(1, '2026-11-23T09:00:00+00:00', 'skipped', '2026-11-23T09:04:00+00:00'), "
               "(2, '2026-11-23T10:00:00+00:00', NULL, NULL)")
    db.execute("INSERT INTO events (at, kind, prompt_id) VALUES ('2026-11-23T09:00:00+00:00', 'prompted', 1), "
               "('2026-11-23T10:00:00+00:00', 'prompted', 2)")
    db.close()
    reader = Store.open(path, readonly=True)  # a reader never migrates
    assert reader.schema_version() == 1 and reader.open_prompt().id == 2
    reader.close()
    store = Store.open(path)
    assert store.schema_version() == len(MIGRATIONS) == 2
    assert store.close_prompt(2, Outcome.PAUSED, store.open_prompt().prompted_at)
    day_bounds = policy.day_bounds_utc(date(2026, 11, 23), timezone.utc)
    assert [(p.id, p.outcome) for p in store.prompts_between(*day_bounds)] == [(1, Outcome.SKIPPED), (2, Outcome.PAUSED)]
    assert store.integrity_check() == "ok"
    assert store._db.execute("PRAGMA foreign_key_check").fetchall() == []
    with_prompt = store._db.execute("SELECT count(*) FROM events WHERE prompt_id IS NOT NULL").fetchone()[0]
    assert with_prompt == 3  # the two prompted events and the closing one still point at their prompts
    store.close()


def test_repair_keeps_the_prompts_a_pause_set_aside(tmp_path):
    from standup.adapters.repair import repair_log
    from tests.test_repair import T0, damage_the_events_table

    path = tmp_path / "standup.db"
    store = Store.open(path)
    for hour in range(200):
        at = T0 + timedelta(hours=hour)
        prompt = store.add_prompt(at, None)
        store.close_prompt(prompt.id, Outcome.PAUSED if hour % 2 else Outcome.DONE, at + timedelta(minutes=2),
                           {"until": "2026-11-23T12:00:00+00:00"})
    store.close()
    damage_the_events_table(path)
    repair = repair_log(path, T0 + timedelta(days=30))
    assert repair.kept_as is not None and repair.prompts == 200
    fresh = Store.open(path, readonly=True)
    outcomes = [p.outcome for p in fresh.prompts_between(T0, T0 + timedelta(days=30))]
    assert (outcomes.count(Outcome.PAUSED), outcomes.count(Outcome.DONE)) == (100, 100)
    fresh.close()


def test_the_log_lists_natural_breaks_and_breaks_of_ones_own_between_the_prompts(tmp_path):
    day = Day(tmp_path, settings=settings(break_minutes=2))
    day.until("10:00")  # prompt 1
    day.service.user_away(day.clock.at("10:02"))
    day.until_instant(day.clock.at("10:04") + timedelta(seconds=45))
    day.service.user_back(day.clock.now())  # answers prompt 1
    day.until("10:30")
    day.service.user_away(day.clock.at("10:30"))
    day.until("10:41")
    day.service.user_back(day.clock.now())  # 11 minutes away, no prompt open
    day.until("11:20")
    day.service.done()  # a break of one's own: no prompt is open
    day.until("12:30")  # prompt 2 at 12:20, not answered yet
    shell = Shell(tmp_path, day.clock)
    shell.paths.config_file.write_text("break_minutes = 2\n")
    code, text, _ = shell("log")
    assert code == 0
    assert text.splitlines() == [
        "10:00  #1    natural  at 10:04",
        "10:02  break natural  10:02:00–10:04:45, away 2 min 45 s (answered #1)",
        "10:30  break natural  10:30:00–10:41:00, away 11 min",
        "11:20  break own      logged 11:20:00, counted as 2 min",
        "12:20  #2    open",
    ]
    document = shell.json("log")
    assert [(p["id"], p["outcome"]) for p in document["prompts"]] == [(1, "natural"), (2, None)]
    assert [(b["kind"], b["start"], b["end"], b["seconds"], b["prompt_id"]) for b in document["breaks"]] == [
        ("natural", "2026-11-23T09:02:00+00:00", "2026-11-23T09:04:45+00:00", 165, 1),
        ("natural", "2026-11-23T09:30:00+00:00", "2026-11-23T09:41:00+00:00", 660, None),
        ("self_break", "2026-11-23T10:20:00+00:00", None, 120, None),
    ]


def test_a_natural_break_written_without_its_span_is_the_break_length_before_it():
    from standup.core.breaks import breaks_in, length_text
    from standup.core.model import EventRecord
    from tests.fakes import local_start

    at = local_start("2026-11-23", "10:00").astimezone(timezone.utc)
    [old] = breaks_in([EventRecord(7, at, EventKind.NATURAL, data={})], break_minutes=5)
    assert (old.start, old.end, old.seconds) == (at - timedelta(minutes=5), at, 300)
    assert [length_text(s) for s in (45, 165, 720, 3900, 0)] == ["45 s", "2 min 45 s", "12 min", "1 h 5 min", "0 s"]


# -- natural breaks, dated by the idle time both ways --------------------------------------------


class Desk:
    """The service with its presence watch on the same fake clock, each run when it asked to be."""

    def __init__(self, day: Day) -> None:
        self.day = day
        self.idle = ScriptedIdle(day.clock)
        self.watch = PresenceWatch(day.service, day.clock, self.idle, day.settings.break_minutes)
        self.next_check = day.clock.now()
        self.backs: list[tuple[datetime, bool]] = []  # (clock time of each check, away after it)

    def until(self, hhmm: str, second: int = 0) -> None:
        clock, service = self.day.clock, self.day.service
        target = clock.at(hhmm) + timedelta(seconds=second)
        while True:
            decision = service.next_decision_at()
            due = min(self.next_check, decision) if decision is not None else self.next_check
            if due > target:
                break
            clock.set(max(due, clock.now()))
            if clock.now() >= self.next_check:
                self.next_check = clock.now() + timedelta(seconds=self.watch.check())
                self.backs.append((clock.now(), self.watch.away))
            service.tick()
        clock.set(target)

    def noticed_back_at(self) -> datetime:
        return next(at for (at, away), (_, was_away) in zip(self.backs[1:], self.backs) if was_away and not away)


def at(day: Day, hhmm: str, second: int = 0) -> datetime:
    return day.clock.at(hhmm) + timedelta(seconds=second)


def test_a_natural_break_is_dated_by_the_idle_time_and_noticed_within_30_seconds(tmp_path):
    day = Day(tmp_path, settings=settings(break_minutes=2))
    desk = Desk(day)
    desk.idle.typing(at(day, "09:00"), at(day, "10:02"))  # works, sees the 10:00 prompt, leaves at 10:02
    desk.idle.press(at(day, "10:04", 45))  # back: a nudge of the mouse at 10:04:45 ...
    desk.idle.typing(at(day, "10:05", 5), at(day, "10:30"))  # ... and typing again from 10:05:05
    desk.until("10:04", 30)
    assert day.service.status().away  # idle for the break's 2 minutes: away since 10:02
    desk.until("10:05", 15)
    assert not day.service.status().away
    assert at(day, "10:04", 45) < desk.noticed_back_at() <= at(day, "10:05", 15)
    assert day.log() == [("10:00", "natural")]
    [natural] = [e for e in day.store.events_between(at(day, "10:00"), at(day, "10:06")) if e.kind is EventKind.NATURAL]
    assert natural.data == {"away_from": "2026-11-23T09:02:00+00:00", "back_at": "2026-11-23T09:04:45+00:00"}
    summary = _summary(day)
    assert (summary.natural, summary.natural_breaks, summary.moved_minutes) == (1, 1, 3)  # 2¾ min, to whole minutes
    shell = Shell(tmp_path, day.clock)
    shell.paths.config_file.write_text("break_minutes = 2\n")
    assert "10:02  break natural  10:02:00–10:04:45, away 2 min 45 s (answered #1)" in shell("log")[1]
    [listed] = shell.json("log")["breaks"]
    assert listed["seconds"] == 165


def test_typing_straight_away_dates_the_return_no_later_than_one_read_after_the_first_input(tmp_path):
    day = Day(tmp_path, settings=settings(break_minutes=2))
    desk = Desk(day)
    desk.idle.typing(at(day, "09:00"), at(day, "09:20"))
    desk.idle.typing(at(day, "09:33", 7), at(day, "10:00"))  # back at 09:33:07, typing at once
    desk.until("09:40")
    [natural] = [e for e in day.store.events_between(at(day, "09:00"), at(day, "09:40")) if e.kind is EventKind.NATURAL]
    back = datetime.fromisoformat(str(natural.data["back_at"]))
    assert natural.data["away_from"] == "2026-11-23T08:20:00+00:00"
    # idle time only tells the latest input: the return is dated at most one away read (25 s here) after it
    assert at(day, "09:33", 7) <= back <= at(day, "09:33", 7) + timedelta(seconds=25)
    assert back == desk.noticed_back_at()


def test_pausing_at_10_05_with_the_10_00_prompt_open_leaves_compliance_as_it_was(tmp_path):
    day = Day(tmp_path, "2026-11-23 08:00", settings=settings(work_start_minute=8 * 60))
    day.until("09:00")
    day.service.skip()  # one skip already: compliance 0 of 1
    day.until("10:00")
    assert _summary(day).compliance == 0.0
    day.until("10:05")
    day.service.pause(minutes=60)
    assert day.log() == [("09:00", "skipped"), ("10:00", "paused")]
    after = _summary(day)
    assert (after.skipped, after.paused, after.compliance) == (1, 1, 0.0)
