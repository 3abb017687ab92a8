"""Routine text from a user file reaches toasts and the terminal as plain, bounded text.

A user routines file whose names and cues hold markup (`<b>`, `<a href>`, `&amp;`), a right-to-left
override and very long text is loaded through the real catalogue, planner and service; what the
toasters hand to the notification server is escaped for markup servers, literal for plain ones, free of
control characters and bounded, and the readable words survive. Control characters (escape sequences,
bell, NUL) are refused by the catalogue with a one-line warning, and anything that still carries them
(a suggestion from elsewhere, an evening note) loses them before a toast or a terminal line shows it.
"""

from __future__ import annotations

import asyncio
import html
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standup.desktop import notify
from standup.core.catalogue import load_bundled, load_catalogue
from standup.core.errors import NothingToAnswerError
from standup.core.model import Suggestion
from standup.desktop.notify.toast import escape_markup
from standup.desktop.notify import Capabilities, DesktopNotifierToaster, LogToaster, Notifier, PystrayToaster
from standup.core.planner import DEFAULT_SEED, Planner
from standup.service.reminders import PromptView
from standup.core.settings import Settings
from standup.adapters.terminal import KeyReader, TerminalPrompter
from tests.day import Day
from tests.desktop_fakes import T0, View
from tests.fakes import FakeClock

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: makes the rest of a line read backwards
NAME = f'<b>bold</b> <a href="x">link</a> &amp; {RLO}evil'  # within the catalogue's 60 characters
LONG_CUE = "Sit back <i>slowly</i> & stand tall. " + "Keep breathing and " * 400 + "the end."
CONTROLS = "\x00\x07\x08\x1b[31m\r\x9b\x7f"
DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")


def toml(value: Any) -> str:
    """JSON is TOML for strings, numbers, booleans and flat lists (control characters come out as \\u escapes)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def routine_toml(fields: dict[str, Any]) -> str:
    return "[[routine]]\n" + "".join(f"{key} = {toml(value)}\n" for key, value in fields.items() if value is not None)


def bundled_with(name: str, cue: str) -> str:
    """A user file replacing every bundled routine (same id, same dose) with this name and key cue."""
    tables = []
    for routine in load_bundled():
        fields = routine.as_json()
        fields = {key: fields[key] for key in ("id", "kind", "posture", "muscles", "equipment", "sets", "reps", "seconds",
                                              "caution", "squat", "per_side", "desk", "intensity", "quiet", "source")}
        fields.update(name=name, cues=[cue, "Second step."], key_cue=1, rest=routine.rest, tempo=routine.tempo)
        tables.append(routine_toml(fields))
    return "\n".join(tables)


def unshowable(text: str) -> list[str]:
    """Control characters other than the line break, and direction overrides."""
    return [c for c in text if (unicodedata.category(c) == "Cc" and c != "\n") or DIRECTION.match(c)]


class FakeIcon:
    """pystray's Icon as far as notifications go: records what would go to the server."""

    HAS_NOTIFICATION = True

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []  # (title, body)

    def notify(self, message: str, title: str | None = None) -> None:
        self.sent.append((title or "", message))

    def remove_notification(self) -> None:
        pass


class FakeDesktopNotifier:
    """desktop-notifier's DesktopNotifier as far as sending goes."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, **kwargs: Any) -> str:
        self.sent.append(kwargs)
        return f"id-{len(self.sent)}"

    async def clear(self, identifier: str) -> None:
        pass


@pytest.fixture
def weird_day(tmp_path: Path) -> Day:
    """A Monday with the user's markup-laden routines replacing the bundled ones, planned by the real planner."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "mine.toml").write_text(bundled_with(NAME, LONG_CUE), encoding="utf-8")
    catalogue = load_catalogue(routines)
    assert catalogue.warnings == () and {routine.origin for routine in catalogue} == {str(routines / "mine.toml")}
    planner = Planner(catalogue, Settings(), seed=DEFAULT_SEED)
    hook: list[Any] = []
    day = Day(tmp_path, suggest=lambda at, today: hook[0](at, today))
    hook.append(planner.suggest_hook(day.store.prompts_between))
    return day


def a_day_of_prompts(day: Day) -> None:
    for hour in range(10, 18):
        day.until(f"{hour}:00")
        assert day.service.status().open_prompt is not None
        day.service.done()


def assert_plain_bounded_and_readable(text: str) -> None:
    assert unshowable(text) == []
    assert len(text) <= 1000  # a notification, not a page
    assert "bold" in text and "link" in text and "evil" in text and "Sit back" in text
    assert text.count("Keep breathing") < 400 and "…" in text  # cut, visibly


def test_markup_servers_get_escaped_bounded_bodies_through_the_real_service(weird_day: Day) -> None:
    icon = FakeIcon()
    weird_day.service.subscribe(Notifier(weird_day.service, [PystrayToaster(icon, markup=True)], 5))
    a_day_of_prompts(weird_day)
    assert len(icon.sent) == 8
    for title, body in icon.sent:
        assert unshowable(title) == [] and title
        assert "<" not in body and ">" not in body  # no tag reaches the server's markup parser
        assert "&" not in re.sub(r"&(amp|lt|gt);", "", body)  # every & starts an entity we wrote
        shown = html.unescape(body)  # what the server displays
        assert_plain_bounded_and_readable(shown)
        assert '<b>bold</b> <a href="x">link</a> &amp; evil' in shown  # the user's text, literally
    assert notify.ANSWER_ELSEWHERE in html.unescape(icon.sent[0][1])  # the bound never cuts our own line


def test_plain_servers_get_the_literal_text_without_control_characters(weird_day: Day) -> None:
    icon = FakeIcon()
    weird_day.service.subscribe(Notifier(weird_day.service, [PystrayToaster(icon, markup=False)], 5))
    a_day_of_prompts(weird_day)
    for _, body in icon.sent:
        assert_plain_bounded_and_readable(body)
        assert '<b>bold</b> <a href="x">link</a> &amp; evil' in body and "&lt;" not in body


def test_desktop_notifier_sends_escaped_bodies_and_messages() -> None:
    toaster = DesktopNotifierToaster()
    toaster.caps = Capabilities("desktop-notifier", supports_actions=True, can_close=True, markup=True)
    toaster._notifier = server = FakeDesktopNotifier()
    suggestion = Suggestion("x", NAME + CONTROLS, sets=2, reps=10, minutes=3, cue=LONG_CUE + CONTROLS)
    toast = notify.toast_for(View(1, T0, suggestion), 5)

    async def send_then_message() -> None:
        await toaster._send(toast, lambda answer: None)
        toaster._queue = asyncio.Queue()
        await toaster._queue.put(("message", (f"standup: your day{CONTROLS}", f"<b>6 breaks</b>{CONTROLS}\n & more")))
        await toaster._queue.put(("stop", None))
        await toaster._work()

    asyncio.run(send_then_message())
    [prompt, message] = server.sent
    assert [button.title for button in prompt["buttons"]] == ["Done", "Snooze", "Skip"]
    for sent in (prompt, message):
        assert unshowable(sent["title"]) == [] and "<" not in sent["message"] and unshowable(sent["message"]) == []
    assert_plain_bounded_and_readable(html.unescape(prompt["message"]))
    assert html.unescape(message["message"]) == "<b>6 breaks</b>[31m\n & more"


def test_the_log_toaster_writes_one_clean_line(caplog: pytest.LogCaptureFixture) -> None:
    suggestion = Suggestion("x", NAME + CONTROLS, sets=2, reps=10, minutes=3, cue=LONG_CUE + "\nforged log line")
    LogToaster().show(notify.toast_for(View(1, T0, suggestion), 5), lambda answer: None)
    [record] = caplog.records
    assert "\n" not in record.getMessage() and unshowable(record.getMessage()) == []
    assert "bold" in record.getMessage() and len(record.getMessage()) <= 1000


@pytest.mark.parametrize("field, value", [
    ("name", "Bell\u0007squats"), ("name", "\u001b[31mRed squats"), ("cues", ["Sit\u0000back"]),
    ("cues", ["Stand", "\u009b2J clear the screen"]), ("caution", "Careful\u0008\u0008\u0008safe"),
    ("source", "me\u007f"),
])
def test_the_catalogue_refuses_control_characters_with_a_one_line_warning(tmp_path: Path, field: str, value: Any) -> None:
    fields = {"id": "my-squat", "name": "My squats", "kind": "strength", "posture": "standing", "muscles": ["quads"], "equipment": "none",
              "sets": 2, "reps": 10, "cues": ["Sit back."], "intensity": 1, "quiet": True, "source": "me", field: value}
    (tmp_path / "mine.toml").write_text(routine_toml(fields), encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.get("my-squat") is None
    assert len(catalogue) == len(load_bundled())
    [warning] = [str(problem) for problem in catalogue.warnings]
    control = next(c for c in "".join(value if isinstance(value, list) else [value]) if unicodedata.category(c) == "Cc")
    assert warning.startswith(f"{tmp_path / 'mine.toml'}: routine my-squat: field '{field}': ")
    assert f"U+{ord(control):04X}" in warning and unshowable(warning) == []


def test_line_breaks_and_tabs_in_catalogue_text_become_single_spaces(tmp_path: Path) -> None:
    fields = {"id": "my-squat", "name": "My\tsquats", "kind": "strength", "posture": "standing", "muscles": ["quads"], "equipment": "none",
              "sets": 2, "reps": 10, "cues": ["Sit back,\r\n  then stand.", "Again."], "intensity": 1, "quiet": True,
              "source": "me", "caution": "Knees\u2028over toes."}
    (tmp_path / "mine.toml").write_text(routine_toml(fields), encoding="utf-8")
    routine = load_catalogue(tmp_path).require("my-squat")
    assert (routine.name, routine.cues[0], routine.caution) == ("My squats", "Sit back, then stand.", "Knees over toes.")


def test_toasts_drop_control_characters_that_come_from_elsewhere() -> None:
    suggestion = Suggestion("x", f"Squats{CONTROLS}\u2028now", sets=3, reps=12, minutes=4,
                            cue=f"{RLO}Sit\tback\x1b[2J and\nstand{CONTROLS}")
    for markup in (True, False):
        body = notify.body_text(notify.toast_for(View(1, T0, suggestion), 5), Capabilities("x", markup=markup))
        assert unshowable(body) == []
        lines = body.split("\n")
        assert len(lines) == 3  # headline, cue, where the rest is: breaks inside them make no new lines
        assert lines[0].startswith("Squats") and "now" in lines[0] and "3 × 12" in lines[0]
        assert "Sit back" in lines[1] and "and stand" in lines[1]
        assert lines[2] == "All steps: standup guide, or standup routines show x"


def test_information_toasts_are_plain_and_bounded() -> None:
    body = notify.server_text("Your day\x1b[1m: <b>8</b> breaks " + "x" * 5000, Capabilities("x", markup=True))
    assert unshowable(body) == [] and "<b>" not in body and "&lt;b&gt;8&lt;/b&gt;" in body
    assert len(html.unescape(body)) <= notify.MAX_BODY and "Your day" in body


# -- the terminal ---------------------------------------------------------------------------------


def terminal_lines(out: io.StringIO) -> list[str]:
    text = out.getvalue()
    assert text.endswith("\n")
    return text[:-1].split("\n")


def test_the_terminal_prints_weird_routines_as_plain_bounded_lines(weird_day: Day) -> None:
    out = io.StringIO()
    weird_day.service.subscribe(TerminalPrompter(out, weird_day.clock, interactive=False))
    a_day_of_prompts(weird_day)
    prompts = [line for line in terminal_lines(out) if "Time to stand up" in line]
    assert len(prompts) == 8
    for line in terminal_lines(out):
        assert re.match(r"\[\d\d:\d\d\] ", line) and unshowable(line) == []
        assert len(line) <= 500
    for line in prompts:
        assert '<b>bold</b> <a href="x">link</a> &amp; evil' in line and "Sit back" in line and line.endswith("…")


def test_the_terminal_never_prints_escape_sequences_from_routine_text() -> None:
    out = io.StringIO()
    prompter = TerminalPrompter(out, FakeClock(T0), interactive=True)
    suggestion = Suggestion("x", f"\x1b]0;owned\x07Squats{RLO}", sets=3, reps=12, minutes=4,
                            cue="Sit\r\x1b[2K\x1b[1Aback\nforged line\x08\x9b31m")
    prompter.prompt_shown(PromptView(1, T0, suggestion))
    lines = terminal_lines(out)
    assert len(lines) == 1  # the key legend is in the start line, not after every prompt
    assert unshowable(lines[0]) == [] and "\x1b" not in out.getvalue() and "\r" not in out.getvalue()
    assert "Squats" in lines[0] and "forged line" in lines[0] and "back" in lines[0]


def test_key_reader_errors_are_printed_as_one_plain_line() -> None:
    out = io.StringIO()

    def refuse() -> None:
        raise NothingToAnswerError("no open prompt\x1b[2J\nforged")

    KeyReader({"s": refuse}, out, io.StringIO("s"))._read()
    assert out.getvalue().count("\n") == 1 and "\x1b" not in out.getvalue() and "no open prompt" in out.getvalue()


@given(st.text())
def test_markup_escaping_is_html_escape_without_quotes(text: str) -> None:
    assert escape_markup(text) == html.escape(text, quote=False)
