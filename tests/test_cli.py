"""The CLI in-process: a real service behind a real control socket, on a fake clock."""

from __future__ import annotations

import io
import json

import pytest

from standup.app import Commands
from standup.cli.main import Context, main
from standup.adapters.control import ControlServer
from standup.core.errors import ExitCode
from standup.adapters.paths import resolve_paths
from standup.core.settings import DEFAULT_CONFIG_TEXT
from tests.day import Day


class Shell:
    """Runs `standup …` in-process against STANDUP_HOME=tmp_path."""

    def __init__(self, tmp_path, clock) -> None:  # noqa: ANN001
        self.paths = resolve_paths({"STANDUP_HOME": str(tmp_path)})
        self.clock = clock

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), ctx=Context(self.paths, out, err, self.clock))
        return code, out.getvalue(), err.getvalue()

    def json(self, *argv: str):  # noqa: ANN201
        code, out, err = self(*argv, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def running(tmp_path):
    """A running standup (service + control socket) at 09:00 on a Monday, and a shell to talk to it."""
    day = Day(tmp_path)  # its log is tmp_path/standup.db, which is where STANDUP_HOME puts it
    shell = Shell(tmp_path, day.clock)
    stopped = []
    server = ControlServer(shell.paths.socket, Commands(day.service, lambda: stopped.append(True)))
    server.start()
    yield day, shell, stopped
    server.close()


def test_a_prompt_answered_done_from_the_command_line(running):
    day, sh, _ = running
    day.until("10:00")
    status = sh.json("status")
    assert status["state"] == "prompting" and status["open_prompt"]["id"] == 1
    assert sh("done")[0] == 0
    [row] = sh.json("log")["prompts"]
    assert (row["id"], row["outcome"], row["snoozes"]) == (1, "done", 0)
    status = sh.json("status")
    assert status["state"] == "sitting" and status["sitting_minutes"] == 0
    assert status["next_prompt_at"] == "2026-11-23T10:00:00+00:00"  # 11:00 Berlin
    assert status["today"]["done"] == 1


def test_snooze_skip_pause_resume_break(running):
    day, sh, _ = running
    assert sh("snooze")[0] == ExitCode.NOTHING_TO_ANSWER
    assert sh.json("break")["id"] == 1
    assert sh.json("snooze", "15")["until"] == "2026-11-23T08:15:00+00:00"
    assert sh.json("skip")["action"] == "skipped"
    assert sh.json("pause", "1h30m")["paused_until"] == "2026-11-23T09:30:00+00:00"
    assert sh.json("status")["state"] == "paused"
    assert sh.json("resume")["paused_until"] is None
    assert sh.json("pause", "tomorrow")["paused_until"] == "2026-11-23T23:00:00+00:00"  # Berlin midnight


def test_quit_asks_the_app_to_stop(running):
    _, sh, stopped = running
    assert sh("quit")[0] == 0 and stopped == [True]


@pytest.mark.parametrize("argv", [["pause", "soon"], ["pause", "25h"], ["snooze", "0"], ["log", "--date", "21/11"],
                                  ["frobnicate"]])
def test_bad_arguments_are_one_line_usage_errors(tmp_path, argv):
    code, out, err = Shell(tmp_path, None)(*argv)
    assert code == ExitCode.USAGE
    assert err.startswith("standup: ") and err.count("\n") == 1 and "Traceback" not in err


def test_commands_that_need_the_app_say_it_is_not_running(tmp_path):
    sh = Shell(tmp_path, Day(tmp_path).clock)
    code, _, err = sh("skip")
    assert code == ExitCode.NOT_RUNNING and "standup run" in err
    assert sh.json("status")["running"] is False


def test_done_while_not_running_still_logs_the_break(tmp_path):
    day = Day(tmp_path)
    sh = Shell(tmp_path, day.clock)
    code, _, err = sh("done")
    assert code == 0 and "written to the log" in err
    assert sh.json("status")["today"]["self_breaks"] == 1


def test_config_init_writes_once_and_never_overwrites(tmp_path):
    sh = Shell(tmp_path, None)
    assert sh("config", "init")[0] == 0
    config = sh.paths.config_file
    assert config.read_text() == DEFAULT_CONFIG_TEXT
    config.write_text("interval_minutes = 45\n")
    code, _, err = sh("config", "init")
    assert code != 0 and "left as it is" in err
    assert config.read_text() == "interval_minutes = 45\n"
    assert sh.json("config", "show")["interval_minutes"] == 45
    assert sh("config", "path")[1].strip() == str(config)


def test_a_bad_config_fails_check_and_run_and_is_not_touched(tmp_path):
    sh = Shell(tmp_path, None)
    config = sh.paths.config_file
    config.write_text('interval_minutes = 60\nlevel = "expert"\n')
    before = config.read_bytes()
    for argv in (["config", "check"], ["run", "--no-tray"]):
        code, _, err = sh(*argv)
        assert code == ExitCode.CONFIG
        assert err.startswith(f"standup: {config}, line 2: level must be")
        assert err.count("\n") == 1
    assert config.read_bytes() == before
    assert not sh.paths.database.exists()  # run refused before touching anything


def test_version(tmp_path):
    code, out, _ = Shell(tmp_path, None)("--version")
    assert code == 0 and out.startswith("standup ")


@pytest.mark.parametrize(
    ("argv", "said"),
    [(["stauts"], "standup: argument COMMAND: invalid choice 'stauts'; did you mean 'status'? (see `standup --help`)\n"),
     (["config", "chek"],
      "standup: argument action: invalid choice 'chek'; did you mean 'check'? (see `standup config --help`)\n")],
)
def test_a_mistyped_command_gets_a_did_you_mean(tmp_path, argv, said):
    code, _, err = Shell(tmp_path, None)(*argv)
    assert code == ExitCode.USAGE and err == said


def test_status_words_agree_with_the_counts(tmp_path):
    day = Day(tmp_path)
    sh = Shell(tmp_path, day.clock)
    sh("done")
    code, out, _ = sh("status")
    assert code == 0
    assert "today: 0 prompts · 0 done · 0 natural · 0 skipped · 0 missed · 1 own break" in out
