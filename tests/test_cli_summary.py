"""`standup summary` and `standup export` through their parsers, against a real store.

The handlers get a small context like cli.Context: paths, out, err, clock, settings(),
open_store(readonly) and print_json(obj).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from standup.cli import summary as cli_summary
from standup.core.errors import UsageError
from standup.core.model import EventKind, Outcome, Suggestion
from standup.core.settings import Settings
from standup.adapters.store import Store
from tests.fakes import FakeClock
from tests.test_summary import BERLIN, DAY, MONDAY, Log, at, scripted_day, scripted_week


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@dataclass
class Paths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "standup.db"


@dataclass
class Context:
    paths: Paths
    clock: FakeClock
    config: Settings = field(default_factory=Settings)
    out: io.StringIO = field(default_factory=io.StringIO)
    err: io.StringIO = field(default_factory=io.StringIO)

    def settings(self) -> Settings:
        return self.config

    def open_store(self, readonly: bool = False) -> Store:
        return Store.open(self.paths.database, readonly=readonly)

    def print_json(self, obj: object) -> None:
        json.dump(obj, self.out, indent=2)
        self.out.write("\n")


def write_to_store(path: Path, log: Log) -> None:
    """Replay a scripted log through the real store, in time order."""
    store = Store.open(path)
    prompts = {p.id: p for p in log.prompts}
    ids: dict[int, int] = {}
    for event in sorted(log.events, key=lambda e: (e.at, e.id)):
        if event.kind is EventKind.PROMPTED:
            p = prompts[event.prompt_id]
            suggestion = None
            if p.routine:
                suggestion = Suggestion(p.routine, p.routine, p.sets or 1, p.reps, p.seconds, squats=p.squats)
            ids[p.id] = store.add_prompt(event.at, suggestion).id
        elif event.prompt_id is not None and event.kind.value in {o.value for o in Outcome}:
            store.close_prompt(ids[event.prompt_id], Outcome(event.kind.value), event.at, event.data or None)
        else:
            prompt_id = ids[event.prompt_id] if event.prompt_id is not None else None
            store.add_event(event.at, event.kind, prompt_id, event.data or None)
    store.close()


def run(ctx: Context, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="standup")
    cli_summary.add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args, ctx)


@pytest.fixture
def day_ctx(tmp_path: Path) -> Context:
    ctx = Context(Paths(tmp_path), FakeClock(at(DAY, "20:00"), BERLIN))
    write_to_store(ctx.paths.database, scripted_day())
    return ctx


@pytest.fixture
def week_ctx(tmp_path: Path) -> Context:
    ctx = Context(Paths(tmp_path), FakeClock(at(MONDAY + timedelta(days=6), "20:00"), BERLIN))
    write_to_store(ctx.paths.database, scripted_week())
    return ctx


def test_summary_json_for_the_scripted_day(day_ctx: Context):
    assert run(day_ctx, "summary", "--json") == 0
    data = json.loads(day_ctx.out.getvalue())
    assert data["date"] == "2026-11-17"
    assert (data["prompts"], data["done"], data["skipped"], data["missed"], data["natural"]) == (6, 3, 1, 1, 1)
    assert data["snoozes"] == 2
    assert data["compliance"] == 0.6667
    assert data["moved_minutes"] == 70
    assert data["stand_hours"] == 5
    assert data["longest_sitting_minutes"] == 125
    assert data["squats"] == {"done": 72, "goal": 100}
    assert data["streak_days"] == 0  # the day itself missed the goal
    assert data["exercises"][1] == {
        "routine": "chair-squats", "name": "chair-squats", "breaks": 2, "sets": 6, "reps": 72, "seconds": 0,
        "doses": ["3 × 12", "3 × 12"]}


def test_acceptance_one_done_one_skipped(tmp_path: Path):
    from tests.day import Day

    day = Day(tmp_path, start="2026-11-23 09:00")
    day.until("10:00")
    day.service.done()
    day.until("11:00")
    day.service.skip()
    ctx = Context(Paths(tmp_path), day.clock)
    assert run(ctx, "summary", "--json") == 0
    data = json.loads(ctx.out.getvalue())
    assert (data["prompts"], data["done"], data["skipped"], data["missed"]) == (2, 1, 1, 0)
    assert data["compliance"] == 0.5  # (1 done + 0 natural) / 2 ended
    assert data["longest_sitting_minutes"] == 60  # started 09:00, moved 10:00, now 11:00

    ctx.out = io.StringIO()
    assert run(ctx, "export", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(ctx.out.getvalue(), newline="")))
    assert sorted(r["outcome"] for r in rows if r["record"] == "prompt") == ["done", "skipped"]
    assert {"started", "prompted", "done", "skipped"} <= {r["kind"] for r in rows}


def test_streak_over_the_scripted_week(week_ctx: Context):
    run(week_ctx, "summary", "--json")
    assert json.loads(week_ctx.out.getvalue())["streak_days"] == 2  # Fri and Wed; Tue missed
    week_ctx.out = io.StringIO()
    run(week_ctx, "summary", "--json", "--date", "2026-11-18")
    data = json.loads(week_ctx.out.getvalue())
    assert (data["date"], data["done"], data["missed"], data["streak_days"]) == ("2026-11-18", 3, 1, 1)


def test_week_and_month_json(week_ctx: Context):
    run(week_ctx, "summary", "--week", "--json")
    week = json.loads(week_ctx.out.getvalue())
    assert (week["period"], week["from"], week["to"]) == ("week", "2026-11-16", "2026-11-22")
    assert (week["prompts"], week["done"], week["skipped"], week["missed"]) == (17, 11, 5, 1)
    assert week["squats"] == {"done": 200, "goal": 500, "period_goal": 500}
    assert [d["done"] for d in week["days"]] == [4, 2, 3, 0, 2, 0, 0]
    assert week["streak_days"] == 2
    week_ctx.out = io.StringIO()
    run(week_ctx, "summary", "--month", "--json")
    month = json.loads(week_ctx.out.getvalue())
    assert len(month["days"]) == 30 and month["done"] == 11


def test_terminal_view_is_aligned_and_plain_when_not_a_terminal(day_ctx: Context):
    run(day_ctx, "summary")
    text = day_ctx.out.getvalue()
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "Tuesday 17 November 2026"
    assert "Timeline     09 ▁●●×●×●▁●● 19" in lines  # 18:00-18:20 was the end of a natural break
    assert "Breaks       4 of 6 taken  (3 done · 1 natural · 1 skipped · 1 missed · 2 snoozes)" in lines
    assert "Longest sit  2 h 5 min  (13:40–15:45)" in lines
    assert "Stand hours  5 of 9" in lines
    values = [line for line in lines[1:] if line[:1].strip()]
    assert len({line.index(line.split("  ", 1)[1].lstrip()[:3]) for line in values}) == 1  # one value column


def test_colour_only_on_a_terminal_without_no_color(day_ctx: Context, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    day_ctx.out = Terminal()
    run(day_ctx, "summary")
    assert "\x1b[32m●\x1b[0m" in day_ctx.out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    day_ctx.out = Terminal()
    run(day_ctx, "summary")
    assert "\x1b[" not in day_ctx.out.getvalue()


def test_ascii_glyphs_when_the_output_cannot_encode_them(day_ctx: Context):
    raw = io.BytesIO()
    day_ctx.out = io.TextIOWrapper(raw, encoding="ascii")
    run(day_ctx, "summary")
    day_ctx.out.flush()
    assert "09 _##x#x#_## 19" in raw.getvalue().decode("ascii")


def test_week_text(week_ctx: Context):
    run(week_ctx, "summary", "--week")
    lines = week_ctx.out.getvalue().splitlines()
    assert lines[0].startswith("Week 47, 2026")
    monday = next(line for line in lines if line.startswith("Mon 16"))
    assert "4/4" in monday and "100 %" in monday and "100/100" in monday and monday.endswith("both")
    cells = {line[:6]: line.rsplit(" ", 1)[1] for line in lines[2:9]}
    # Tue 2 of 4, 0 squats; Wed 3 of 4 (75 %); Thu app off; Fri 2 of 5 but 100 squats; the weekend off
    assert cells == {"Mon 16": "both", "Tue 17": "no", "Wed 18": "breaks", "Thu 19": "0/100", "Fri 20": "squats",
                     "Sat 21": "0", "Sun 22": "0"}
    assert lines[1].endswith("goal met")
    total = next(line for line in lines if line.startswith("total"))
    assert "11/17" in total and "65 %" in total and "200/500" in total and total.endswith("3 days")
    assert lines[-1] == "Streak 2 days"


def test_yesterday_and_an_empty_log(tmp_path: Path):
    ctx = Context(Paths(tmp_path), FakeClock(at(DAY, "08:00"), BERLIN))  # no database at all
    run(ctx, "summary", "--yesterday", "--json")
    data = json.loads(ctx.out.getvalue())
    assert data["date"] == "2026-11-16" and data["prompts"] == 0 and data["compliance"] is None
    assert not (tmp_path / "standup.db").exists()


def test_bad_dates_are_usage_errors(day_ctx: Context):
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        run(day_ctx, "summary", "--date", "17.11.2026")
    with pytest.raises(UsageError, match="after"):
        run(day_ctx, "export", "--format", "csv", "--from", "2026-11-18", "--to", "2026-11-17")


def test_out_writes_the_report_without_opening(day_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    target = tmp_path / "report.html"
    assert run(day_ctx, "summary", "--out", str(target)) == 0
    page = target.read_text(encoding="utf-8")
    assert 'id="fig-breaks">4 <span class="unit">of</span> 6<' in page
    assert opened == []
    assert str(target) in day_ctx.out.getvalue()


def test_open_writes_into_the_data_folder_and_opens_it(day_ctx: Context, monkeypatch: pytest.MonkeyPatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    assert run(day_ctx, "summary", "--open") == 0
    report = day_ctx.paths.data_dir / "reports" / "summary-2026-11-17.html"
    assert opened == [report.resolve().as_uri()]
    assert "Stand hours" in report.read_text(encoding="utf-8")


def test_export_range_and_file(week_ctx: Context, tmp_path: Path):
    target = tmp_path / "out.csv"
    assert run(week_ctx, "export", "--format", "csv", "--from", "2026-11-17", "--to", "2026-11-18", "-o", str(target)) == 0
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["local_date"] for r in rows} == {"2026-11-17", "2026-11-18"}
    assert sum(1 for r in rows if r["record"] == "prompt") == 8
    assert week_ctx.out.getvalue() == ""

    week_ctx.out = io.StringIO()
    run(week_ctx, "export", "--format", "json")
    document = json.loads(week_ctx.out.getvalue())
    assert document["from"] is None and document["to"] is None
    assert sum(1 for r in document["records"] if r["record"] == "prompt") == 17
    assert sum(1 for r in document["records"] if r["kind"] == "self_break") == 1


def test_export_rows_keep_store_times(day_ctx: Context):
    run(day_ctx, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(day_ctx.out.getvalue(), newline="")))
    natural = [r for r in rows if r["kind"] == "natural"]
    assert [r["at_local"] for r in natural] == ["2026-11-17T13:40:00+01:00", "2026-11-17T18:20:00+01:00"]
    assert datetime.fromisoformat(natural[0]["at_utc"]) == at(DAY, "13:40")


def test_through_the_real_command_line(tmp_path: Path):
    from standup.cli.main import Context as CliContext
    from standup.cli.main import main
    from standup.adapters.paths import resolve_paths

    paths = resolve_paths({"STANDUP_HOME": str(tmp_path)})
    write_to_store(paths.database, scripted_day())
    clock = FakeClock(at(DAY + timedelta(days=1), "09:30"), BERLIN)

    ctx = CliContext(paths, io.StringIO(), io.StringIO(), clock)
    assert main(["summary", "--yesterday", "--json"], ctx=ctx) == 0
    data = json.loads(ctx.out.getvalue())
    assert (data["date"], data["done"], data["stand_hours"], data["moved_minutes"]) == ("2026-11-17", 3, 5, 70)

    ctx = CliContext(paths, io.StringIO(), io.StringIO(), clock)
    assert main(["summary", "--date", "yesterday"], ctx=ctx) == 2
    assert ctx.err.getvalue().count("\n") == 1 and "YYYY-MM-DD" in ctx.err.getvalue()
    assert "Traceback" not in ctx.err.getvalue()

    ctx = CliContext(paths, io.StringIO(), io.StringIO(), clock)
    assert main(["summary", "--week", "--month"], ctx=ctx) == 2

    ctx = CliContext(paths, io.StringIO(), io.StringIO(), clock)
    assert main(["export", "--format", "csv", "--from", "2026-11-17", "--to", "2026-11-17"], ctx=ctx) == 0
    rows = list(csv.DictReader(io.StringIO(ctx.out.getvalue(), newline="")))
    assert sum(1 for r in rows if r["record"] == "prompt") == 6


def test_report_page_for_the_tray(day_ctx: Context):
    store = day_ctx.open_store(readonly=True)
    try:
        page = cli_summary.report_page(store, Settings(), BERLIN, day_ctx.clock.now())
    finally:
        store.close()
    assert 'id="fig-breaks">4 <span class="unit">of</span> 6<' in page and 'data-period="week"' in page


def test_counts_at_one_and_a_squat_bar_short_of_the_goal(tmp_path: Path):
    """One break with one snooze, one set of 96 squats: singular words, and a bar one step short."""
    log = Log()
    log.event(EventKind.STARTED, at(DAY, "09:00"))
    log.prompt(at(DAY, "10:00"), Outcome.DONE, at(DAY, "10:20"), snoozes=1, routine="chair-squats", sets=1, reps=96,
               squats=96)
    ctx = Context(Paths(tmp_path), FakeClock(at(DAY, "20:00"), BERLIN))
    write_to_store(ctx.paths.database, log)
    run(ctx, "summary")
    lines = ctx.out.getvalue().splitlines()
    assert "Breaks       1 of 1 taken  (1 done · 0 natural · 0 skipped · 0 missed · 1 snooze)" in lines
    assert "Squats       96 of 100  █████████░" in lines
    assert any(line.startswith("Streak       1 day") for line in lines)
    assert "Exercises    chair-squats            1 break    1 set   96 reps  (96)" in lines


def test_a_tuesday_week_counts_two_days_and_shows_the_rest_as_coming(tmp_path: Path):
    from tests.test_summary import TUESDAY, log_until

    now = at(TUESDAY, "20:00")
    ctx = Context(Paths(tmp_path), FakeClock(now, BERLIN))
    write_to_store(ctx.paths.database, log_until(scripted_week(), now))
    run(ctx, "summary", "--week")
    lines = ctx.out.getvalue().splitlines()
    assert lines[0] == "Week 47, 2026  16 Nov – 22 Nov 2026 · so far: 2 of 7 days"
    assert [line[:6] for line in lines[2:-2]] == ["Mon 16", "Tue 17", "Wed 18"]
    assert lines[4] == "Wed 18 – Sun 22  coming (5 days)"
    total = lines[-2]
    # Monday and Tuesday: 6 of 8 breaks, 6 of 18 stand hours, 100 of 200 squats
    assert total.startswith("so far") and "6/8" in total and " 75 %" in total and "6/18" in total and "100/200" in total
    ctx.out = io.StringIO()
    run(ctx, "summary", "--week", "--json")
    data = json.loads(ctx.out.getvalue())
    assert (data["days_counted"], data["days_coming"], data["work_hour_slots"]) == (2, 5, 18)
    assert [d["status"] for d in data["days"]] == ["past", "today"] + ["coming"] * 5


def test_the_first_of_the_month_is_one_day_and_the_rest_coming(tmp_path: Path):
    first = date(2026, 12, 1)  # a Tuesday; December 2026 has 23 workdays
    ctx = Context(Paths(tmp_path), FakeClock(at(first, "10:30"), BERLIN))
    log = Log()
    log.prompt(at(first, "10:00"), Outcome.DONE, at(first, "10:05"), routine="chair-squats", sets=8, reps=12, squats=96)
    write_to_store(ctx.paths.database, log)
    run(ctx, "summary", "--month")
    lines = ctx.out.getvalue().splitlines()
    assert lines[0] == "December 2026 · so far: 1 of 31 days"
    assert lines[2].startswith("Tue  1") and "96/100" in lines[2]
    assert lines[3] == "Wed  2 – Thu 31  coming (30 days)"
    assert lines[4].startswith("so far") and "96/100" in lines[4]
    assert len(lines) == 6


def test_the_streak_line_names_the_goal_met(week_ctx: Context):
    run(week_ctx, "summary", "--date", "2026-11-16")
    assert "Streak       1 day · goal met: 4 of 4 breaks (100 %) and 100 squats" in week_ctx.out.getvalue().splitlines()
    week_ctx.out = io.StringIO()
    run(week_ctx, "summary", "--date", "2026-11-20")  # 2 of 5 breaks, 100 squats
    assert "Streak       2 days · goal met: 100 squats" in week_ctx.out.getvalue().splitlines()
    week_ctx.out = io.StringIO()
    run(week_ctx, "summary", "--date", "2026-11-17")  # 2 of 4 breaks, no squats: nothing met, nothing said
    assert "Streak       0 days" in week_ctx.out.getvalue().splitlines()
    week_ctx.out = io.StringIO()
    run(week_ctx, "summary", "--json", "--date", "2026-11-18")
    data = json.loads(week_ctx.out.getvalue())
    assert (data["goal_met"], data["goals_met"]) == (True, ["breaks"])


def test_a_first_break_meets_the_goal_only_so_far(tmp_path: Path):
    """The first run: one break of 30 squats at 10:00 is 1 of 1 break, the goal met so far, not 30 of 100 squats."""
    log = Log()
    log.event(EventKind.STARTED, at(DAY, "09:00"))
    log.prompt(at(DAY, "10:00"), Outcome.DONE, at(DAY, "10:05"), routine="chair-squats", sets=3, reps=10, squats=30)
    ctx = Context(Paths(tmp_path), FakeClock(at(DAY, "10:30"), BERLIN))
    write_to_store(ctx.paths.database, log)
    run(ctx, "summary")
    lines = ctx.out.getvalue().splitlines()
    assert lines[0] == "Tuesday 17 November 2026 · so far"
    assert "Squats       30 of 100  ███░░░░░░░" in lines
    assert "Streak       1 day · goal met: 1 of 1 break (100 %) so far" in lines


def test_a_prompt_set_aside_by_a_pause_is_named_in_the_breakdown(tmp_path: Path):
    log = Log()
    log.event(EventKind.STARTED, at(DAY, "09:00"))
    log.prompt(at(DAY, "10:00"), Outcome.DONE, at(DAY, "10:05"))
    log.prompt(at(DAY, "11:00"), Outcome.PAUSED, at(DAY, "11:02"))
    ctx = Context(Paths(tmp_path), FakeClock(at(DAY, "20:00"), BERLIN))
    write_to_store(ctx.paths.database, log)
    run(ctx, "summary")
    assert "Breaks       1 of 1 taken  (1 done · 0 natural · 0 skipped · 0 missed · 1 paused · 0 snoozes)" in (
        ctx.out.getvalue().splitlines())
    ctx.out = io.StringIO()
    run(ctx, "summary", "--week", "--json")
    week = json.loads(ctx.out.getvalue())
    assert (week["prompts"], week["done"], week["paused"], week["compliance"]) == (2, 1, 1, 1.0)
    page = tmp_path / "report.html"
    run(ctx, "summary", "--out", str(page))
    assert "1 done · 0 natural · 0 skipped · 0 missed · 1 paused · 0 snoozes" in page.read_text(encoding="utf-8")
