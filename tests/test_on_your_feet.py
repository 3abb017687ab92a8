"""A get-up break gets you on your feet: every routine states its posture; plans and prompts suggest
standing routines only, seated ones when the user opts in, floor ones never."""

from __future__ import annotations

import io
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from standup.adapters.paths import resolve_paths
from standup.adapters.store import Store
from standup.cli import main as cli
from standup.core.catalogue import load_catalogue
from standup.core.planner import DEFAULT_SEED, Planner
from standup.core.routine import Posture
from standup.core.settings import Level
from standup.service.reminders import ReminderService
from tests.day import settings
from tests.fakes import BERLIN, FakeClock

MONDAY = date(2026, 11, 23)
LEVELS = [level.value for level in Level]


def run_cli(home: Path, *argv: str, now: datetime | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    clock = FakeClock(now or datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN))
    ctx = cli.Context(resolve_paths({"STANDUP_HOME": str(home)}), out, err, clock)
    return cli.main(list(argv), ctx=ctx), out.getvalue(), err.getvalue()


def write_config(home: Path, text: str) -> None:
    path = resolve_paths({"STANDUP_HOME": str(home)}).config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def postures(home: Path) -> dict[str, str]:
    code, out, err = run_cli(home, "routines", "--json")
    assert code == 0 and err == ""
    return {routine["id"]: routine["posture"] for routine in json.loads(out)["routines"]}


def test_routines_json_gives_a_posture_for_every_routine(tmp_path: Path) -> None:
    by_id = postures(tmp_path)
    assert len(by_id) == 45
    assert set(by_id.values()) == {"standing", "seated", "floor"}  # the catalogue still holds all three
    assert by_id["glute-bridge"] == "floor" and by_id["seated-leg-extension"] == "seated"
    assert by_id["chair-squat"] == "standing"  # it uses a chair but you stand up out of it


@pytest.mark.parametrize("level", LEVELS)
def test_a_week_of_plans_at_each_level_suggests_standing_routines_only(tmp_path: Path, level: str) -> None:
    by_id = postures(tmp_path)
    write_config(tmp_path, f'level = "{level}"\n')
    seen = []
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        code, out, err = run_cli(tmp_path, "plan", "--json", "--date", day.isoformat())
        assert code == 0 and err == ""
        seen += [(slot["routine"], slot["posture"]) for slot in json.loads(out)["slots"]]
    assert len(seen) == 5 * 8  # five workdays of eight prompts
    assert {posture for _, posture in seen} == {"standing"}
    assert all(by_id[routine] == "standing" for routine, _ in seen)


def test_two_hundred_break_now_prompts_suggest_standing_routines_only(tmp_path: Path) -> None:
    catalogue = load_catalogue(None)
    clock = FakeClock(datetime(2026, 11, 23, 9, 30, tzinfo=BERLIN))
    store = Store.open(tmp_path / "standup.db")
    planner = Planner(catalogue, settings(), seed=DEFAULT_SEED, tz=BERLIN)
    service = ReminderService(clock, store, settings(), planner.suggest_hook(store.prompts_between))
    service.start()
    rng = random.Random(13)
    shown = []
    try:
        while len(shown) < 200:
            view = service.take_break()
            assert view.suggestion is not None
            shown.append(view.suggestion.routine_id)
            service.done() if rng.random() < 0.7 else service.skip()  # skipped squats move to later prompts
            clock.advance(minutes=rng.choice((3, 10, 25, 61)))
            if clock.local().hour >= 18:
                clock.set(clock.at("09:05", clock.local().date() + timedelta(days=1)))
    finally:
        service.stop()
        store.close()
    postures_shown = {catalogue.require(routine_id).posture for routine_id in shown}
    assert postures_shown == {Posture.STANDING}
    assert len(set(shown)) >= 15  # a real spread of routines, not one safe routine over and over


def test_allow_seated_lets_seated_routines_in_and_floor_routines_never(tmp_path: Path) -> None:
    catalogue = load_catalogue(None)
    chosen: set[Posture] = set()
    for level in Level:
        planner = Planner(catalogue, settings(allow_seated=True, level=level, workdays=frozenset(range(7))),
                          seed=DEFAULT_SEED, tz=BERLIN)
        for offset in range(28):
            for slot in planner.plan_day(MONDAY + timedelta(days=offset), []).slots:
                chosen.add(slot.routine.posture)
    assert chosen == {Posture.STANDING, Posture.SEATED}


def test_a_catalogue_with_nothing_standing_left_is_a_one_line_error(tmp_path: Path) -> None:
    standing = [routine.id for routine in load_catalogue(None) if routine.posture is Posture.STANDING]
    routines_dir = resolve_paths({"STANDUP_HOME": str(tmp_path)}).routines_dir
    routines_dir.mkdir(parents=True)
    (routines_dir / "sit.toml").write_text(f"disable = {json.dumps(standing)}\n", encoding="utf-8")
    code, out, err = run_cli(tmp_path, "plan", "--date", "2026-11-24")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no standing routine is enabled" in err and "allow_seated" in err
