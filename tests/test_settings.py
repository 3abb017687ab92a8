"""config.toml validation: defaults, every key, and one-line errors that name file, line and fix."""

from __future__ import annotations

import pytest

from standup.core.errors import ConfigError
from standup.core.settings import DEFAULT_CONFIG_TEXT, DEFAULTS, Level, describe, load_settings, parse_settings


def test_missing_file_means_defaults(tmp_path):
    assert load_settings(tmp_path / "absent.toml") == DEFAULTS


def test_the_commented_default_file_parses_to_the_defaults():
    assert parse_settings(DEFAULT_CONFIG_TEXT, "config.toml") == DEFAULTS


def test_every_key_is_read():
    text = """
interval_minutes = 1
break_minutes = 2
snooze_minutes = 3
work_hours = "08:30-24:00"
workdays = ["sat", "sun"]
align_to_clock = true
daily_squat_goal = 60
level = "advanced"
quiet = true
evening_note = false
"""
    s = parse_settings(text, "c.toml")
    assert (s.interval_minutes, s.break_minutes, s.snooze_minutes) == (1, 2, 3)
    assert (s.work_start_minute, s.work_end_minute) == (510, 1440)
    assert s.workdays == frozenset({5, 6})
    assert s.align_to_clock and s.quiet and not s.evening_note
    assert (s.daily_squat_goal, s.level) == (60, Level.ADVANCED)
    assert describe(s)["work_hours"] == "08:30-24:00"
    assert describe(s)["workdays"] == ["sat", "sun"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('interval_minutes = "sixty"', "c.toml, line 2: interval_minutes must be a whole number"),
        ("interval_minutes = 0", "c.toml, line 2: interval_minutes must be from 1 to 1440"),
        ("quiet = 1", "c.toml, line 2: quiet must be true or false"),
        ('work_hours = "18:00-09:00"', "c.toml, line 2: work_hours must end after it starts"),
        ('work_hours = "9-5"', 'c.toml, line 2: work_hours must look like "09:00-18:00"'),
        ('workdays = ["monday", "funday"]', "c.toml, line 2: workdays has 'funday'"),
        ('level = "pro"', 'c.toml, line 2: level must be "beginner", "intermediate" or "advanced"'),
        ("intervall_minutes = 30", "c.toml, line 2: unknown key 'intervall_minutes'; did you mean 'interval_minutes'?"),
        ("interval_minutes = = 3", "c.toml, line 2: not valid TOML"),
        ("[notifications]\nsound = true", "c.toml, line 2: unknown key 'notifications'"),
    ],
)
def test_bad_values_give_one_line_naming_file_line_and_key(text, expected):
    with pytest.raises(ConfigError) as error:
        parse_settings("# my settings\n" + text, "c.toml")
    message = str(error.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_unreadable_bytes_are_a_config_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe interval")
    with pytest.raises(ConfigError, match=str(path)):
        load_settings(path)


def test_the_init_file_shows_the_real_defaults_commented_out() -> None:
    import re

    uncommented = re.sub(r"(?m)^# ([a-z_]+ = )", r"\1", DEFAULT_CONFIG_TEXT)
    assert uncommented != DEFAULT_CONFIG_TEXT
    assert describe(parse_settings(uncommented, "config.toml")) == describe(DEFAULTS)
    assert parse_settings(DEFAULT_CONFIG_TEXT, "config.toml").origins == dict.fromkeys(describe(DEFAULTS), "default")
