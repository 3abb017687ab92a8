"""A hostile environment meets one line, never a traceback: an ASCII terminal, dates at the ends of
the calendar, an unusable TZ, a FIFO or a huge file where the config is, a BOM from Notepad."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from standup.cli.main import Context, main
from standup.adapters.paths import resolve_paths
from tests.processes import ALL_DAY, end, env_for, start_app, wait_for

ASCII = {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}


def standup_env(home: Path, *argv: str, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "standup", *argv], capture_output=True, timeout=timeout,
                          env={**env_for(home), **env}, stdin=subprocess.DEVNULL, text=True, errors="replace")


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr


# -- the terminal's encoding -------------------------------------------------------------------------


@pytest.mark.slow
def test_an_ascii_terminal_gets_every_command_and_every_prompt_without_an_encoding_error(tmp_path):
    (tmp_path / "config.toml").write_text(ALL_DAY)
    app = start_app(tmp_path, STANDUP_NOTIFIER="log", **ASCII)
    try:
        assert wait_for(lambda: json.loads(standup_env(tmp_path, "status", "--json").stdout or "{}").get("running"))
        for argv in (("break", "--json"), ("status",), ("plan",), ("routines",), ("routines", "show", "chair-squat"),
                     ("summary",), ("log",), ("snooze", "5"), ("done",), ("config", "show")):
            result = standup_env(tmp_path, *argv, **ASCII)
            assert result.returncode == 0, (argv, result.stderr)
            no_traceback(result)
            result.stdout.encode("ascii")  # what reached the terminal is plain ASCII
        raw = standup_env(tmp_path, "break", "--json", **ASCII).stdout
        raw.encode("ascii")
        assert json.loads(raw)["text"] == json.loads(standup_env(tmp_path, "break", "--json").stdout)["text"]
        assert standup_env(tmp_path, "quit").returncode == 0
        out, err = app.communicate(timeout=15)
    finally:
        end(app)
    assert app.returncode == 0, err
    assert "UnicodeEncodeError" not in err and "Traceback" not in err
    assert "Time to stand up" in out  # the run's own prompts were written


# -- dates at the ends of the calendar -------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("argv", [("log", "--date"), ("plan", "--date"), ("summary", "--week", "--date"),
                                  ("summary", "--month", "--date"), ("summary", "--date"),
                                  ("export", "--format", "csv", "--from"), ("export", "--format", "json", "--to")],
                         ids=lambda argv: "-".join(a.strip("-") for a in argv))
def test_a_date_out_of_range_is_a_one_line_usage_error(tmp_path, argv, day):
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, day], ctx=Context(resolve_paths({"STANDUP_HOME": str(tmp_path)}), out, err))
    assert code == 2 and out.getvalue() == ""
    [line] = err.getvalue().splitlines()
    assert day in line and "1970-01-01" in line and "9998-12-31" in line


def test_the_last_and_first_dates_in_range_work(tmp_path):
    for argv in (("log", "--date", "9998-12-31"), ("summary", "--month", "--date", "9998-12-31"),
                 ("summary", "--week", "--date", "1970-01-01"), ("export", "--format", "csv", "--from", "1970-01-01")):
        out, err = io.StringIO(), io.StringIO()
        assert main(list(argv), ctx=Context(resolve_paths({"STANDUP_HOME": str(tmp_path)}), out, err)) == 0, err.getvalue()


# -- an unusable time zone ---------------------------------------------------------------------------


def test_an_unusable_tz_falls_back_to_utc_with_one_warning(tmp_path):
    (tmp_path / "config.toml").write_text(ALL_DAY)
    for argv in (("status",), ("log",), ("done",), ("summary",), ("plan",), ("export", "--format", "csv")):
        result = standup_env(tmp_path, *argv, TZ="XXX-25")
        assert result.returncode == 0, (argv, result.stderr)
        no_traceback(result)
        warnings = [line for line in result.stderr.splitlines() if "TZ=" in line]
        assert len(warnings) == 1 and "using UTC" in warnings[0], result.stderr


# -- the config and routines files ---------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_config_or_a_routines_file_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "config.toml")
    for argv in (("config", "check"), ("run", "--no-tray"), ("status",)):
        result = standup_env(tmp_path, *argv, timeout=20)  # a read would wait for a writer forever
        if argv == ("status",):
            continue  # status does not read the config
        assert result.returncode == 3, (argv, result.stderr)
        [line] = result.stderr.splitlines()
        assert str(tmp_path / "config.toml") in line and "FIFO" in line and "regular file" in line
    (tmp_path / "config.toml").unlink()
    (tmp_path / "routines").mkdir()
    os.mkfifo(tmp_path / "routines" / "mine.toml")
    result = standup_env(tmp_path, "routines", "check", str(tmp_path / "routines" / "mine.toml"), timeout=20)
    assert result.returncode == 3 and "FIFO" in result.stderr
    listed = standup_env(tmp_path, "routines", timeout=20)
    assert listed.returncode == 0 and "FIFO" in listed.stderr  # said, not waited on


def test_a_config_file_far_too_large_is_refused_in_one_line(tmp_path):
    (tmp_path / "config.toml").write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    result = standup_env(tmp_path, "config", "check")
    assert result.returncode == 3
    [line] = result.stderr.splitlines()
    assert "KiB at most" in line and str(tmp_path / "config.toml") in line


def test_a_config_and_a_routines_file_saved_with_a_bom_are_read(tmp_path):
    (tmp_path / "config.toml").write_bytes("\ufeffinterval_minutes = 25\n".encode())
    result = standup_env(tmp_path, "config", "show", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["interval_minutes"] == 25
    routine = (tmp_path / "mine.toml")
    routine.write_bytes("\ufeffdisable = [\"chair-squat\"]\n".encode())
    checked = standup_env(tmp_path, "routines", "check", str(routine))
    assert checked.returncode == 0, checked.stderr
