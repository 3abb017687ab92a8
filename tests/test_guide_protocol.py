"""What the break window asks the app and answers: the `prompt` command, done with the sets completed,
and answers that name their prompt. A real service behind a real control socket, on a fake clock."""

from __future__ import annotations

import pytest

from standup.adapters.control import ControlServer
from standup.app import Commands, describer
from standup.core.catalogue import load_catalogue
from standup.core.errors import ExitCode, StandupError
from standup.core.model import Suggestion
from standup.core.poses import parse_figure
from standup.core.summary import summarize_day
from tests.day import Day
from tests.test_cli import Shell

SQUATS = Suggestion("chair-squat", "Chair squats", sets=2, reps=10, minutes=3.0, cue="Sit back.", squats=20)


@pytest.fixture
def running(tmp_path):
    day = Day(tmp_path, suggest=lambda now, today: SQUATS)
    shell = Shell(tmp_path, day.clock)
    server = ControlServer(shell.paths.socket, Commands(day.service, lambda: None, describer(load_catalogue(None))))
    server.start()
    yield day, shell
    server.close()


def ask(shell, command, **args):
    from standup.adapters.control import request

    return request(shell.paths.socket, command, args)


def test_the_prompt_command_gives_the_window_what_it_shows(running):
    day, shell = running
    assert ask(shell, "prompt") == {"prompt": None}
    day.until("10:00")
    shown = ask(shell, "prompt")
    assert shown["prompt"]["id"] == 1
    assert shown["dose"] == {"sets": 2, "reps": 10, "seconds": None, "text": "2 × 10",
                             "headline": "Chair squats — 2 × 10 (about 3 min)", "why": ""}
    assert shown["routine"]["id"] == "chair-squat" and len(shown["routine"]["cues"]) >= 3
    assert shown["routine"]["squat"] is True and shown["routine"]["seconds_per_rep"] > 0
    figure = parse_figure(shown["figure"])  # what travels over the socket reads back as a figure
    assert [prop.value for prop in figure.props] == ["chair"] and len(figure.poses) >= 2
    assert day.store.events_between(day.clock.at("00:00"), day.clock.at("23:59"))[-1].kind.value == "prompted"


def test_done_with_fewer_sets_counts_fewer_squats_and_shows_in_log_and_summary(running):
    day, shell = running
    day.until("10:00")
    answer = ask(shell, "done", sets=1, prompt=1)
    assert answer["action"] == "done"
    [row] = shell.json("log")["prompts"]
    assert (row["outcome"], row["sets"], row["sets_completed"]) == ("done", 2, 1)
    code, text, _ = shell("log")
    assert "(1 of 2 sets)" in text
    [record] = day.store.prompts_between(day.clock.at("00:00"), day.clock.at("23:59"))
    assert record.squats == 10
    start, end = day.clock.at("00:00"), day.clock.at("23:59")
    summary = summarize_day(day.clock.local().date(), day.store.prompts_between(start, end),
                            day.store.events_between(start, end), day.settings, day.clock.tz)
    assert summary.squats_done == 10
    assert [(e.routine, e.sets, e.reps) for e in summary.exercises] == [("chair-squat", 1, 10)]


def test_done_from_the_command_line_may_give_the_sets(running):
    day, shell = running
    day.until("10:00")
    assert shell("done", "--sets", "2")[0] == 0
    assert shell.json("log")["prompts"][0]["sets_completed"] == 2
    code, _, err = shell("done", "--sets", "many")
    assert code == ExitCode.USAGE and "not a number of sets" in err


def test_more_sets_than_asked_is_refused_and_nothing_is_recorded(running):
    day, shell = running
    day.until("10:00")
    with pytest.raises(StandupError, match="3 sets completed, but the prompt asked for 2"):
        ask(shell, "done", sets=3)
    assert shell.json("status")["state"] == "prompting"


def test_an_answer_for_a_prompt_no_longer_open_answers_nothing(running):
    day, shell = running
    day.until("10:00")
    ask(shell, "skip")
    day.until("11:00")
    assert ask(shell, "prompt")["prompt"]["id"] == 2
    with pytest.raises(StandupError, match="prompt 1 is no longer open") as caught:
        ask(shell, "done", prompt=1, sets=2)
    assert caught.value.exit_code == ExitCode.NOTHING_TO_ANSWER
    assert shell.json("status")["open_prompt"]["id"] == 2


class _Window:
    """Stands in for the Tk window: keeps what `standup guide` hands it, and answers Done on `run`."""

    opened: list[_Window] = []

    def __init__(self, prompt, answer, *, sound=False, watch=None):  # noqa: ANN001
        self.prompt, self.answer, self.watch = prompt, answer, watch
        self.watched: list[int | None] = []
        _Window.opened.append(self)

    def run(self) -> None:
        self.watched.append(self.watch())
        self.answer("done", {"sets": 1, "prompt": self.prompt["prompt"]["id"]})
        self.watched.append(self.watch())


@pytest.fixture
def window(monkeypatch):
    import standup.cli.guide as guide_command
    import standup.desktop.guide as guide_window

    monkeypatch.setattr(guide_command, "window_missing", lambda: None)
    monkeypatch.setattr(guide_command, "_log_to_stderr", lambda: None)
    monkeypatch.setattr(guide_window, "GuideWindow", _Window)
    _Window.opened = []
    return _Window.opened


def test_standup_guide_hands_the_window_the_open_prompt_and_watches_its_id(running, window):
    day, shell = running
    day.until("10:00")
    code, _, err = shell("guide")
    assert code == ExitCode.OK, err
    [opened] = window
    assert opened.prompt["prompt"]["id"] == 1 and opened.prompt["dose"]["text"] == "2 × 10"
    assert opened.prompt["routine"]["name"] == "Chair squats"
    assert opened.watched == [1, None]  # open while shown; none once the window answered it
    assert shell.json("log")["prompts"][0]["sets_completed"] == 1


def test_standup_guide_with_no_prompt_open_starts_a_break_first(running, window):
    day, shell = running
    assert shell("guide")[0] == ExitCode.OK
    [opened] = window
    assert opened.prompt["prompt"]["id"] == 1
    assert shell.json("log")["prompts"][0]["outcome"] == "done"


def test_standup_guide_for_a_prompt_no_longer_open_opens_no_window(running, window):
    day, shell = running
    day.until("10:00")
    code, _, err = shell("guide", "--prompt", "7")
    assert code == ExitCode.NOTHING_TO_ANSWER and "prompt 7 is no longer open" in err
    assert window == []
