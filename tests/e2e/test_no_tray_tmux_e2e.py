"""`standup run --no-tray` in a real terminal: tmux, 80 × 24, keys pressed as a person would.

The terminal shows one start line with the key legend, each prompt with its routine and dose, and
each answer — from its own keys and from `standup` commands in another shell, which it says came
from outside. Lines wrap at words within 80 columns. The screen as the user saw it is saved to
test-artifacts/e2e/no-tray.txt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from standup.adapters.terminal import ELSEWHERE, KEYS_HELP, STAMP_WIDTH
from tests.e2e.desktop import ARTIFACTS, STANDUP, wait_for
from tests.processes import noon_tz

COLUMNS, ROWS = 80, 24
CONFIG = """\
interval_minutes = 30
snooze_minutes = 1
work_hours = "00:00-24:00"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""
TMUX = shutil.which("tmux")

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (scripts/setup.sh test installs it)")


class Terminal:
    """One tmux pane on a private server running `command`; what it shows, and keys typed into it."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket, self.env = socket, env

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-L", self.socket, "-f", os.devnull, *args], env=self.env, capture_output=True,
                              text=True, timeout=15, check=True)
        return done.stdout

    def start(self, command: str) -> None:
        passed = [arg for name in ("STANDUP_HOME", "TZ") for arg in ("-e", f"{name}={self.env[name]}")]
        self.tmux("new-session", "-d", "-s", "standup", "-x", str(COLUMNS), "-y", str(ROWS), *passed, command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "standup")

    def shows(self, text: str, timeout: float = 15) -> str:
        """Waits until the screen, with wrapped lines joined, holds `text`; returns the screen."""
        wanted = squeezed(text)

        def showing() -> str:
            screen = self.screen()
            return screen if wanted in unwrapped(screen) else ""

        return wait_for(f"the terminal to show {text!r}", showing, timeout)

    def press(self, key: str) -> None:
        self.tmux("send-keys", "-t", "standup", key)

    def stop(self) -> None:
        """Ends this private tmux server, and with it the pane's shell (and standup, if still running)."""
        subprocess.run([str(TMUX), "-L", self.socket, "-f", os.devnull, "kill-server"], env=self.env,
                       capture_output=True, timeout=15, check=False)


def squeezed(text: str) -> str:
    return re.sub(r"  +", " ", text)


def unwrapped(screen: str) -> str:
    """The screen's lines as the app wrote them, continuation lines (indented under the text) joined
    and runs of spaces made one (a wrap takes the spaces it breaks at)."""
    return squeezed(re.sub(r"\n {%d}(?=\S)" % STAMP_WIDTH, " ", screen))


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "COLUMNS", "LINES", "TMUX", "TMUX_PANE")
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(STANDUP_HOME=str(home), TZ=noon_tz(), TERM="xterm-256color")
    pane = Terminal(f"standup-e2e-{os.getpid()}", env)
    pane.start(f"{STANDUP} run --no-tray; echo \"[standup exited with code $?]\"; sleep 120")
    try:
        yield pane
    finally:
        pane.stop()


def standup(terminal: Terminal, *argv: str) -> str:
    """`standup …` typed in another shell: its output."""
    done = subprocess.run([str(STANDUP), *argv], env=terminal.env, capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, (argv, done.stdout, done.stderr)
    return done.stdout


def open_prompt(terminal: Terminal, after: dict[str, str] | None = None) -> dict[str, str]:
    """The prompt open now (a newer one than `after`), as `standup status --json` shows it."""

    def newer() -> dict[str, str] | None:
        prompt = json.loads(standup(terminal, "status", "--json"))["open_prompt"]
        return prompt if prompt and (after is None or prompt["id"] != after["id"]) else None

    return wait_for("a new prompt open", newer, 15)


def test_a_session_in_the_terminal_reads_as_the_user_expects(terminal: Terminal) -> None:
    terminal.shows("standup is running in this terminal: prompts appear here; the next prompt is at")

    terminal.press("b")  # a break now, from the keys
    terminal.shows("Time to stand up:")
    first = open_prompt(terminal)
    assert first["routine"] and first["dose"] and first["dose"] in first["text"]
    terminal.shows(f"Time to stand up: {first['text']}")
    terminal.press("d")
    terminal.shows(f"Prompt {first['id']}: Done, well moved!")

    standup(terminal, "break")  # from another shell
    second = open_prompt(terminal, after=first)
    terminal.shows(f"Time to stand up: {second['text']}")
    standup(terminal, "done")
    terminal.shows(f"Prompt {second['id']}: Done, well moved! {ELSEWHERE}")
    standup(terminal, "done")  # no prompt open: a break of one's own
    terminal.shows("Logged a break of your own from outside this terminal; the sitting clock starts again.")

    terminal.press("b")
    third = open_prompt(terminal, after=second)
    terminal.shows(f"Time to stand up: {third['text']}")
    terminal.press("s")
    terminal.shows("Snoozed until")
    terminal.press("k")
    terminal.shows(f"Prompt {third['id']}: Skipped.")
    terminal.press("d")
    terminal.shows("Logged a break of your own; the sitting clock starts again.")
    terminal.press("q")
    screen = terminal.shows("[standup exited with code 0]")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "no-tray.txt").write_text(screen.rstrip("\n") + "\n", encoding="utf-8")

    lines = [line for line in screen.splitlines() if line.strip()]
    text = unwrapped(screen)
    legend = squeezed(KEYS_HELP)
    assert text.count(legend) == 1, "the key legend is shown once, at the start"
    assert re.match(r"\[\d\d:\d\d\] standup is running in this terminal: prompts appear here; the next prompt is at "
                    r"\d\d:\d\d\. Keys: ", text)
    assert text.splitlines()[0].endswith(f"Keys: {legend}.")
    for line in lines[:-1]:
        # every row is a line of its own ("[10:12] …") or continues one under its text: nothing the
        # terminal had to wrap itself, so no word is cut at the 80th column
        assert re.match(r"\[\d\d:\d\d\] \S| {%d}\S" % STAMP_WIDTH, line), line
        assert len(line) <= COLUMNS
    assert lines[-1] == "[standup exited with code 0]"
    answers = [line for line in text.splitlines() if re.match(r"\[\d\d:\d\d\] (Prompt \d+:|Snoozed|Logged)", line)]
    assert [line[STAMP_WIDTH:] for line in answers] == [
        f"Prompt {first['id']}: Done, well moved!",
        f"Prompt {second['id']}: Done, well moved! {ELSEWHERE}",
        "Logged a break of your own from outside this terminal; the sitting clock starts again.",
        answers[3][STAMP_WIDTH:],  # "Snoozed until HH:MM." — checked below
        f"Prompt {third['id']}: Skipped.",
        "Logged a break of your own; the sitting clock starts again.",
    ]
    assert re.fullmatch(r"Snoozed until \d\d:\d\d\.", answers[3][STAMP_WIDTH:])
