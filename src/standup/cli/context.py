"""What every command handler shares: the `Context` it runs in, and reading a date argument."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from standup.adapters.clock import Clock, SystemClock
from standup.adapters.control import request
from standup.adapters.paths import Paths
from standup.adapters.store import Store
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

    def request(self, command: str, **args: object) -> Any:  # the running app's JSON answer
        return request(self.paths.socket, command, args, lock=self.paths.lock_file)

    def print_json(self, value: object) -> None:
        self.out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def parse_date(text: str, option: str | None = None) -> date:
    """A YYYY-MM-DD argument; a UsageError naming `option` otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        named = f"{option} " if option else ""
        raise UsageError(f"{named}{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-21") from None


def date_arg(text: str) -> date:
    """`parse_date` as an argparse type (argparse names the option)."""
    try:
        return parse_date(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
