"""`standup routines` and `standup plan`, run in-process through the real parser with a fake clock."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from standup.cli import main as cli
from standup.core.errors import ExitCode
from standup.core.model import Outcome, Suggestion
from standup.adapters.paths import resolve_paths
from standup.adapters.store import Store
from standup.core.seeds import SEEDS
from tests.fakes import BERLIN, FakeClock

SEED_NAMES = {"000_a33bfb27c5ade649.txt", "001_7a73ad0ebf7f8e74.txt", "002_0ddefb6e2f889100.txt", "003_062a3b410ba02d44.txt"}
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=BERLIN)

BAD_FILE = """
[[routine]]
id = "my-squat"
name = "My squats"
kind = "strength"
posture = "standing"
muscles = ["quads"]
equipment = "none"
sets = "three"
reps = 10
cues = ["Squat."]
intensity = 1
quiet = true
source = "me"
"""


class Run:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.clock = FakeClock(MONDAY_NOON)

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        ctx = cli.Context(resolve_paths({"STANDUP_HOME": str(self.home)}), out, err, self.clock)
        code = cli.main(list(argv), ctx=ctx)
        return code, out.getvalue(), err.getvalue()

    @property
    def routines_dir(self) -> Path:
        path = resolve_paths({"STANDUP_HOME": str(self.home)}).routines_dir
        path.mkdir(parents=True, exist_ok=True)
        return path


@pytest.fixture
def run(tmp_path: Path) -> Run:
    return Run(tmp_path)


def test_routines_json_lists_at_least_thirty_routines_with_seed_sources(run: Run) -> None:
    code, out, err = run("routines", "--json")
    assert code == 0 and err == ""
    listing = json.loads(out)
    assert len(listing["routines"]) >= 30
    for routine in listing["routines"]:
        assert routine["source"].split(":")[0] in SEED_NAMES
        assert (routine["reps"] is None) != (routine["seconds"] is None)
        assert routine["minutes"] <= 5
        assert set(routine) >= {"id", "name", "kind", "muscles", "equipment", "sets", "cues", "intensity", "quiet",
                                "caution", "squat", "per_side", "origin"}
    assert listing["warnings"] == [] and listing["disabled"] == []


def test_routines_text_lists_every_routine_with_its_source(run: Run) -> None:
    code, out, _ = run("routines")
    assert code == 0
    header, *lines = out.splitlines()
    ids = [routine["id"] for routine in json.loads(run("routines", "--json")[1])["routines"]]
    assert header.split() == ["ID", "KIND", "POSTURE", "BASE", "DOSE", "TIME", "FLAGS", "SOURCE"]
    assert len(lines) == len(ids) + 2  # the count, and what "base dose" means
    for routine_id, line in zip(ids, lines, strict=False):
        assert line.startswith(routine_id) and any(seed.short in line for seed in SEEDS.values())
    assert lines[-1].startswith("Base doses: a prompt adapts them")


def test_routines_show_prints_numbered_cues_and_the_source(run: Run) -> None:
    code, out, _ = run("routines", "show", "chair-squat")
    assert code == 0
    assert "Chair squats" in out and "1. " in out and "2. " in out and '\n  Source: "' in out
    shown = json.loads(run("routines", "show", "chair-squat", "--json")[1])
    assert shown["id"] == "chair-squat" and shown["squat"] is True


def test_routines_show_of_an_unknown_id_is_a_usage_error(run: Run) -> None:
    code, out, err = run("routines", "show", "no-such")
    assert code == ExitCode.USAGE
    assert "no-such" in err and "Traceback" not in err and out == ""


def test_check_rejects_a_bad_field_and_routines_still_lists_the_bundled_catalogue(run: Run) -> None:
    bad = run.routines_dir / "mine.toml"
    bad.write_text(BAD_FILE, encoding="utf-8")
    code, out, err = run("routines", "check", str(bad))
    assert code == ExitCode.CONFIG
    assert str(bad) in err and "routine my-squat" in err and "field 'sets'" in err
    code, out, err = run("routines", "--json")
    assert code == 0
    assert len(json.loads(out)["routines"]) >= 30
    assert "field 'sets'" in err and "warning" in err


def test_check_accepts_a_good_file_and_the_routine_joins_the_catalogue(run: Run) -> None:
    good = run.routines_dir / "mine.toml"
    good.write_text('disable = ["squat-jump"]\n' + BAD_FILE.replace('sets = "three"', "sets = 3"), encoding="utf-8")
    code, out, err = run("routines", "check", str(good))
    assert code == 0 and err == "" and "OK" in out
    ids = {routine["id"] for routine in json.loads(run("routines", "--json")[1])["routines"]}
    assert "my-squat" in ids and "squat-jump" not in ids


def test_check_explains_a_disable_list_placed_inside_a_routine(run: Run) -> None:
    misplaced = run.routines_dir / "mine.toml"
    misplaced.write_text(BAD_FILE.replace('sets = "three"', "sets = 3") + 'disable = ["squat-jump"]\n', encoding="utf-8")
    code, _, err = run("routines", "check", str(misplaced))
    assert code == ExitCode.CONFIG and "field 'disable'" in err and "above the first [[routine]]" in err


def test_check_of_a_missing_file_fails_cleanly(run: Run, tmp_path: Path) -> None:
    code, _, err = run("routines", "check", str(tmp_path / "nope.toml"))
    assert code == ExitCode.CONFIG and "cannot read" in err


def test_plan_json_for_a_default_weekday_meets_the_goal(run: Run) -> None:
    code, out, err = run("plan", "--json", "--date", "2026-11-24")
    assert code == 0 and err == ""
    plan = json.loads(out)
    assert plan["date"] == "2026-11-24" and plan["workday"] is True
    assert abs(plan["squat_total"] - plan["squat_goal"]) <= 0.1 * plan["squat_goal"]
    assert plan["squat_goal"] == 100
    assert [slot["local_time"] for slot in plan["slots"]] == [f"{hour}:00" for hour in range(10, 18)]
    for slot in plan["slots"]:
        assert {"at", "routine", "sets", "reps", "seconds", "squats"} <= set(slot)
        assert (slot["reps"] is None) != (slot["seconds"] is None)
        assert datetime.fromisoformat(slot["at"]).utcoffset() == timedelta(0)
    assert plan["squat_total"] == sum(slot["squats"] for slot in plan["slots"])


def test_plan_defaults_to_today_and_prints_a_line_per_prompt(run: Run) -> None:
    code, out, _ = run("plan")
    assert code == 0
    assert "2026-11-23" in out
    assert sum(1 for line in out.splitlines() if line.startswith("  1") and " — " in line) == 8


def test_plan_on_a_day_off_has_no_slots(run: Run) -> None:
    code, out, _ = run("plan", "--json", "--date", "2026-11-22")
    plan = json.loads(out)
    assert code == 0 and plan["workday"] is False and plan["slots"] == []


def test_plan_reads_history_from_the_log(run: Run) -> None:
    store = Store.open(resolve_paths({"STANDUP_HOME": str(run.home)}).database)
    try:
        heavy = Suggestion("bodyweight-squat", "Bodyweight squats", sets=4, reps=20, squats=80)
        for hour in (10, 12):  # 160 squats on the Monday: at least 1.5 × the goal
            when = datetime(2026, 11, 23, hour, tzinfo=BERLIN).astimezone(timezone.utc)
            prompt = store.add_prompt(when, heavy)
            store.close_prompt(prompt.id, Outcome.DONE, when + timedelta(minutes=5))
    finally:
        store.close()
    plan = json.loads(run("plan", "--json", "--date", "2026-11-24")[1])
    assert plan["easy_day"] is True and plan["squat_goal"] == 0 and plan["squat_total"] == 0
    assert all(slot["kind"] != "strength" for slot in plan["slots"])


def test_plan_rejects_a_malformed_date(run: Run) -> None:
    code, _, err = run("plan", "--date", "24.11.2026")
    assert code == ExitCode.USAGE and "YYYY-MM-DD" in err


def test_a_mistyped_routine_id_gets_a_did_you_mean(tmp_path: Path) -> None:
    run = Run(tmp_path)
    code, _, err = run("routines", "show", "chair-sqat")
    assert code == ExitCode.USAGE and err.startswith("standup: no routine 'chair-sqat'; did you mean 'chair-squat'")
    code, _, err = run("routines", "show", "squat")
    hinted = err.removeprefix("standup: no routine 'squat'; did you mean ").removesuffix("?\n")
    ids = [part.strip("' ") for part in hinted.replace(" or ", ", ").split(", ")]
    assert code == ExitCode.USAGE and len(ids) == 3 and all("squat" in i for i in ids), err
    assert run("routines", "show", "zzzz")[2] == "standup: no routine 'zzzz'; `standup routines` lists the ids\n"


def test_sources_are_shown_by_the_seeds_title_not_its_file_name(tmp_path: Path) -> None:
    run = Run(tmp_path)
    _, out, _ = run("routines", "show", "chair-squat")
    assert '  Source: "Training legs, and 100 squats a day (untitled article)": about 100 squats a day' in out
    assert "          (seed file 003_062a3b410ba02d44.txt)\n" in out
    _, listing, _ = run("routines")
    assert not any(name in listing for name in SEED_NAMES)
    data = json.loads(run("routines", "--json")[1])["routines"]
    titles = {r["source"].split(":")[0]: r["source_title"] for r in data}
    assert titles["002_0ddefb6e2f889100.txt"] == "How to Burn Leg & Back Fat Easily"
