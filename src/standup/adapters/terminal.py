"""Headless prompts: lines on the terminal, and single keys (d, s, k, b, q) to answer them."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from standup.adapters.clock import Clock
from standup.core.errors import StandupError
from standup.core.model import Outcome, State
from standup.core.policy import to_local
from standup.core.text import clip, one_line, showable
from standup.service.ports import Listener
from standup.service.views import PromptView, Status

log = logging.getLogger(__name__)

KEYS_HELP = "[d]one  [s]nooze  s[k]ip  [b]reak now  [q]uit  — or `standup done` from any shell"
MAX_LINE = 400  # characters; routine text longer than this is cut with "…"

def printable(text: str) -> str:
    """`text` as one plain terminal line: breaks become spaces, control characters go, long text is cut."""
    return clip(showable(one_line(text)), MAX_LINE)


class TerminalPrompter(Listener):
    """A service listener that writes each prompt and answer as one line."""

    def __init__(self, out: TextIO, clock: Clock, interactive: bool) -> None:
        self._out = out
        self._clock = clock
        self._tz = clock.tz
        self._interactive = interactive

    def _line(self, text: str) -> None:
        self._out.write(f"[{to_local(self._clock.now(), self._tz):%H:%M}] {printable(text)}\n")
        self._out.flush()

    def started(self, status: Status, work_hours: str) -> None:
        how = KEYS_HELP if self._interactive else "answer with `standup done`, `standup snooze` or `standup skip`"
        self._line(f"standup is running without a tray: prompts appear here; {how}.")
        when = to_local(status.next_prompt_at, self._tz).strftime("%a %H:%M") if status.next_prompt_at else "never"
        if status.state is State.OFF_HOURS:
            self._line(f"Outside work hours ({work_hours} on workdays): the next prompt is {when}. "
                       "Set work_hours and workdays in config.toml to be reminded at other times.")
        else:
            self._line(f"Next prompt at {when}.")

    def prompt_shown(self, view: PromptView) -> None:
        again = " (again)" if view.reshown else ""
        self._line(f"Time to stand up{again}: {view.text}")
        if self._interactive:
            self._line(KEYS_HELP)

    def prompt_snoozed(self, view: PromptView) -> None:
        if view.snoozed_until is not None:
            self._line(f"Snoozed until {to_local(view.snoozed_until, self._tz):%H:%M}.")

    def prompt_closed(self, view: PromptView, outcome: Outcome) -> None:
        words = {Outcome.DONE: "Done, well moved!", Outcome.SKIPPED: "Skipped.",
                 Outcome.MISSED: "Missed: nobody answered.", Outcome.NATURAL: "You were away: counted as a break."}
        self._line(f"Prompt {view.id}: {words[outcome]}")

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
