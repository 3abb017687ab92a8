"""The user's settings: the config.toml schema, its defaults, and validation with one-line errors.

Loading never writes anything; a missing file means the defaults.
"""

from __future__ import annotations

import difflib
import enum
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from standup.core.fields import boolean, shown, whole_number
from standup.core.textfile import UnreadableText, read_user_text
from standup.core.errors import ConfigError
from standup.core.presets import DEFAULT_PRESET, PRESETS

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Level(enum.Enum):
    """How hard the suggested exercise doses are."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


@dataclass(frozen=True)
class Settings:
    """Validated settings. Work hours are minutes since local midnight; end may be 1440."""

    interval_minutes: int = 60
    break_minutes: int = 5
    snooze_minutes: int = 10
    work_start_minute: int = 9 * 60
    work_end_minute: int = 18 * 60
    workdays: frozenset[int] = frozenset(range(5))  # 0 = Monday, as date.weekday()
    align_to_clock: bool = False
    daily_squat_goal: int = 100
    level: Level = Level.BEGINNER
    quiet: bool = False
    allow_seated: bool = False
    evening_note: bool = True
    preset: str = DEFAULT_PRESET
    squats_per_break: int = 20
    suggest_only: tuple[str, ...] = ()  # routine ids; empty: the whole catalogue
    break_sound: bool = False
    # config key -> where its value came from: "default", "preset glucose" or "FILE, line N"
    origins: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def work_hours(self) -> str:
        return f"{_hhmm(self.work_start_minute)}-{_hhmm(self.work_end_minute)}"


DEFAULTS = Settings()

DEFAULT_CONFIG_TEXT = """\
# standup settings. Every key is optional and shown here commented out, with its default: remove
# the "# " in front of a key to set it. A key set here wins over the preset's value for it.
# Check this file with `standup config check`; `standup config show` shows the values in effect.

# A bundle of the settings below taken from a study on breaking up sitting (each key you set
# yourself still wins): "hourly" (these defaults), "glucose" (every 30 min, 3 min of half squats
# and calf raises), "squat-snacks" (10 squats every 45 min) or "walking" (every 30 min, a walk of up
# to 5 min). Sources in docs/presets.md; `standup config show` says where each value comes from.
# preset = "hourly"

# Minutes of sitting before standup asks you to move (1 or more).
# interval_minutes = 60

# How long a movement break lasts, in minutes. Being away from the computer this long
# also counts as a break.
# break_minutes = 5

# How long "Snooze" postpones a prompt, in minutes.
# snooze_minutes = 10

# When reminders run, local time, "HH:MM-HH:MM" (the end may be 24:00).
# work_hours = "09:00-18:00"

# Days with reminders: any of "mon", "tue", "wed", "thu", "fri", "sat", "sun".
# workdays = ["mon", "tue", "wed", "thu", "fri"]

# true: prompt on the clock grid (every :00 with a 60-minute interval) instead of
# counting from your last break.
# align_to_clock = false

# Squats to spread over the day's breaks (the seed articles suggest about 100 in 5-6 sets).
# daily_squat_goal = 100

# About how many of them a squat break asks for (5-50).
# squats_per_break = 20

# Only suggest these routines (ids from `standup routines`); empty: the whole catalogue.
# suggest_only = []

# Exercise doses: "beginner", "intermediate" or "advanced".
# level = "beginner"

# true: office-safe suggestions only (no jumping or noisy moves).
# quiet = false

# true: breaks may also suggest seated routines (leg extensions, seated stretches).
# Standing ones get you up, which is what a break is for; floor routines are never suggested.
# allow_seated = false

# true: a one-line summary of the day when work hours end.
# evening_note = true

# true: the break window sounds the bell at the end of each set.
# break_sound = false
"""

Parser = Callable[[object], dict[str, object]]

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def load_settings(path: Path) -> Settings:
    """Read and validate `path`; a missing file gives the defaults."""
    try:
        text = read_user_text(path)
    except FileNotFoundError:
        return DEFAULTS
    except UnreadableText as exc:
        raise ConfigError(f"{path}: the config file {exc}") from None
    return parse_settings(text, str(path))


def parse_settings(text: str, source: str) -> Settings:
    """Validate config text; errors name `source`, the line and the key, and say how to fix it."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _decode_error_line(exc)
        where = f"{source}, line {line}" if line else source
        raise ConfigError(
            f"{where}: not valid TOML ({_strip_position(str(exc))}); fix that line or compare with `standup config init`"
        ) from exc
    except (RecursionError, ValueError) as exc:  # tomllib recurses per nesting level; int() refuses 4300+ digits
        raise ConfigError(
            f"{source}: not valid TOML (nested too deeply or a number too long); compare with `standup config init`"
        ) from exc
    values: dict[str, Any] = {}
    origins = dict.fromkeys(describe(DEFAULTS), "default")
    preset = _preset(raw.get("preset", DEFAULT_PRESET), _where(source, text, "preset"))
    for key, value in PRESETS[preset].values.items():  # a preset is valid config; the file's own keys win
        values.update(_PARSERS[key](value))
        origins[key] = f"preset {preset}"
    for key, value in raw.items():
        parse = _PARSERS.get(key)
        if parse is None:
            hint = difflib.get_close_matches(key, list(_PARSERS), n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else f"known keys: {', '.join(_PARSERS)}"
            raise ConfigError(f"{_where(source, text, key)}: unknown key {shown(key)}; {fix}")
        try:
            values.update(parse(value))
        except ValueError as exc:
            raise ConfigError(f"{_where(source, text, key)}: {key} {exc}") from exc
        origins[key] = _where(source, text, key)
    return replace(DEFAULTS, **values, preset=preset, origins=origins)


def _preset(value: object, where: str) -> str:
    if isinstance(value, str) and value in PRESETS:
        return value
    names = list(PRESETS)
    hint = difflib.get_close_matches(value, names, n=1) if isinstance(value, str) else []
    fix = f"did you mean {hint[0]!r}?" if hint else f"use one of {', '.join(repr(name) for name in names)}"
    raise ConfigError(f"{where}: preset {shown(value)} is not a preset; {fix} (see docs/presets.md)")


def _where(source: str, text: str, key: str) -> str:
    name = re.escape(key)
    pattern = re.compile(rf"^\s*(\"{name}\"|'{name}'|{name})\s*[=.\]]|^\s*\[\s*{name}\s*\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return f"{source}, line {number}"
    return source


def _decode_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)


def _work_hours(value: object) -> dict[str, object]:
    if not isinstance(value, str) or value.count("-") != 1:
        raise ValueError(f'must look like "09:00-18:00", got {shown(value)}')
    start, end = (_minute_of_day(part.strip()) for part in value.split("-"))
    if start >= end:
        raise ValueError(f'must end after it starts (overnight hours are not supported), got {shown(value)}')
    return {"work_start_minute": start, "work_end_minute": end}


def _minute_of_day(text: str) -> int:
    match = _HHMM.match(text)
    if not match:
        raise ValueError(f'must look like "09:00-18:00", got {shown(text)}')
    hour, minute = int(match.group(1)), int(match.group(2))
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise ValueError(f"has an impossible time {shown(text)}; use 00:00 to 24:00")
    return hour * 60 + minute


def _workdays(value: object) -> dict[str, object]:
    if not isinstance(value, list) or not all(isinstance(day, str) for day in value):
        raise ValueError(f'must be a list like ["mon", "tue"], got {shown(value)}')
    days = set()
    for day in value:
        if day.lower()[:3] not in WEEKDAYS:
            raise ValueError(f"has {shown(day)}; use mon, tue, wed, thu, fri, sat, sun")
        days.add(WEEKDAYS.index(day.lower()[:3]))
    return {"workdays": frozenset(days)}


def _level(value: object) -> dict[str, object]:
    if isinstance(value, str) and value in {level.value for level in Level}:
        return {"level": Level(value)}
    raise ValueError(f'must be "beginner", "intermediate" or "advanced", got {shown(value)}')


def _routine_ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f'must be a list of routine ids like ["half-squat", "calf-raise"], got {shown(value)}')
    return tuple(dict.fromkeys(value))


def _field(name: str, parse: Callable[[object], object]) -> Parser:
    return lambda value: {name: parse(value)}


_PARSERS: dict[str, Parser] = {
    "interval_minutes": _field("interval_minutes", whole_number(1, 24 * 60, "minutes")),
    "break_minutes": _field("break_minutes", whole_number(1, 60, "minutes")),
    "snooze_minutes": _field("snooze_minutes", whole_number(1, 240, "minutes")),
    "work_hours": _work_hours,
    "workdays": _workdays,
    "align_to_clock": _field("align_to_clock", boolean),
    "daily_squat_goal": _field("daily_squat_goal", whole_number(0, 1000, "squats")),
    "level": _level,
    "squats_per_break": _field("squats_per_break", whole_number(5, 50, "squats")),
    "suggest_only": _field("suggest_only", _routine_ids),
    "preset": lambda value: {},  # read first, in parse_settings: its values come before the file's keys
    "quiet": _field("quiet", boolean),
    "allow_seated": _field("allow_seated", boolean),
    "evening_note": _field("evening_note", boolean),
    "break_sound": _field("break_sound", boolean),
}


def describe(settings: Settings) -> dict[str, object]:
    """The settings as config.toml spells them (for `standup config show`)."""
    return {
        "preset": settings.preset,
        "interval_minutes": settings.interval_minutes,
        "break_minutes": settings.break_minutes,
        "snooze_minutes": settings.snooze_minutes,
        "work_hours": settings.work_hours,
        "workdays": [WEEKDAYS[d] for d in sorted(settings.workdays)],
        "align_to_clock": settings.align_to_clock,
        "daily_squat_goal": settings.daily_squat_goal,
        "squats_per_break": settings.squats_per_break,
        "suggest_only": list(settings.suggest_only),
        "level": settings.level.value,
        "quiet": settings.quiet,
        "allow_seated": settings.allow_seated,
        "evening_note": settings.evening_note,
        "break_sound": settings.break_sound,
    }


def origins(settings: Settings) -> dict[str, str]:
    """Where each `describe` value comes from: "default", "preset NAME" or "FILE, line N"."""
    return {key: settings.origins.get(key, "default") for key in describe(settings)}
