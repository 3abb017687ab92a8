"""Load and validate the routine catalogue: the bundled TOML routines plus the user's own files.

Standard library only. A routines file is TOML with one `[[routine]]` table per routine and an
optional top-level `disable = ["id", ...]` list. User files (the config dir's `routines/*.toml`,
read in name order) add routines, replace a bundled routine by using its `id`, or disable routines.
Every problem is reported with the file, the routine and the field; problems in user files become
warnings, so a bad user file never stops the bundled catalogue from loading.
"""

from __future__ import annotations

import difflib
import enum
import math
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from standup.core.assets import bundled
from standup.core.textfile import UnreadableText, read_user_text
from standup.core.errors import CatalogueError
from standup.core.poses import PoseError, parse_figure
from standup.core.fields import FieldError, boolean, shown, whole_number
from standup.core.text import CONTROL, clip
from standup.core.routine import (
    BUNDLED,
    MUSCLES,
    Equipment,
    Kind,
    Posture,
    Routine,
    default_key_cue,
)

Check = Callable[[object], object]  # a field's value as read → as kept; raises _Invalid
DEFAULT_BREAK_MINUTES = 5
E = TypeVar("E", bound=enum.Enum)

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a routines file."""

    file: str
    routine: str | None  # the routine's id, or "#n" when it has none
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.routine is not None:
            where.append(f"routine {clip(self.routine, 60)}")
        if self.field is not None:
            where.append(f"field {shown(self.field)}")
        return _one_line(f"{': '.join(where)}: {self.message}")


@dataclass(frozen=True)
class ParsedFile:
    """The valid routines of one file, the ids it disables, and what was wrong with it."""

    source: str
    routines: tuple[Routine, ...]
    disable: tuple[str, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Catalogue:
    """The enabled routines, in catalogue order, and the warnings collected from user files."""

    routines: tuple[Routine, ...]
    warnings: tuple[Problem, ...] = ()
    disabled: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Routine]:
        return iter(self.routines)

    def __len__(self) -> int:
        return len(self.routines)

    def get(self, routine_id: str | None) -> Routine | None:
        for routine in self.routines:
            if routine.id == routine_id:
                return routine
        return None

    def require(self, routine_id: str) -> Routine:
        routine = self.get(routine_id)
        if routine is None:
            hint = difflib.get_close_matches(routine_id, [r.id for r in self.routines], n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else "see `standup routines` for the ids"
            raise CatalogueError(f"no routine {routine_id!r} in the catalogue; {fix}")
        return routine


# ---------------------------------------------------------------------------------------------
# Loading


def load_catalogue(user_dir: Path | None = None) -> Catalogue:
    """The bundled routines, changed by the user's `*.toml` files in `user_dir` (if it exists).

    Raises CatalogueError only if the bundled catalogue itself is broken; problems in user files
    are returned as `Catalogue.warnings`.
    """
    bundled = load_bundled()
    by_id: dict[str, Routine] = {routine.id: routine for routine in bundled}
    order = [routine.id for routine in bundled]
    warnings: list[Problem] = []
    disabled: list[str] = []
    for path in _user_files(user_dir, warnings):
        parsed = parse_file(path)
        warnings.extend(parsed.problems)
        for routine in parsed.routines:
            if routine.id in by_id and by_id[routine.id].origin not in (BUNDLED, routine.origin):
                warnings.append(
                    Problem(str(path), routine.id, "id", f"also defined in {by_id[routine.id].origin}; this file wins")
                )
            if routine.id not in by_id:
                order.append(routine.id)
            by_id[routine.id] = routine
        for routine_id in parsed.disable:
            if routine_id not in by_id:
                warnings.append(Problem(str(path), routine_id, "disable", "no such routine to disable; check the id"))
            elif routine_id not in disabled:
                disabled.append(routine_id)
    enabled = tuple(by_id[routine_id] for routine_id in order if routine_id not in disabled)
    return Catalogue(enabled, tuple(warnings), tuple(disabled))


def load_bundled() -> tuple[Routine, ...]:
    """The routines shipped in `standup.assets/routines/*.toml`, in file and table order."""
    folder = bundled("routines")
    routines: list[Routine] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        parsed = parse_text(entry.read_text(encoding="utf-8"), f"{BUNDLED}:{entry.name}", BUNDLED)
        problems.extend(parsed.problems)
        for routine in parsed.routines:
            if routine.id in seen:
                problems.append(Problem(parsed.source, routine.id, "id", "defined twice in the bundled catalogue"))
            seen.add(routine.id)
            routines.append(routine)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CatalogueError(f"the bundled catalogue is broken: {problems[0]}{more}; reinstall standup")
    return tuple(routines)


def check_file(path: Path) -> list[Problem]:
    """Every problem in one user routines file, including ids it disables that do not exist."""
    parsed = parse_file(path)
    problems = list(parsed.problems)
    known = {routine.id for routine in load_bundled()} | {routine.id for routine in parsed.routines}
    for routine_id in parsed.disable:
        if routine_id not in known:
            problems.append(Problem(str(path), routine_id, "disable", "no such routine to disable; check the id"))
    return problems


def parse_file(path: Path) -> ParsedFile:
    """Read and validate one routines file; an unreadable file is one problem, not an exception."""
    try:
        text = read_user_text(path)
    except FileNotFoundError:
        problem = Problem(str(path), None, None, "cannot read the file: there is no such file; check the path")
        return ParsedFile(str(path), (), (), (problem,))
    except UnreadableText as exc:
        return ParsedFile(str(path), (), (), (Problem(str(path), None, None, f"the file {exc}"),))
    return parse_text(text, str(path), str(path))


def parse_text(text: str, source: str, origin: str) -> ParsedFile:
    """Validate routines TOML; `source` names the file in problems, `origin` is stored on routines."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return ParsedFile(source, (), (), (Problem(source, None, None, f"not valid TOML ({exc}); fix that line"),))
    except (RecursionError, ValueError):  # tomllib recurses per nesting level; int() refuses 4300+ digits
        problem = Problem(source, None, None, "not valid TOML (nested too deeply or a number too long)")
        return ParsedFile(source, (), (), (problem,))
    problems: list[Problem] = []
    for key in raw:
        if key not in ("routine", "disable"):
            hint = difflib.get_close_matches(key, ["routine", "disable"], n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else "a file holds [[routine]] tables and `disable = [...]`"
            problems.append(Problem(source, None, key, f"unknown top-level key; {fix}"))
    disable = _disable_list(raw.get("disable", []), source, problems)
    tables = raw.get("routine", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        problems.append(Problem(source, None, "routine", "must be [[routine]] tables (double brackets)"))
        tables = []
    if not tables and not disable and not problems:
        problems.append(Problem(source, None, None, "holds no [[routine]] tables and no `disable` list"))
    routines: list[Routine] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        routine = _routine(table, number, source, origin, problems)
        if routine is None:
            continue
        if routine.id in seen:
            problems.append(Problem(source, routine.id, "id", "used by two routines in this file; make it unique"))
            continue
        seen.add(routine.id)
        routines.append(routine)
    return ParsedFile(source, tuple(routines), disable, tuple(problems))


def _user_files(user_dir: Path | None, warnings: list[Problem]) -> list[Path]:
    if user_dir is None:
        return []
    try:
        return sorted(path for path in user_dir.glob("*.toml") if not path.is_dir())  # a FIFO is a problem, said
    except OSError as exc:
        warnings.append(Problem(str(user_dir), None, None, f"cannot list the folder ({exc})"))
        return []


def _disable_list(value: object, source: str, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(Problem(source, None, "disable", f'must be a list of routine ids like ["wall-sit"], got {shown(value)}'))
        return ()
    return tuple(value)


# ---------------------------------------------------------------------------------------------
# Validating one [[routine]] table

_REQUIRED = ("id", "name", "kind", "posture", "muscles", "equipment", "cues", "intensity", "quiet", "source")
_OPTIONAL = ("sets", "reps", "seconds", "key_cue", "evidence", "caution", "squat", "per_side", "desk", "rest", "tempo", "figure")
_FIELDS = _REQUIRED + _OPTIONAL

_REQUIRED_FIX = {
    "id": 'add id = "my-routine" (lowercase letters, digits and dashes)',
    "name": 'add name = "What the prompt calls it"',
    "kind": 'add kind = "strength", "cardio", "mobility" or "stretch"',
    "posture": 'add posture = "standing", "seated" or "floor" (a get-up break suggests standing routines)',
    "muscles": 'add muscles = ["quads", "glutes"]',
    "equipment": 'add equipment = "none", "chair", "wall" or "stairs"',
    "cues": 'add cues = ["first step", "second step"]',
    "intensity": "add intensity = 1, 2 or 3",
    "quiet": "add quiet = true (office-safe, no jumping) or false",
    "source": 'add source = "where this routine comes from"',
}


_Invalid = FieldError  # one field failed validation; the message says what is wrong and how to fix it


def _routine(table: dict[str, object], number: int, source: str, origin: str, problems: list[Problem]) -> Routine | None:
    raw_id = table.get("id")
    label = raw_id if isinstance(raw_id, str) and raw_id else f"#{number} (no id)"
    before = len(problems)

    def report(field: str | None, message: str) -> None:
        problems.append(Problem(source, label, field, message))

    for key in table:
        if key == "disable":
            report(key, "`disable = [...]` inside a [[routine]] table; move it above the first [[routine]]")
        elif key not in _FIELDS:
            hint = difflib.get_close_matches(key, list(_FIELDS), n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else f"known fields: {', '.join(_FIELDS)}"
            report(key, f"unknown field; {fix}")
    for key in _REQUIRED:
        if key not in table:
            report(key, f"missing; {_REQUIRED_FIX[key]}")

    values: dict[str, object] = {}
    for key, check in _CHECKS.items():
        if key in table:
            try:
                values[key] = check(table[key])
            except (_Invalid, PoseError) as exc:
                report(key, str(exc))

    if "reps" in table and "seconds" in table:
        report("seconds", "reps and seconds are both given; keep exactly one")
    elif "reps" not in table and "seconds" not in table:
        report("reps", "neither reps nor seconds is given; add reps = 10 or seconds = 30")
    if values.get("squat") and "seconds" in table:
        report("squat", "squat = true counts repetitions, so it needs reps, not seconds")
    if values.get("squat") and values.get("kind") not in (None, Kind.STRENGTH):
        report("squat", 'squat = true needs kind = "strength"')
    if "tempo" in table and "seconds" in table:
        report("tempo", "tempo (seconds per rep) only applies with reps")
    cues = values.get("cues")
    key_cue = values.get("key_cue")
    if isinstance(cues, tuple) and isinstance(key_cue, int) and key_cue > len(cues):
        report("key_cue", f"is cue number {key_cue} but there are {len(cues)} cues; use 1 to {len(cues)}")

    if len(problems) > before:
        return None
    return Routine(
        id=values["id"],  # type: ignore[arg-type]
        name=values["name"],  # type: ignore[arg-type]
        kind=values["kind"],  # type: ignore[arg-type]
        posture=values["posture"],  # type: ignore[arg-type]
        muscles=values["muscles"],  # type: ignore[arg-type]
        equipment=values["equipment"],  # type: ignore[arg-type]
        sets=values.get("sets", 1),  # type: ignore[arg-type]
        reps=values.get("reps"),  # type: ignore[arg-type]
        seconds=values.get("seconds"),  # type: ignore[arg-type]
        cues=values["cues"],  # type: ignore[arg-type]
        intensity=values["intensity"],  # type: ignore[arg-type]
        quiet=values["quiet"],  # type: ignore[arg-type]
        source=values["source"],  # type: ignore[arg-type]
        key_cue=values.get("key_cue", default_key_cue(values["cues"])),  # type: ignore[arg-type]
        evidence=values.get("evidence"),  # type: ignore[arg-type]
        caution=values.get("caution"),  # type: ignore[arg-type]
        squat=values.get("squat", False),  # type: ignore[arg-type]
        per_side=values.get("per_side", False),  # type: ignore[arg-type]
        desk=values.get("desk", False),  # type: ignore[arg-type]
        rest=values.get("rest"),  # type: ignore[arg-type]
        tempo=values.get("tempo"),  # type: ignore[arg-type]
        origin=origin,
        figure=values.get("figure"),  # type: ignore[arg-type]
    )


def _text(max_length: int) -> Check:
    def check(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(f"must be a non-empty string in quotes, got {shown(value)}")
        if len(value) > max_length:
            raise _Invalid(f"is {len(value)} characters long; keep it to {max_length}")
        return _plain(value)

    return check


def _routine_id(value: object) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise _Invalid(f'must be lowercase letters, digits and dashes like "chair-squat", got {shown(value)}')
    return value


def _enum(kind: type[E]) -> Callable[[object], E]:
    names = [member.value for member in kind]

    def check(value: object) -> E:
        if isinstance(value, str) and value in names:
            return kind(value)
        hint = difflib.get_close_matches(value, names, n=1) if isinstance(value, str) else []
        fix = f"did you mean {hint[0]!r}?" if hint else f"use one of {', '.join(names)}"
        raise _Invalid(f"unknown value {shown(value)}; {fix}")

    return check


_POSTURE_WORDS = {"sitting": "seated", "sit": "seated", "chair": "seated", "lying": "floor", "kneeling": "floor",
                  "mat": "floor", "stand": "standing", "upright": "standing"}


def _posture(value: object) -> Posture:
    if isinstance(value, str) and value.lower() in _POSTURE_WORDS:
        raise _Invalid(f"unknown value {shown(value)}; did you mean {_POSTURE_WORDS[value.lower()]!r}? "
                       "(standing, seated or floor)")
    return _enum(Posture)(value)


def _muscles(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise _Invalid(f'must be a non-empty list like ["quads", "glutes"], got {shown(value)}')
    for item in value:
        if item not in MUSCLES:
            hint = difflib.get_close_matches(item, MUSCLES, n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else f"use {', '.join(MUSCLES)}"
            raise _Invalid(f"unknown muscle {shown(item)}; {fix}")
    return tuple(value)


def _cues(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _Invalid(f'must be a non-empty list of steps like ["Stand tall", "Sit back"], got {shown(value)}')
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise _Invalid("every cue must be a non-empty string")
    if len(value) > 8:
        raise _Invalid(f"has {len(value)} cues; keep it to 8 so it fits a notification")
    return tuple(_plain(item) for item in value)


def _key_cue(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
        raise _Invalid(f"must be the number of the cue that shows the movement (1 for the first), got {shown(value)}")
    return value


def _plain(text: str) -> str:
    """One line of plain text: line breaks and tabs become single spaces; any other control character
    (an escape sequence, a bell, NUL) is refused, since prompts reach notifications and terminals."""
    text = " ".join(text.split())
    control = CONTROL.search(text)
    if control:
        raise _Invalid(f"holds the control character U+{ord(control.group()):04X}; remove it (plain text only)")
    return text


def _one_line(text: str) -> str:
    """Line breaks and other unprintable characters (from file names, ids, keys) shown escaped."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _tempo(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        raise _Invalid(f"must be seconds per repetition like 3 or 1.5, got {shown(value)}")
    if not 0.5 <= value <= 20:
        raise _Invalid(f"must be from 0.5 to 20 seconds per repetition, got {shown(value)}")
    return float(value)


_CHECKS: dict[str, Check] = {
    "id": _routine_id,
    "name": _text(60),
    "kind": _enum(Kind),
    "posture": _posture,
    "muscles": _muscles,
    "equipment": _enum(Equipment),
    "sets": whole_number(1, 10, "sets"),
    "reps": whole_number(1, 100, "repetitions"),
    "seconds": whole_number(5, 600, "seconds"),
    "cues": _cues,
    "key_cue": _key_cue,
    "evidence": _text(200),
    "intensity": whole_number(1, 3, "(1 easy, 3 hard)"),
    "quiet": boolean,
    "source": _text(200),
    "caution": _text(200),
    "squat": boolean,
    "per_side": boolean,
    "desk": boolean,
    "rest": whole_number(0, 300, "seconds"),
    "tempo": _tempo,
    "figure": parse_figure,
}
