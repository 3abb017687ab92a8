"""What every command handler shares: the `Context` it runs in, and reading a date argument."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from standup.adapters.clock import Clock, SystemClock
from standup.adapters.control import request
from standup.adapters.paths import Paths
from standup.adapters.store import Store
from standup.cli.encoding import can_encode
from standup.core.errors import UsageError
from standup.core.settings import Settings, load_settings

@dataclass
class Context:
    """What a command handler may use. Tests build one with a fake clock and string buffers."""

    paths: Paths
    out: TextIO
    err: TextIO
    clock: Clock = field(default_factory=SystemClock)

    def settings(self) -> Settings:
        return load_settings(self.paths.config_file)

    def open_store(self, readonly: bool = False) -> Store:
        return Store.open(self.paths.database, readonly=readonly)

    def request(self, command: str, **args: object) -> object:  # the running app's JSON answer (app.Commands)
        return request(self.paths.socket, command, args, lock=self.paths.lock_file)

    def print_json(self, value: object) -> None:
        # \u escapes where the terminal cannot show the text: still the same JSON, nothing lost
        self.out.write(json.dumps(value, indent=2, ensure_ascii=not can_encode(self.out)) + "\n")


# A week or a month around the day, in any time zone, must stay inside what `datetime` can hold.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)


def parse_date(text: str, option: str | None = None) -> date:
    """A YYYY-MM-DD argument from FIRST_DAY to LAST_DAY; a UsageError naming `option` otherwise."""
    named = f"{option} " if option else ""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{named}{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-21") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(f"{named}{text!r} is out of range; use a date from {FIRST_DAY} to {LAST_DAY}")
    return day


def date_arg(text: str) -> date:
    """`parse_date` as an argparse type (argparse names the option)."""
    try:
        return parse_date(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
