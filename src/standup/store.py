"""The compliance log: SQLite with WAL and synchronous=FULL, ordered migrations, prompts and events.

A write returns only after its transaction is committed, so whatever the caller acknowledges is on
disk. A damaged or unreadable file raises StoreError and is never written over.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from standup.errors import StoreError
from standup.model import OUTCOME_EVENTS, EventKind, EventRecord, Outcome, PromptRecord, Suggestion

log = logging.getLogger(__name__)

# Ordered migrations: index + 1 is the schema version they produce. Never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE prompts (
        id          INTEGER PRIMARY KEY,
        prompted_at TEXT NOT NULL,
        outcome     TEXT CHECK (outcome IN ('done', 'skipped', 'missed', 'natural')),
        answered_at TEXT,
        routine     TEXT,
        sets        INTEGER,
        reps        INTEGER,
        seconds     INTEGER,
        squats      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX prompts_by_time ON prompts (prompted_at);
    CREATE UNIQUE INDEX one_open_prompt ON prompts ((outcome IS NULL)) WHERE outcome IS NULL;
    CREATE TABLE events (
        id        INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        kind      TEXT NOT NULL,
        prompt_id INTEGER REFERENCES prompts (id),
        data      TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_by_time ON events (at);
    CREATE INDEX events_by_prompt ON events (prompt_id);
    """,
)

_PROMPT_COLUMNS = "id, prompted_at, outcome, answered_at, routine, sets, reps, seconds, squats"
_SNOOZES = "(SELECT count(*) FROM events e WHERE e.prompt_id = p.id AND e.kind = 'snoozed')"


def utc_text(instant: datetime) -> str:
    """The stored form: UTC ISO-8601 with seconds, e.g. 2026-11-21T09:00:00+00:00."""
    return instant.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


class Store:
    """One connection to the log. Thread-safe: every call takes the connection's lock."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> Store:
        """Open (creating and migrating unless `readonly`) the log at `path`."""
        if readonly and not path.exists():
            return cls._empty_memory_store(path)
        try:
            if not readonly:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                _create_private(path)
            uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rw'}"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None, timeout=10)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{path}: cannot open the log ({exc}); check the file's permissions") from exc
        store = cls(db, path)
        try:
            store._configure(readonly)
            if not readonly:
                store._migrate()
            store._check_version()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise StoreError(
                f"{path}: the log is damaged or not a standup database ({exc}); it was left untouched — "
                f"move it aside (e.g. rename it to {path.name}.broken) to start a fresh log"
            ) from exc
        return store

    @classmethod
    def _empty_memory_store(cls, path: Path) -> Store:
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        store = cls(db, path)
        store._migrate()
        return store

    def _configure(self, readonly: bool) -> None:
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 10000")
        if not readonly:
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("SQLite refused WAL mode (got %s) for %s", mode, self.path)
        self._db.execute("PRAGMA synchronous = FULL")
        # Reading the schema forces SQLite to look at the file: a damaged header fails here.
        self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > len(MIGRATIONS):
            return  # a newer standup wrote this log; _check_version reports it
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for statement in filter(str.strip, script.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")
            log.info("Migrated the log %s to schema version %d", self.path, number)

    def _check_version(self) -> None:
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: the log has schema version {version}, newer than this standup knows "
                f"({len(MIGRATIONS)}); upgrade standup"
            )
        if version == 0:
            raise StoreError(f"{self.path}: not a standup log yet; run `standup run` once to create it")

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write to the log ({exc}); check free space and permissions") from exc

    # -- writes: each returns after its commit -------------------------------------------------

    def add_prompt(self, at: datetime, suggestion: Suggestion | None) -> PromptRecord:
        """Open a prompt and record its `prompted` event, in one transaction."""
        s = suggestion
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO prompts (prompted_at, routine, sets, reps, seconds, squats) VALUES (?, ?, ?, ?, ?, ?)",
                (utc_text(at), s and s.routine_id, s and s.sets, s and s.reps, s and s.seconds, s.squats if s else 0),
            )
            prompt_id = int(cursor.lastrowid or 0)
            self._insert_event(at, EventKind.PROMPTED, prompt_id, {"suggestion": asdict(s)} if s else None)
        record = self.prompt(prompt_id)
        assert record is not None
        return record

    def add_event(
        self, at: datetime, kind: EventKind, prompt_id: int | None = None, data: dict[str, object] | None = None
    ) -> EventRecord:
        with self._transaction():
            event_id = self._insert_event(at, kind, prompt_id, data)
        return EventRecord(event_id, at.astimezone(timezone.utc).replace(microsecond=0), kind, prompt_id, data or {})

    def close_prompt(
        self, prompt_id: int, outcome: Outcome, at: datetime, data: dict[str, object] | None = None
    ) -> None:
        """Record a prompt's outcome and its event together; a closed prompt stays closed."""
        with self._transaction():
            updated = self._db.execute(
                "UPDATE prompts SET outcome = ?, answered_at = ? WHERE id = ? AND outcome IS NULL",
                (outcome.value, utc_text(at), prompt_id),
            ).rowcount
            if updated != 1:
                raise sqlite3.IntegrityError(f"prompt {prompt_id} is not open")
            self._insert_event(at, OUTCOME_EVENTS[outcome], prompt_id, data)

    def _insert_event(
        self, at: datetime, kind: EventKind, prompt_id: int | None, data: dict[str, object] | None
    ) -> int:
        cursor = self._db.execute(
            "INSERT INTO events (at, kind, prompt_id, data) VALUES (?, ?, ?, ?)",
            (utc_text(at), kind.value, prompt_id, json.dumps(data or {}, sort_keys=True)),
        )
        return int(cursor.lastrowid or 0)

    # -- reads ---------------------------------------------------------------------------------

    def prompt(self, prompt_id: int) -> PromptRecord | None:
        rows = self._prompts("WHERE id = ?", (prompt_id,))
        return rows[0] if rows else None

    def open_prompt(self) -> PromptRecord | None:
        rows = self._prompts("WHERE outcome IS NULL ORDER BY id DESC LIMIT 1", ())
        return rows[0] if rows else None

    def prompts_between(self, start: datetime, end: datetime) -> list[PromptRecord]:
        """Prompts with prompted_at in [start, end), oldest first."""
        return self._prompts(
            "WHERE prompted_at >= ? AND prompted_at < ? ORDER BY prompted_at, id", (utc_text(start), utc_text(end))
        )

    def events_between(self, start: datetime, end: datetime) -> list[EventRecord]:
        """Events with `at` in [start, end), oldest first."""
        rows = self._read(
            "SELECT id, at, kind, prompt_id, data FROM events WHERE at >= ? AND at < ? ORDER BY at, id",
            (utc_text(start), utc_text(end)),
        )
        return [_event(row) for row in rows]

    def last_event(self, kinds: frozenset[EventKind] | set[EventKind]) -> EventRecord | None:
        """The newest event of any of `kinds`."""
        marks = ", ".join("?" for _ in kinds)
        rows = self._read(
            f"SELECT id, at, kind, prompt_id, data FROM events WHERE kind IN ({marks}) ORDER BY at DESC, id DESC LIMIT 1",
            tuple(kind.value for kind in kinds),
        )
        return _event(rows[0]) if rows else None

    def integrity_check(self) -> str:
        return str(self._read("PRAGMA integrity_check", ())[0][0])

    def _prompts(self, where: str, params: tuple[object, ...]) -> list[PromptRecord]:
        rows = self._read(f"SELECT {_PROMPT_COLUMNS}, {_SNOOZES} FROM prompts p {where}", params)
        return [_prompt(row) for row in rows]

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the log ({exc}); it was left untouched") from exc


def _create_private(path: Path) -> None:
    """Create the database file owner-only (0600) before SQLite does it with the umask."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _prompt(row: tuple[Any, ...]) -> PromptRecord:
    id_, prompted_at, outcome, answered_at, routine, sets, reps, seconds, squats, snoozes = row
    return PromptRecord(
        id=int(id_),
        prompted_at=parse_utc(str(prompted_at)),
        outcome=Outcome(outcome) if outcome else None,
        answered_at=parse_utc(str(answered_at)) if answered_at else None,
        snoozes=int(snoozes),
        routine=str(routine) if routine is not None else None,
        sets=sets,
        reps=reps,
        seconds=seconds,
        squats=int(squats or 0),
    )


def _event(row: tuple[Any, ...]) -> EventRecord:
    id_, at, kind, prompt_id, data = row
    return EventRecord(
        id=int(id_),
        at=parse_utc(str(at)),
        kind=EventKind(kind),
        prompt_id=int(prompt_id) if prompt_id is not None else None,
        data=json.loads(str(data)) if data else {},
    )


# -- read-only bulk read for `standup export` (added with the summary issue) ----------------------


def stored_rows_between(
    store: Store, start: datetime, end: datetime
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Prompts and events in [start, end) exactly as stored, oldest first, for a fast export.

    Prompts: (id, prompted_at, outcome, answered_at, routine, sets, reps, seconds, squats, snoozes);
    events: (id, at, kind, prompt_id, data). Instants stay UTC text, data stays JSON text.
    """
    bounds = (utc_text(start), utc_text(end))
    prompts = store._read(
        f"SELECT {_PROMPT_COLUMNS}, {_SNOOZES} FROM prompts p WHERE prompted_at >= ? AND prompted_at < ? "
        "ORDER BY prompted_at, id",
        bounds,
    )
    events = store._read(
        "SELECT id, at, kind, prompt_id, data FROM events WHERE at >= ? AND at < ? ORDER BY at, id", bounds
    )
    return prompts, events
