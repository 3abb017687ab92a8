"""Bad input files never crash the CLI: hypothesis-made config.toml and routine files through `standup`.

Covers `standup config check` (config.toml in STANDUP_HOME), `standup routines check FILE` and
`standup routines` with a bad user file in the routines folder. Whatever the bytes — valid TOML, wrong
types, unicode, NUL and control characters, a BOM, CRLF, random bytes, deep nesting, huge numbers,
huge files — the command answers with a documented exit code, never a traceback, and every error is one
line that names the file. Where tomllib itself rejects what standup reads, standup must reject it too.
"""

from __future__ import annotations

import io
import json
import math
import re
import sys
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from standup.core.catalogue import load_bundled
from standup.cli.main import Context, main
from standup.core.errors import ExitCode
from standup.adapters.paths import Paths, resolve_paths
from tests.fakes import BERLIN, FakeClock

DOCUMENTED_CODES = {int(code) for code in ExitCode}
SETTING_KEYS = ("interval_minutes", "break_minutes", "snooze_minutes", "work_hours", "workdays", "align_to_clock",
                "daily_squat_goal", "level", "quiet", "evening_note", "preset", "squats_per_break", "suggest_only",
                "allow_seated")
ROUTINE_FIELDS = ("id", "name", "kind", "posture", "key_cue", "evidence", "muscles", "equipment", "cues", "intensity", "quiet", "source", "sets", "reps",
                  "seconds", "caution", "squat", "per_side", "desk", "rest", "tempo")
FUZZ = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DEEP = 3_000  # beyond the recursion limit, yet quick for tomllib (dotted keys cost it quadratic time)


# -- a tiny TOML writer (valid TOML for any value below; `Raw` is written as is) -----------------------


@dataclass(frozen=True)
class Raw:
    """A literal written verbatim: huge numbers, special floats, or deliberately broken text."""

    text: str


def toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_document(table: dict[str, Any], header: tuple[str, ...] = ()) -> str:
    """Scalars and arrays as `key = value`, sub-tables as [tables], lists of tables as [[arrays]]."""
    lines, later = [], []
    for key, value in table.items():
        if isinstance(value, dict) and value:
            later.append(f"\n[{'.'.join(toml_key(k) for k in (*header, key))}]\n" + toml_document(value, (*header, key)))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            name = ".".join(toml_key(k) for k in (*header, key))
            later.extend(f"\n[[{name}]]\n" + toml_document(item, (*header, key)) for item in value)
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}\n")
    return "".join(lines) + "".join(later)


# -- strategies ---------------------------------------------------------------------------------


any_text = st.text(st.characters(codec="utf-8"), max_size=30)  # any unicode, control characters included
odd_numbers = st.sampled_from([
    Raw("9" * 4400),  # more digits than int() will read
    Raw("0x" + "f" * 4000),  # a hex number with ~4800 decimal digits: fine to parse, fatal to print
    Raw("-0x1"), Raw("+inf"), Raw("-nan"), Raw("1_000"), Raw("0o777"), Raw("1e400"), Raw("99999999999999999999999"),
])
scalars = st.one_of(
    st.integers(), st.integers(-3, 1500), st.booleans(), st.floats(), any_text, odd_numbers,
    st.datetimes(timezones=st.just(timezone.utc)), st.dates(), st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=10,
)
hhmm = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 25), st.integers(0, 61))
good_setting = {
    "interval_minutes": st.integers(0, 1500), "break_minutes": st.integers(0, 70), "snooze_minutes": st.integers(0, 250),
    "work_hours": st.builds(lambda a, b: f"{a}-{b}", hhmm, hhmm),
    "workdays": st.lists(st.sampled_from(["mon", "Tue", "wednesday", "thu", "fri", "sat", "sun", "xyz"]), max_size=8),
    "align_to_clock": st.booleans(), "daily_squat_goal": st.integers(-1, 1100),
    "level": st.sampled_from(["beginner", "intermediate", "advanced", "expert", "Beginner"]),
    "quiet": st.booleans(), "evening_note": st.booleans(),
}
config_tables = st.one_of(
    st.fixed_dictionaries({}, optional=good_setting),  # mostly plausible settings
    st.dictionaries(st.sampled_from(SETTING_KEYS), values, max_size=4),  # known keys, any value
    st.dictionaries(st.one_of(st.sampled_from(SETTING_KEYS), any_text), values, max_size=4),  # unknown keys too
)


def routine_tables() -> st.SearchStrategy[dict[str, Any]]:
    base = {"id": "my-squat", "name": "My squats", "kind": "strength", "posture": "standing", "muscles": ["quads"], "equipment": "none",
            "sets": 2, "reps": 10, "cues": ["Sit back.", "Stand tall."], "intensity": 1, "quiet": True, "source": "me"}
    ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,5})?", fullmatch=True)
    changes = st.just({}) | st.dictionaries(st.sampled_from((*ROUTINE_FIELDS, "disable", "colour")), values, max_size=3)
    dropped = st.just(set()) | st.sets(st.sampled_from(tuple(base)), max_size=2)
    return st.builds(lambda i, c, d: {k: v for k, v in {**base, "id": i, **c}.items() if k not in d}, ids, changes, dropped)


bundled_ids = [routine.id for routine in load_bundled()]
routine_files = st.one_of(
    st.builds(lambda routines, disable: ({"disable": disable} if disable is not None else {}) | {"routine": routines},
              st.lists(routine_tables(), max_size=3),
              st.none() | st.lists(st.sampled_from(bundled_ids), max_size=3) | st.lists(any_text, max_size=2) | values),
    st.dictionaries(st.one_of(st.sampled_from(["routine", "disable"]), any_text), values, max_size=3),
)


@st.composite
def damaged(draw: st.DrawFn, documents: st.SearchStrategy[dict[str, Any]]) -> bytes:
    """A TOML document, then perhaps a BOM, CRLF, inserted NUL/control/random bytes, or a cut."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))  # plain random bytes
    data = toml_document(draw(documents)).encode("utf-8")
    for change in draw(st.lists(st.sampled_from(["bom", "crlf", "cr", "insert", "cut"]), max_size=3)):
        if change == "bom":
            data = b"\xef\xbb\xbf" + data
        elif change == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif change == "cr":
            data = data.replace(b"\n", b"\r")
        elif change == "insert":
            at = draw(st.integers(0, len(data)))
            junk = draw(st.sampled_from([b"\x00", b"\x07", b"\x1b[31m", b"\xff\xfe", b"\x7f", b"[", b'"', b"\\"]))
            data = data[:at] + junk + data[at:]
        elif data:
            data = data[: draw(st.integers(0, len(data) - 1))]
    return data


PATHOLOGICAL = {
    "deep arrays": "interval_minutes = " + "[" * DEEP + "]" * DEEP + "\n",
    "deep inline tables": "workdays = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n",
    "deep dotted table header": "[workdays" + ".a" * DEEP + "]\n",
    "deep dotted table header on level": "[level" + ".a" * DEEP + "]\n",
    "deep dotted key": "quiet" + ".a" * DEEP + " = 1\n",
    "too many digits": "interval_minutes = " + "9" * 5000 + "\n",
    "hex too long to print": "interval_minutes = 0x" + "f" * 5000 + "\n",
    "huge key": "x" * 300_000 + " = 1\n",
    "huge string value": 'work_hours = "' + "9" * 1_000_000 + '"\n',
    "huge file of comments": "# standup\n" * 200_000,
    "NUL inside": "interval_minutes = 5\x00\n",
    "raw escape sequence": 'level = "\x1b[31mred"\n',
    "newline escape in a key": '"inter\\nval" = 1\n',
    "BOM then valid": "\ufeffinterval_minutes = 5\n",
    "CRLF valid": "interval_minutes = 5\r\nquiet = true\r\n",
    "U+2028 in a value": 'level = "begin\u2028ner"\n',
}
ROUTINE_PATHOLOGICAL = {
    **PATHOLOGICAL,
    "deep routine array": "routine = " + "[" * DEEP + "]" * DEEP + "\n",
    "deep disable table": "[disable" + ".a" * DEEP + "]\n",
    "deep table in a routine field": "[[routine]]\nid = \"x\"\n[routine.kind" + ".a" * DEEP + "]\n",
    "huge tempo": "[[routine]]\ntempo = " + "9" * 400 + "\n",
    "hex sets too long to print": "[[routine]]\nsets = 0x" + "f" * 5000 + "\n",
    "id with a newline": '[[routine]]\nid = "bad\\nid"\nname = "x"\n',
    "disable id with a newline": 'disable = ["no\\nsuch"]\n',
    "huge cue": '[[routine]]\nid = "x"\ncues = ["' + "a" * 1_000_000 + '"]\n',
}


# -- running the CLI in-process -----------------------------------------------------------------


class Standup:
    """`standup …` in-process with STANDUP_HOME=home; returns (exit code, stdout, stderr)."""

    def __init__(self, home: Path) -> None:
        self.paths: Paths = resolve_paths({"STANDUP_HOME": str(home)})
        self.clock = FakeClock(datetime(2026, 11, 23, 12, 0, tzinfo=BERLIN))

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), ctx=Context(self.paths, out, err, self.clock))
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def standup(tmp_path: Path) -> Standup:
    return Standup(tmp_path)


def read_as_standup_does(path: Path) -> dict[str, Any] | None:
    """What tomllib makes of the file as standup reads it (UTF-8 after an optional BOM, universal newlines);
    None if it refuses."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # TOMLDecodeError is a ValueError
        return None


def note_exit(command: str, code: int) -> None:
    if currently_in_test_context():  # --hypothesis-show-statistics shows how often each answer came
        event(f"{command} exit {code}")


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text[:2000]


def assert_one_line_error(err: str, path: Path) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, err[:2000]
    assert err.startswith("standup: ") and str(path) in err, err[:2000]


def check_config(standup: Standup, data: bytes) -> None:
    path = standup.paths.config_file
    path.write_bytes(data)
    code, out, err = standup("config", "check")
    note_exit("config check", code)
    assert code in DOCUMENTED_CODES
    assert code in (ExitCode.OK, ExitCode.CONFIG), (code, err[:500])
    assert_no_traceback(out, err)
    parsed = read_as_standup_does(path)
    if parsed is None or set(parsed) - set(SETTING_KEYS):
        assert code == ExitCode.CONFIG, f"accepted a file tomllib refuses or with an unknown key: {data[:200]!r}"
    if code == ExitCode.CONFIG:
        assert out == ""
        assert_one_line_error(err, path)
        return
    assert err == "" and out == f"ok: {path}\n"
    assert parsed is not None
    code, shown, _ = standup("config", "show", "--json")
    assert code == ExitCode.OK
    effective = json.loads(shown)
    for key in ("interval_minutes", "break_minutes", "snooze_minutes", "daily_squat_goal", "align_to_clock", "quiet",
                "evening_note", "level"):
        if key in parsed:
            assert effective[key] == parsed[key], key


def check_routines_file(standup: Standup, data: bytes) -> None:
    folder = standup.paths.routines_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.toml"
    path.write_bytes(data)

    code, out, err = standup("routines", "check", str(path))
    note_exit("routines check", code)
    assert code in DOCUMENTED_CODES
    assert code in (ExitCode.OK, ExitCode.CONFIG), (code, err[:500])
    assert_no_traceback(out, err)
    if read_as_standup_does(path) is None:
        assert code == ExitCode.CONFIG, f"accepted a file tomllib refuses: {data[:200]!r}"
    if code == ExitCode.CONFIG:
        assert out == "" and err
        for line in err.splitlines():  # one line per problem, each naming the file
            assert line.startswith(f"standup: {path}: "), line[:500]
    else:
        assert err == "" and out.startswith(f"{path}: OK")

    listed, listing, warned = standup("routines", "--json")
    assert listed == ExitCode.OK, warned[:500]
    assert_no_traceback(listing, warned)
    catalogue = json.loads(listing)
    ids = {routine["id"] for routine in catalogue["routines"]}
    assert set(bundled_ids) - set(catalogue["disabled"]) <= ids  # the bundled catalogue still loads
    assert bool(catalogue["warnings"]) == (code == ExitCode.CONFIG)  # the same problems as `routines check`
    assert all(str(path) in warning and "\n" not in warning for warning in catalogue["warnings"])
    for line in warned.splitlines():
        assert line.startswith(f"warning: {path}: ") and line.endswith(" (skipped)"), line[:500]
    assert len(warned.splitlines()) == len(catalogue["warnings"])


# -- config.toml ----------------------------------------------------------------------------------


@FUZZ
@given(data=damaged(config_tables))
@example(data=b"\xef\xbb\xbfinterval_minutes = 5\r\n")
@example(data=b"interval_minutes = 5\x00\n")
@example(data=b"\xff\xfe\x00i")
def test_config_check_answers_any_config_file_with_ok_or_one_line(standup: Standup, data: bytes) -> None:
    check_config(standup, data)


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_config_check_survives_pathological_files(standup: Standup, name: str) -> None:
    check_config(standup, PATHOLOGICAL[name].encode("utf-8"))


@pytest.mark.parametrize("name", ["deep arrays", "deep dotted table header", "hex too long to print", "NUL inside"])
def test_run_refuses_a_pathological_config_in_one_line_before_starting(standup: Standup, name: str) -> None:
    standup.paths.config_file.write_text(PATHOLOGICAL[name], encoding="utf-8")
    code, out, err = standup("run", "--no-tray")
    assert code == ExitCode.CONFIG and out == ""
    assert_one_line_error(err, standup.paths.config_file)
    assert not standup.paths.socket.exists() and not standup.paths.database.exists()


def test_error_lines_stay_short_for_huge_values(standup: Standup) -> None:
    standup.paths.config_file.write_text(PATHOLOGICAL["huge string value"], encoding="utf-8")
    code, _, err = standup("config", "check")
    assert code == ExitCode.CONFIG and "work_hours" in err
    assert len(err) < 1000


# -- routine files --------------------------------------------------------------------------------


@FUZZ
@given(data=damaged(routine_files))
@example(data=b"\xef\xbb\xbf[[routine]]\r\nid = \"x\"\r\n")
@example(data=b"disable = [\"squat-jump\"]\x00\n")
def test_routine_files_give_problems_or_ok_and_never_stop_the_bundled_catalogue(standup: Standup, data: bytes) -> None:
    check_routines_file(standup, data)


@pytest.mark.parametrize("name", list(ROUTINE_PATHOLOGICAL))
def test_routine_files_survive_pathological_content(standup: Standup, name: str) -> None:
    check_routines_file(standup, ROUTINE_PATHOLOGICAL[name].encode("utf-8"))


@pytest.mark.skipif(sys.platform == "win32", reason="a newline in a file name")
def test_a_file_name_with_a_newline_still_gives_one_line_warnings(standup: Standup) -> None:
    folder = standup.paths.routines_dir
    folder.mkdir(parents=True)
    (folder / "bad\nname.toml").write_text("routine = 3\n", encoding="utf-8")
    code, out, err = standup("routines", "--json")
    assert code == ExitCode.OK
    warnings = json.loads(out)["warnings"]
    assert len(warnings) == 1 and "\n" not in warnings[0] and "name.toml" in warnings[0]
    assert err.count("\n") == 1 and err.startswith("warning: ")


def test_plan_with_a_pathological_routine_file_still_plans_from_the_bundled_catalogue(standup: Standup) -> None:
    folder = standup.paths.routines_dir
    folder.mkdir(parents=True)
    (folder / "deep.toml").write_text(ROUTINE_PATHOLOGICAL["deep disable table"], encoding="utf-8")
    (folder / "huge.toml").write_text(ROUTINE_PATHOLOGICAL["hex sets too long to print"], encoding="utf-8")
    code, out, err = standup("plan", "--json", "--date", "2026-11-24")
    assert code == ExitCode.OK
    assert_no_traceback(out, err)
    assert json.loads(out)["slots"] and all(slot["routine"] in bundled_ids for slot in json.loads(out)["slots"])
    named = [next(name for name in ("deep.toml", "huge.toml") if line.startswith(f"warning: {folder / name}: "))
             for line in err.splitlines()]
    assert set(named) == {"deep.toml", "huge.toml"}


def test_routines_check_problem_lines_start_with_standup(standup: Standup, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("routine = 3\n", encoding="utf-8")
    code, _, err = standup("routines", "check", str(path))
    assert code == ExitCode.CONFIG
    assert all(line.startswith("standup: ") and str(path) in line for line in err.splitlines())


def test_routines_listing_with_every_routine_disabled_answers_in_one_line(standup: Standup) -> None:
    folder = standup.paths.routines_dir
    folder.mkdir(parents=True)
    (folder / "none.toml").write_text(f"disable = {json.dumps(bundled_ids)}\n", encoding="utf-8")
    code, out, err = standup("routines")
    assert code in DOCUMENTED_CODES
    assert_no_traceback(out, err)
    assert err.startswith("standup: ") or "0 routines" in out
