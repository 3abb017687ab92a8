"""Presets from the evidence: a preset fills in settings, the file's own keys win, `config show` says
where each value comes from, and the plans follow the studies' schedules."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from standup.adapters.paths import resolve_paths
from standup.cli import main as cli
from standup.core.catalogue import load_catalogue
from standup.core.errors import ConfigError
from standup.core.planner import DEFAULT_SEED, Planner
from standup.core.presets import PRESETS
from standup.core.settings import DEFAULTS, describe, origins, parse_settings
from tests.fakes import BERLIN, FakeClock

WEDNESDAY = date(2026, 12, 2)
DOCS = Path(__file__).resolve().parents[1] / "docs" / "presets.md"


def plan(text: str) -> list:
    settings = parse_settings(text, "config.toml")
    return list(Planner(load_catalogue(None), settings, seed=DEFAULT_SEED, tz=BERLIN).plan_day(WEDNESDAY, []).slots)


def run_cli(home: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    ctx = cli.Context(resolve_paths({"STANDUP_HOME": str(home)}), out, err,
                      FakeClock(datetime(2026, 12, 2, 8, 0, tzinfo=BERLIN)))
    return cli.main(list(argv), ctx=ctx), out.getvalue(), err.getvalue()


def test_without_a_preset_the_settings_are_todays_hourly_defaults() -> None:
    settings = parse_settings("", "config.toml")
    assert settings == DEFAULTS and settings.preset == "hourly" and settings.interval_minutes == 60
    assert set(origins(settings).values()) == {"default"}


def test_a_preset_fills_in_keys_and_the_files_own_keys_win() -> None:
    settings = parse_settings('break_minutes = 4\npreset = "glucose"\n', "config.toml")
    assert settings.interval_minutes == 30  # from the preset
    assert settings.break_minutes == 4  # the file's key wins, wherever it stands
    where = origins(settings)
    assert where["interval_minutes"] == "preset glucose"
    assert where["break_minutes"] == "config.toml, line 1" and where["preset"] == "config.toml, line 2"
    assert where["snooze_minutes"] == "default"


def test_config_show_prints_the_values_in_effect_and_where_each_comes_from(tmp_path: Path) -> None:
    config = resolve_paths({"STANDUP_HOME": str(tmp_path)}).config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('preset = "squat-snacks"\ninterval_minutes = 40\n', encoding="utf-8")
    code, out, err = run_cli(tmp_path, "config", "show")
    assert code == 0 and err == ""
    lines = {line.split(" = ")[0]: line for line in out.splitlines()}
    assert lines["squats_per_break"].startswith("squats_per_break = 10") and lines["squats_per_break"].endswith("# preset squat-snacks")
    assert lines["interval_minutes"].startswith("interval_minutes = 40") and lines["interval_minutes"].endswith(f"# {config}, line 2")
    assert lines["level"].endswith("# default")
    shown = json.loads(run_cli(tmp_path, "config", "show", "--json")[1])
    assert shown["preset"] == "squat-snacks" and shown["interval_minutes"] == 40 and shown["break_minutes"] == 3
    assert shown["from"]["break_minutes"] == "preset squat-snacks"


@pytest.mark.parametrize(("value", "hint"), [('"glucos"', "did you mean 'glucose'?"),
                                             ('"squat_snacks"', "did you mean 'squat-snacks'?"),
                                             ("3", "use one of 'hourly', 'glucose', 'squat-snacks', 'walking'")])
def test_an_unknown_preset_is_one_line_naming_the_file_line_and_the_nearest_name(value: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(f"level = \"beginner\"\npreset = {value}\n", "/home/me/config.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("/home/me/config.toml, line 2: preset ") and hint in message


def test_every_preset_is_valid_config_and_documented_with_its_source() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for name, preset in PRESETS.items():
        settings = parse_settings(f'preset = "{name}"\n', "config.toml")
        shown = describe(settings)
        for key, value in preset.values.items():
            assert shown[key] == value, (name, key)
        assert f"`{name}`" in docs
        assert preset.source.split()[0].rstrip(",") in docs, name  # the first author, or "seeds"
    for study in ("Dempsey", "Diabetes Care", "Gao", "Scand J Med Sci Sports", "Diaz", "Med Sci Sports Exerc"):
        assert study in docs


def test_glucose_asks_every_30_minutes_for_the_moves_of_the_trial() -> None:
    slots = plan('preset = "glucose"\n')
    gaps = {(b.at - a.at).total_seconds() / 60 for a, b in zip(slots, slots[1:], strict=False)}
    assert gaps == {30} and len(slots) == 17
    assert {slot.routine.id for slot in slots} <= set(PRESETS["glucose"].values["suggest_only"])  # type: ignore[arg-type]
    assert {"half-squat", "calf-raise"} <= {slot.routine.id for slot in slots}
    assert all(slot.suggestion.minutes <= 3 for slot in slots)


def test_squat_snacks_asks_for_10_squats_every_45_minutes() -> None:
    slots = plan('preset = "squat-snacks"\n')
    gaps = {(b.at - a.at).total_seconds() / 60 for a, b in zip(slots, slots[1:], strict=False)}
    assert gaps == {45}
    squats = [slot.suggestion.squats for slot in slots if slot.suggestion.squats]
    assert squats == [10] * 10 and len(slots) == 11
    assert slots[0].suggestion.dose == "10" and slots[0].suggestion.why == "10 of the 100 squats left today"


def test_walking_walks_every_30_minutes_without_squats() -> None:
    slots = plan('preset = "walking"\n')
    assert len(slots) == 17 and all(slot.suggestion.squats == 0 for slot in slots)
    assert {slot.routine.id for slot in slots} == {"brisk-walk", "march-in-place", "stair-walk"}
    assert max(slot.suggestion.minutes for slot in slots) == 5


def test_suggest_only_with_an_unknown_id_is_one_line_with_the_nearest_id(tmp_path: Path) -> None:
    config = resolve_paths({"STANDUP_HOME": str(tmp_path)}).config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('suggest_only = ["half-sqat"]\n', encoding="utf-8")
    code, out, err = run_cli(tmp_path, "plan")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "did you mean 'half-squat'?" in err
