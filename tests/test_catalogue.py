"""The routine catalogue: the bundled routines are complete and sane; user files add, replace and
disable routines; every problem names the file, the routine and the field."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from standup.core.catalogue import (
    BUNDLED,
    Equipment,
    Kind,
    check_file,
    load_bundled,
    load_catalogue,
    parse_text,
)
from standup.core.errors import CatalogueError
from standup.core.routine import Posture

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BUNDLED_DIR = REPO / "assets" / "routines"
SEED_NAMES = {"000_a33bfb27c5ade649.txt", "001_7a73ad0ebf7f8e74.txt", "002_0ddefb6e2f889100.txt", "003_062a3b410ba02d44.txt"}

GOOD = '''
[[routine]]
id = "{id}"
name = "Heel walks"
kind = "{kind}"
posture = "standing"
muscles = ["shins"]
equipment = "none"
sets = 2
seconds = 30
cues = ["Lift your toes and walk on your heels.", "Keep your steps short."]
intensity = 1
quiet = true
source = "my physio"
'''


def good(routine_id: str = "heel-walk", kind: str = "cardio") -> str:
    return GOOD.format(id=routine_id, kind=kind)


# -- the bundled catalogue --------------------------------------------------------------------

def test_bundled_catalogue_has_at_least_thirty_routines_with_unique_ids() -> None:
    routines = load_bundled()
    assert len(routines) >= 30
    ids = [routine.id for routine in routines]
    assert len(ids) == len(set(ids))
    assert all(routine.origin == BUNDLED for routine in routines)


def test_every_bundled_routine_fits_a_default_five_minute_break() -> None:
    for routine in load_bundled():
        work = routine.reps * routine.seconds_per_rep if routine.reps is not None else routine.seconds
        assert work is not None
        if routine.per_side:
            work *= 2
        seconds = routine.sets * work + (routine.sets - 1) * routine.rest_seconds
        assert seconds <= 5 * 60, routine.id
        assert routine.minutes() == pytest.approx(seconds / 60)


def test_minutes_count_reps_tempo_rest_and_both_sides() -> None:
    chair = load_catalogue().require("chair-squat")  # 2 × 10 at the default 3 s a rep, 45 s rest
    assert chair.minutes() == pytest.approx((2 * 10 * 3 + 45) / 60)
    assert chair.minutes(sets=3, reps=12) == pytest.approx((3 * 12 * 3 + 2 * 45) / 60)
    quad = load_catalogue().require("quad-stretch")  # 30 s each side, one set
    assert quad.minutes() == pytest.approx(60 / 60)


def test_every_source_names_a_seed_file_and_a_fact() -> None:
    present = {path.name for path in SEEDS.glob("*.txt")}
    assert present == SEED_NAMES
    for routine in load_bundled():
        file, _, fact = routine.source.partition(": ")
        assert file in SEED_NAMES, routine.id
        assert len(fact.split()) >= 3, routine.id


def test_seed_readme_exists_and_names_every_seed() -> None:
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    for name in SEED_NAMES:
        assert name in readme


def test_cue_text_is_our_own_not_copied_from_the_seeds() -> None:
    seed_text = " ".join(path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")).lower()
    for routine in load_bundled():
        for cue in routine.cues:
            words = re.findall(r"[a-z']+", cue.lower())
            # no run of eight words from a cue appears in a seed article
            for start in range(max(0, len(words) - 7)):
                assert " ".join(words[start : start + 8]) not in seed_text, (routine.id, cue)


def test_catalogue_covers_the_variations_the_issue_asks_for() -> None:
    routines = load_bundled()
    names = " ".join(routine.name.lower() for routine in routines)
    for word in ("chair", "sumo", "tempo", "pulse", "split", "wall sit", "hold", "reverse lunge", "lateral lunge",
                 "curtsy", "glute bridge", "calf raise", "step-up", "march", "skipping", "leg swing", "hip circle"):
        assert word in names, word
    stretched = {muscle for routine in routines if routine.kind is Kind.STRETCH for muscle in routine.muscles}
    assert {"quads", "hamstrings", "calves", "hip_flexors"} <= stretched
    assert {routine.kind for routine in routines} == set(Kind)
    assert {routine.equipment for routine in routines} == set(Equipment)
    assert sum(routine.desk for routine in routines) >= 3
    assert sum(routine.squat for routine in routines) >= 6
    assert any(not routine.quiet for routine in routines)
    assert all(1 <= routine.intensity <= 3 and routine.cues for routine in routines)


def test_every_bundled_routine_states_its_posture_and_key_cue_in_the_file() -> None:
    for path in sorted(BUNDLED_DIR.glob("*.toml")):
        for table in tomllib.loads(path.read_text(encoding="utf-8"))["routine"]:
            assert table.get("posture") in {posture.value for posture in Posture}, (path.name, table["id"])
            assert 1 <= table.get("key_cue", 0) <= len(table["cues"]), (path.name, table["id"])


def test_a_key_cue_is_the_movement_not_the_starting_stance() -> None:
    stances = ("stand with", "stand tall", "stand on", "stand in", "stand facing", "stand side-on", "sit tall",
               "sit on", "lie on", "hold a", "hold the", "hold your", "face a", "kneel on", "take a long", "put one",
               "set your", "rest your")
    for routine in load_bundled():
        cue = routine.movement_cue.lower()
        if routine.id != "figure-four-stretch":  # crossing the ankle over the knee *is* that stretch
            assert not cue.startswith(stances), (routine.id, cue)
        assert routine.movement_cue == routine.cues[routine.key_cue - 1]


def test_a_user_routine_without_a_key_cue_shows_its_second_cue() -> None:
    routine = parse_text(good(), "my.toml", "my.toml").routines[0]
    assert routine.key_cue == 2 and routine.movement_cue == "Keep your steps short."


def test_research_behind_the_presets_is_cited_beside_the_seed_source() -> None:
    evidence = " ".join(routine.evidence or "" for routine in load_bundled())
    for study in ("Dempsey et al. 2016", "Gao et al. 2024", "Diaz 2023"):
        assert study in evidence, study
    assert load_catalogue().require("half-squat").posture is Posture.STANDING


def test_squat_routines_count_repetitions_and_noisy_ones_carry_a_caution() -> None:
    for routine in load_bundled():
        if routine.squat:
            assert routine.kind is Kind.STRENGTH and routine.reps is not None, routine.id
        if not routine.quiet:
            assert routine.caution, routine.id
        assert (routine.reps is None) != (routine.seconds is None), routine.id


# -- validation -------------------------------------------------------------------------------

def problems_of(text: str) -> list[str]:
    return [str(problem) for problem in parse_text(text, "my.toml", "my.toml").problems]


def test_a_valid_user_routine_parses() -> None:
    parsed = parse_text(good(), "my.toml", "my.toml")
    assert parsed.problems == ()
    assert [routine.id for routine in parsed.routines] == ["heel-walk"]
    assert parsed.routines[0].origin == "my.toml"
    assert parsed.routines[0].kind is Kind.CARDIO


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (('sets = 2', 'sets = "2"'), "sets", "whole number"),
        (('kind = "cardio"', 'kind = "cardoi"'), "kind", "cardio"),
        (('intensity = 1', 'intensity = 5'), "intensity", "from 1 to 3"),
        (('quiet = true', 'quiet = "yes"'), "quiet", "true or false"),
        (('muscles = ["shins"]', 'muscles = ["quadz"]'), "muscles", "quads"),
        (('cues = ["Lift your toes and walk on your heels.", "Keep your steps short."]', 'cues = []'), "cues", "non-empty"),
        (('equipment = "none"', 'equipment = "bench"'), "equipment", "chair"),
        (('seconds = 30', 'seconds = 30\nreps = 10'), "seconds", "both"),
        (('seconds = 30', 'secs = 30'), "secs", "unknown field"),
        (('id = "heel-walk"', 'id = "Heel Walk"'), "id", "lowercase"),
        (('posture = "standing"', 'posture = "standin"'), "posture", "did you mean 'standing'"),
        (('posture = "standing"', 'posture = "sideways"'), "posture", "standing, seated, floor"),
        (('posture = "standing"', 'posture = "sitting"'), "posture", "did you mean 'seated'?"),
        (('posture = "standing"\n', ''), "posture", 'add posture = "standing"'),
        (('quiet = true', 'quiet = true\nkey_cue = 3'), "key_cue", "there are 2 cues"),
        (('quiet = true', 'quiet = true\nkey_cue = "2"'), "key_cue", "number of the cue"),
    ],
)
def test_each_bad_field_is_named_with_file_and_routine(change: tuple[str, str], field: str, words: str) -> None:
    text = good().replace(*change)
    assert text != good()
    problems = problems_of(text)
    assert problems, text
    assert any(f"field {field!r}" in problem and words in problem for problem in problems), problems
    assert all(problem.startswith("my.toml: ") for problem in problems)


def test_missing_fields_are_all_reported_at_once() -> None:
    text = '[[routine]]\nid = "bare"\nname = "Bare"\n'
    problems = problems_of(text)
    for field in ("kind", "posture", "muscles", "equipment", "cues", "intensity", "quiet", "source", "reps"):
        assert any("routine bare" in p and f"field {field!r}" in p for p in problems), field


def test_a_routine_without_an_id_is_named_by_its_position() -> None:
    text = good() + good().replace('id = "heel-walk"\n', "")
    problems = problems_of(text)
    assert any("routine #2 (no id)" in problem and "field 'id'" in problem for problem in problems)


def test_squat_counting_needs_strength_and_reps() -> None:
    problems = problems_of(good().replace("source", "squat = true\nsource"))
    assert any("field 'squat'" in problem and "reps" in problem for problem in problems)
    assert any("field 'squat'" in problem and "strength" in problem for problem in problems)


def test_duplicate_ids_and_unknown_top_level_keys_and_bad_toml() -> None:
    assert any("used by two routines" in p for p in problems_of(good() + good()))
    assert any("field 'routines'" in p and "'routine'" in p for p in problems_of("[[routines]]\nid = 'x'\n"))
    assert any("not valid TOML" in p for p in problems_of("[[routine]\nid = "))


def test_load_catalogue_without_a_user_dir_is_the_bundled_one() -> None:
    catalogue = load_catalogue(None)
    assert [r.id for r in catalogue] == [r.id for r in load_bundled()]
    assert catalogue.warnings == ()
    assert load_catalogue(Path("/nonexistent/standup/routines")).routines == catalogue.routines


# -- user files -------------------------------------------------------------------------------

def test_user_files_add_override_and_disable(tmp_path: Path) -> None:
    chair = load_bundled()[1]
    override = good(chair.id, kind="strength").replace("Heel walks", "My chair squats")
    (tmp_path / "a.toml").write_text(good() + override, encoding="utf-8")
    (tmp_path / "b.toml").write_text('disable = ["squat-jump", "jumping-jacks"]\n', encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.warnings == ()
    assert catalogue.get("heel-walk") is not None
    assert catalogue.require(chair.id).name == "My chair squats"
    assert catalogue.require(chair.id).origin == str(tmp_path / "a.toml")
    assert catalogue.get("squat-jump") is None and catalogue.get("jumping-jacks") is None
    assert set(catalogue.disabled) == {"squat-jump", "jumping-jacks"}
    assert len(catalogue) == len(load_bundled()) + 1 - 2


def test_a_bad_user_file_never_stops_the_bundled_catalogue(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[[routine]\nthis is not toml", encoding="utf-8")
    (tmp_path / "half.toml").write_text(good("fine") + good("bad").replace("sets = 2", "sets = 0"), encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert len(catalogue) == len(load_bundled()) + 1  # "fine" loads, "bad" does not
    assert catalogue.get("fine") is not None and catalogue.get("bad") is None
    text = [str(problem) for problem in catalogue.warnings]
    assert any(str(tmp_path / "broken.toml") in p for p in text)
    assert any(str(tmp_path / "half.toml") in p and "routine bad" in p and "field 'sets'" in p for p in text)


def test_disabling_an_unknown_id_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "off.toml"
    path.write_text('disable = ["no-such-routine"]\n', encoding="utf-8")
    assert any("no-such-routine" in str(p) for p in load_catalogue(tmp_path).warnings)
    assert any("no-such-routine" in str(p) and "field 'disable'" in str(p) for p in check_file(path))


def test_check_file_reports_unreadable_files(tmp_path: Path) -> None:
    problems = check_file(tmp_path / "missing.toml")
    assert len(problems) == 1 and "cannot read" in str(problems[0])


def test_require_raises_a_one_line_catalogue_error() -> None:
    with pytest.raises(CatalogueError, match="chair-squat"):
        load_catalogue().require("chair-sqat")
