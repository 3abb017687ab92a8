"""`standup repair`: keeps a damaged log aside, untouched, and starts a fresh one with what can be read.

Run only when the user asks (the damaged-log error names this command). The damaged file and its
-wal/-shm companions are renamed, never rewritten; every prompt and event SQLite can still read from
them is copied into the fresh log with its id, so the summary keeps as much history as survived.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from standup.core.errors import StoreError
from standup.adapters.store import Store

COMPANIONS = ("", "-wal", "-shm")  # SQLite finds a renamed -wal by the renamed database's name


@dataclass(frozen=True)
class Repair:
    """What `repair_log` did: nothing (healthy), or where the damaged log went and what came back."""

    kept_as: Path | None
    prompts: int = 0
    events: int = 0
    problem: str = ""

    def describe(self, path: Path) -> str:
        if self.kept_as is None:
            return f"{path}: the log is healthy; nothing to repair"
        return (f"{path}: the damaged log ({self.problem}) is kept as {self.kept_as}; a fresh log was started with "
                f"{self.prompts} prompts and {self.events} events recovered from it")


def check_log(path: Path) -> str | None:
    """Why the log at `path` is damaged, or None when it opens and passes SQLite's quick check."""
    if not path.exists():
        return None
    try:
        store = Store.open(path, readonly=True)
    except StoreError as exc:
        if "newer than this standup" in str(exc):
            raise  # not damage: an upgrade is the answer
        cause = exc.__cause__
        return str(cause) if cause is not None else str(exc)
    try:
        verdict = store.quick_check()
    finally:
        store.close()
    return None if verdict == "ok" else verdict


def repair_log(path: Path, now: datetime) -> Repair:
    """Move a damaged log aside and start a fresh one holding whatever could be read from it."""
    problem = check_log(path)
    if problem is None:
        return Repair(None)
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kept_as = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in COMPANIONS:
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.rename(Path(f"{kept_as}{suffix}"))
    fresh = Store.open(path)
    try:
        prompts, events = _salvage(kept_as, fresh)
    finally:
        fresh.close()
    return Repair(kept_as, prompts, events, problem.splitlines()[0])


def _salvage(damaged: Path, fresh: Store) -> tuple[int, int]:
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0, 0
    try:
        prompts = _copy(source, fresh, "prompts",
                        "id, prompted_at, outcome, answered_at, routine, sets, reps, seconds, squats")
        events = _copy(source, fresh, "events", "id, at, kind, prompt_id, data")
    finally:
        source.close()
    return prompts, events


def _copy(source: sqlite3.Connection, fresh: Store, table: str, columns: str) -> int:
    marks = ", ".join("?" for _ in columns.split(","))
    return fresh.copy_rows(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                           _readable(source, f"SELECT {columns} FROM {table} ORDER BY id"))


def _readable(source: sqlite3.Connection, query: str) -> Iterator[tuple[object, ...]]:
    """The rows SQLite can read, in id order, up to where the damage stops it."""
    try:
        yield from source.execute(query)
    except sqlite3.DatabaseError:
        return
