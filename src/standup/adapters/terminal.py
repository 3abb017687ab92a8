"""Headless prompts: lines on the terminal, and single keys (d, s, k, b, q) to answer them.

The renderer says each thing once, in words: one line at start saying where standup runs and when
the next prompt comes (with the key legend when keys work), one line per prompt and answer. An
answer given outside this terminal (`standup done` in another shell, the tray, a notification, the
break window) is shown too, and says so. On a terminal, lines wrap at word boundaries to its width,
continuing under the text, not the time.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
import textwrap
import threading
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TextIO

from standup.adapters.clock import Clock
from standup.core.errors import StandupError
from standup.core.model import Outcome, State
from standup.core.policy import to_local
from standup.core.text import clip, one_line, showable
from standup.service.ports import Listener
from standup.service.views import Answer, PromptView, Status

log = logging.getLogger(__name__)

KEYS_HELP = "[d]one  [s]nooze  s[k]ip  [b]reak now  [q]uit  — or `standup done` from any shell"
NO_KEYS_HELP = "Answer with `standup done`, `standup snooze` or `standup skip` from any shell"
STAMP_WIDTH = len("[09:00] ")
ELSEWHERE = "(answered outside this terminal)"

# Where `standup run` runs, for the start line.
IN_TRAY = "in the tray"
IN_TERMINAL = "in this terminal"
MAX_LINE = 400  # characters; routine text longer than this is cut with "…"
# A wrap never parts a number from its unit or a dose's "2 × 10": "about 1 / min" reads badly.
_KEPT_TOGETHER = re.compile(r"(?<=\d) (?=min\b|s\b|×)|(?<=×) (?=\d)")
_GLUE = "\N{NO-BREAK SPACE}"

def printable(text: str) -> str:
    """`text` as one plain terminal line: breaks become spaces, control characters go, long text is cut."""
    return clip(showable(one_line(text)), MAX_LINE)


def where_without_tray(reason: str) -> str:
    """The start line's 'where' for a desktop with no tray icon: 'without a tray icon (no display)'."""
    return f"without a tray icon ({reason})"


class TerminalPrompter(Listener):
    """A service listener that writes each prompt and answer as one line (wrapped on a terminal).

    `width`: wrap to this many columns; None asks the terminal each time when `out` is one, and
    does not wrap otherwise (a file or a pipe keeps one line per message).
    """

    def __init__(self, out: TextIO, clock: Clock, interactive: bool, width: int | None = None) -> None:
        self._out = out
        self._clock = clock
        self._tz = clock.tz
        self._interactive = interactive
        self._width = width
        self._keys_answering = False  # a key's service call is under way: its events are not news
        self._own_breaks: tuple[date, int] | None = None  # today's breaks of one's own, as last seen

    def _columns(self) -> int | None:
        if self._width is not None:
            return self._width
        try:
            if not self._out.isatty():
                return None
        except (AttributeError, ValueError):
            return None
        return shutil.get_terminal_size().columns

    def _line(self, text: str) -> None:
        line = f"[{to_local(self._clock.now(), self._tz):%H:%M}] {printable(text)}"
        columns = self._columns()
        if columns is not None and len(line) > columns:
            glued = _KEPT_TOGETHER.sub(_GLUE, line)  # textwrap never breaks at a no-break space
            line = "\n".join(textwrap.wrap(glued, width=max(columns, STAMP_WIDTH + 20),
                                            subsequent_indent=" " * STAMP_WIDTH, break_on_hyphens=False))
            line = line.replace(_GLUE, " ")
        self._out.write(line + "\n")
        self._out.flush()

    def _elsewhere(self) -> str:
        """' (answered outside this terminal)' for an answer that did not come from this terminal's keys."""
        return "" if self._keys_answering or not self._interactive else f" {ELSEWHERE}"

    def started(self, status: Status, work_hours: str, where: str = IN_TERMINAL) -> None:
        """The one line at start: where standup runs, when the next prompt comes, how to answer."""
        self._own_breaks = self._breaks_of_own(status)
        self._line(start_line(status, work_hours, where, self._tz, self._interactive))

    def by_key(self, action: Callable[[], object]) -> Callable[[], object]:
        """`action` as a key's answer: its events are not announced as coming from elsewhere."""

        def answer() -> object:
            self._keys_answering = True
            try:
                result = action()
            finally:
                self._keys_answering = False
            if isinstance(result, Answer):
                self.answered(result)
            return result

        return answer

    def prompt_shown(self, view: PromptView) -> None:
        again = " (again)" if view.reshown else ""
        self._line(f"Time to stand up{again}: {view.text}")

    def prompt_snoozed(self, view: PromptView) -> None:
        if view.snoozed_until is not None:
            self._line(f"Snoozed until {to_local(view.snoozed_until, self._tz):%H:%M}.{self._elsewhere()}")

    def prompt_closed(self, view: PromptView, outcome: Outcome) -> None:
        words = {Outcome.DONE: "Done, well moved!", Outcome.SKIPPED: "Skipped.",
                 Outcome.MISSED: "Missed: nobody answered.", Outcome.NATURAL: "You were away: counted as a break."}
        suffix = self._elsewhere() if outcome in (Outcome.DONE, Outcome.SKIPPED) else ""
        self._line(f"Prompt {view.id}: {words.get(outcome, outcome.value.capitalize() + '.')}{suffix}")

    def answered(self, answer: Answer) -> None:
        """A key's answer: only a break of one's own needs words here (the others come as events)."""
        if answer.action == "self_break":
            self._line("Logged a break of your own; the sitting clock starts again.")

    def state_changed(self, status: Status) -> None:
        """A break of one's own logged outside this terminal shows as one more in today's counts."""
        seen, self._own_breaks = self._own_breaks, self._breaks_of_own(status)
        if seen is None or self._keys_answering:
            return  # nothing to compare with yet; a key's break is told by `answered`
        day, count = self._own_breaks
        if count > (seen[1] if seen[0] == day else 0):
            where = " from outside this terminal" if self._interactive else ""
            self._line(f"Logged a break of your own{where}; the sitting clock starts again.")

    def _breaks_of_own(self, status: Status) -> tuple[date, int]:
        return to_local(status.now, self._tz).date(), status.today.get("self_breaks", 0)

    def paused(self, until: datetime) -> None:
        self._line(f"Paused until {to_local(until, self._tz):%a %H:%M}.")

    def evening_note(self, text: str) -> None:
        self._line(f"Your day: {text}")

    def log_unwritable(self, reason: str) -> None:
        self._line(f"Cannot save answers: {reason}")

    def log_writable(self) -> None:
        self._line("The log can be written again; the answers kept in memory are saved.")

    def log_recreated(self, message: str) -> None:
        self._line(message)

    def resumed(self) -> None:
        self._line("Reminders resumed.")


def start_line(status: Status, work_hours: str, where: str, tz: tzinfo | None, interactive: bool) -> str:
    """'standup is running in the tray; the next prompt is at 10:18.' and the like, with the keys."""
    head = f"standup is running {where}" + ("" if where == IN_TRAY else ": prompts appear here")
    due = status.next_prompt_at
    when = to_local(due, tz).strftime("%a %H:%M") if due else "not scheduled"
    today = to_local(status.now, tz).date()
    if status.open_prompt is not None:
        line = f"{head}; a prompt is open now."
    elif status.state is State.PAUSED and status.paused_until is not None:
        line = f"{head}; paused until {to_local(status.paused_until, tz):%a %H:%M}, the next prompt is {when}."
    elif status.state is State.OFF_HOURS:
        line = (f"{head}. Outside work hours ({work_hours} on workdays): the next prompt is {when}. "
                "Set work_hours and workdays in config.toml to be reminded at other times.")
    else:
        if due is None:
            line = f"{head}; no prompt is due."
        else:
            local = to_local(due, tz)
            line = f"{head}; the next prompt is at {local:%H:%M}{'' if local.date() == today else local.strftime(' (%a)')}."
    if where != IN_TRAY or interactive:
        line += f" Keys: {KEYS_HELP}." if interactive else f" {NO_KEYS_HELP}."
    return line


class KeyReader:
    """Reads single keys from a terminal in a daemon thread and maps them to service calls."""

    def __init__(self, actions: dict[str, Callable[[], object]], out: TextIO, stream: TextIO | None = None) -> None:
        self._actions = actions
        self._out = out
        self._stream = stream or sys.stdin

    def start(self) -> None:
        threading.Thread(target=self._read, name="keys", daemon=True).start()

    def _read(self) -> None:
        with _cbreak(self._stream):
            while True:
                key = self._stream.read(1)
                if not key:
                    return
                action = self._actions.get(key.lower())
                if action is None:
                    continue
                try:
                    action()
                except StandupError as exc:
                    self._out.write(f"{printable(str(exc))}\n")
                    self._out.flush()


class _cbreak:
    """Single keys without Enter while the app runs; the terminal is restored afterwards."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._saved: list[int | list[bytes | int]] | None = None  # termios attributes

    def __enter__(self) -> None:
        try:
            import termios
            import tty

            fd = self._stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
            import atexit

            atexit.register(self.__exit__)
        except (ImportError, OSError, ValueError) as exc:
            log.debug("Keys need Enter: %s", exc)

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self._stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None
