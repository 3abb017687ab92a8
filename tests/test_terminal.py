"""The terminal renderer: one start line saying where standup runs and when the next prompt comes,
one line per prompt and answer, wrapped at word boundaries on a narrow terminal."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from standup.adapters.terminal import (
    ELSEWHERE,
    IN_TERMINAL,
    IN_TRAY,
    KEYS_HELP,
    KeyReader,
    TerminalPrompter,
    where_without_tray,
)
from standup.core.model import Outcome, State
from standup.service.views import Answer
from tests.day import Day
from tests.desktop_fakes import SQUATS, T0, FakeStatus, View
from tests.fakes import FakeClock

SQUAT_VIEW = View(1, T0, SQUATS)


class Prompt(View):
    @property
    def text(self) -> str:
        return f"{SQUATS.headline}. {SQUATS.cue}"


def render(where: str, status: FakeStatus, interactive: bool = False, width: int | None = None) -> list[str]:
    out = io.StringIO()
    TerminalPrompter(out, FakeClock(T0), interactive, width).started(status, "09:00-18:00", where)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("where", "status", "interactive", "line"),
    [
        (IN_TRAY, FakeStatus(), False, "[10:00] standup is running in the tray; the next prompt is at 11:00."),
        (IN_TRAY, FakeStatus(), True,
         f"[10:00] standup is running in the tray; the next prompt is at 11:00. Keys: {KEYS_HELP}."),
        (IN_TERMINAL, FakeStatus(), True,
         f"[10:00] standup is running in this terminal: prompts appear here; the next prompt is at 11:00. "
         f"Keys: {KEYS_HELP}."),
        (IN_TERMINAL, FakeStatus(), False,
         "[10:00] standup is running in this terminal: prompts appear here; the next prompt is at 11:00. "
         "Answer with `standup done`, `standup snooze` or `standup skip` from any shell."),
        (where_without_tray("no system tray on this desktop"), FakeStatus(), False,
         "[10:00] standup is running without a tray icon (no system tray on this desktop): prompts appear here; "
         "the next prompt is at 11:00. Answer with `standup done`, `standup snooze` or `standup skip` from any shell."),
        (where_without_tray("no display"), FakeStatus(State.PROMPTING, open_prompt=SQUAT_VIEW), False,
         "[10:00] standup is running without a tray icon (no display): prompts appear here; a prompt is open now. "
         "Answer with `standup done`, `standup snooze` or `standup skip` from any shell."),
        (IN_TRAY, FakeStatus(State.OFF_HOURS, next_prompt_at=T0 + timedelta(days=1)), False,
         "[10:00] standup is running in the tray. Outside work hours (09:00-18:00 on workdays): the next prompt "
         "is Tue 10:00. Set work_hours and workdays in config.toml to be reminded at other times."),
        (IN_TRAY, FakeStatus(State.PAUSED, paused_until=T0 + timedelta(hours=1), next_prompt_at=T0 + timedelta(hours=1)),
         False, "[10:00] standup is running in the tray; paused until Mon 11:00, the next prompt is Mon 11:00."),
    ],
)
def test_every_start_says_where_it_runs_and_when_the_next_prompt_comes(
    where: str, status: FakeStatus, interactive: bool, line: str
) -> None:
    assert render(where, status, interactive) == [line]


def test_the_start_line_never_says_next_prompt_while_one_is_open() -> None:
    [line] = render(IN_TERMINAL, FakeStatus(State.SNOOZED, open_prompt=SQUAT_VIEW), True)
    assert "next prompt" not in line and "a prompt is open now" in line


@pytest.mark.parametrize("width", range(30, 60))
def test_a_wrap_never_parts_a_number_from_its_unit_or_a_dose(width: int) -> None:
    out = io.StringIO()
    terminal = TerminalPrompter(out, FakeClock(T0), interactive=False, width=width)
    terminal.prompt_shown(Prompt(1, T0, SQUATS))
    terminal.prompt_shown(Prompt(2, T0, SQUATS, reshown=True))
    text = out.getvalue()
    assert "\N{NO-BREAK SPACE}" not in text
    rows = text.splitlines()
    assert all(len(row) <= width for row in rows)
    for row, after in zip(rows, rows[1:], strict=False):
        assert not (re.search(r"\d$", row) and re.match(r"\s*(min|s|×)\b", after)), (row, after)
        assert not (row.endswith("×") and re.match(r"\s*\d", after)), (row, after)
    assert SQUATS.headline.replace(" ", "") in text.replace("\n", "").replace(" ", "")


def test_lines_wrap_at_word_boundaries_under_the_text() -> None:
    lines = render(IN_TERMINAL, FakeStatus(), True, width=40)
    assert len(lines) > 3 and all(len(line) <= 40 for line in lines)
    assert lines[0] == "[10:00] standup is running in this"
    assert all(line.startswith(" " * 8) and line[8] != " " for line in lines[1:])
    words = " ".join(line.strip() for line in lines).split()
    assert words == render(IN_TERMINAL, FakeStatus(), True)[0].split()  # no word cut in two


def test_a_pipe_gets_one_line_per_message_however_long() -> None:
    out = io.StringIO()
    TerminalPrompter(out, FakeClock(T0), interactive=False).prompt_shown(Prompt(1, T0, SQUATS))
    assert len(out.getvalue().splitlines()) == 1


def test_prompts_and_answers_one_line_each_and_the_legend_only_at_start() -> None:
    out = io.StringIO()
    terminal = TerminalPrompter(out, FakeClock(T0), interactive=True)
    terminal.started(FakeStatus(), "09:00-18:00", IN_TERMINAL)
    terminal.prompt_shown(Prompt(1, T0, SQUATS))
    terminal.prompt_closed(Prompt(1, T0, SQUATS), Outcome.DONE)
    terminal.prompt_shown(Prompt(2, T0, SQUATS, reshown=True))
    terminal.answered(Answer("self_break", T0))
    lines = out.getvalue().splitlines()
    assert sum(KEYS_HELP in line for line in lines) == 1
    assert lines[1:] == [
        f"[10:00] Time to stand up: {SQUATS.headline}. {SQUATS.cue}",
        f"[10:00] Prompt 1: Done, well moved! {ELSEWHERE}",
        f"[10:00] Time to stand up (again): {SQUATS.headline}. {SQUATS.cue}",
        "[10:00] Logged a break of your own; the sitting clock starts again.",
    ]


def test_d_with_no_open_prompt_says_it_logged_a_break_of_your_own(tmp_path: Path) -> None:
    day = Day(tmp_path, "2026-11-23 10:00")
    out = io.StringIO()
    terminal = TerminalPrompter(out, day.clock, interactive=True)
    KeyReader({"d": lambda: terminal.answered(day.service.done())}, out, io.StringIO("d"))._read()
    assert out.getvalue() == "[10:00] Logged a break of your own; the sitting clock starts again.\n"


def on_the_terminal(day: Day, interactive: bool = True) -> tuple[TerminalPrompter, io.StringIO]:
    """A terminal subscribed to `day`'s service as `standup run --no-tray` wires it: the start line first."""
    out = io.StringIO()
    terminal = TerminalPrompter(out, day.clock, interactive)
    terminal.started(day.service.status(), "09:00-18:00", IN_TERMINAL)
    day.service.subscribe(terminal)
    return terminal, out


def press(terminal: TerminalPrompter, day: Day, keys: str, out: io.StringIO) -> None:
    actions = {"d": day.service.done, "s": day.service.snooze, "k": day.service.skip, "b": day.service.take_break}
    KeyReader({key: terminal.by_key(action) for key, action in actions.items()}, out, io.StringIO(keys))._read()


def test_answers_from_outside_the_terminal_are_shown_and_say_so(tmp_path: Path) -> None:
    day = Day(tmp_path, "2026-11-23 10:00")
    terminal, out = on_the_terminal(day)
    press(terminal, day, "bd", out)  # a break now, done: from this terminal's keys
    day.service.take_break()  # `standup break` in another shell
    day.service.snooze()  # the notification's Snooze
    day.minutes(10)
    day.service.done()  # `standup done` in another shell
    day.minutes(5)
    day.service.done()  # and again, with no prompt open: a break of one's own
    press(terminal, day, "d", out)  # the same from the keys
    day.service.take_break()
    day.service.skip()  # the tray's Skip
    lines = out.getvalue().splitlines()[1:]
    prompt = "Time to stand up and move for a few minutes."
    assert lines == [
        f"[10:00] Time to stand up: {prompt}",
        "[10:00] Prompt 1: Done, well moved!",
        f"[10:00] Time to stand up: {prompt}",
        f"[10:00] Snoozed until 10:10. {ELSEWHERE}",
        f"[10:10] Time to stand up (again): {prompt}",
        f"[10:10] Prompt 2: Done, well moved! {ELSEWHERE}",
        "[10:15] Logged a break of your own from outside this terminal; the sitting clock starts again.",
        "[10:15] Logged a break of your own; the sitting clock starts again.",
        f"[10:15] Time to stand up: {prompt}",
        f"[10:15] Prompt 3: Skipped. {ELSEWHERE}",
    ]


def test_without_keys_every_answer_comes_from_elsewhere_and_needs_no_saying(tmp_path: Path) -> None:
    day = Day(tmp_path, "2026-11-23 10:00")
    _, out = on_the_terminal(day, interactive=False)
    day.service.take_break()
    day.service.done()
    day.service.done()
    assert out.getvalue().splitlines()[2:] == [
        "[10:00] Prompt 1: Done, well moved!",
        "[10:00] Logged a break of your own; the sitting clock starts again.",
    ]


def test_a_break_of_ones_own_on_a_new_day_is_shown_though_the_count_starts_again(tmp_path: Path) -> None:
    day = Day(tmp_path, "2026-11-23 17:00")
    _, out = on_the_terminal(day)
    day.service.done()
    day.service.done()
    day.until("09:30", "2026-11-24")
    day.service.done()
    own = [line for line in out.getvalue().splitlines() if "break of your own" in line]
    assert [line[:7] for line in own] == ["[17:00]", "[17:00]", "[09:30]"]
