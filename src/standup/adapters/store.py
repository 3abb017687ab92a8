"""The compliance log: SQLite with WAL and synchronous=FULL, ordered migrations, prompts and events.

A write returns after its transaction is committed, so whatever the caller acknowledges is on disk.
When the disk is full, the file read-only or failing, the write is kept in memory instead, in order,
with every later one behind it: `unsaved` counts them, `write_error` says why, and each later write
or `flush()` tries them again (the service calls `flush()` on a timer). Before a write is acknowledged
the store checks that the file it wrote is still the file at its path: a log deleted, moved or replaced
while the app runs is noticed, and a fresh log is started at the path with everything the connection
still holds (`notices` says so, once). Prompt ids are handed out here, not by SQLite, so a prompt kept in
memory already has the id its answer will refer to. A damaged or unreadable file raises StoreError
and is never written over.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from standup.adapters import logfile
from standup.adapters.schema import MIGRATIONS
from standup.core.errors import StoreError
from standup.core.model import OUTCOME_EVENTS, EventKind, EventRecord, Outcome, PromptRecord, Suggestion, parse_utc, utc_text

log = logging.getLogger(__name__)

SQLITE_READONLY_ROLLBACK = getattr(sqlite3, "SQLITE_READONLY_ROLLBACK", 776)
SQLITE_CANTOPEN = 14
BUSY_MS = 10_000  # how long a write waits for another program's lock on the log
RETRY_BUSY_MS = 1_000  # the same for a retry of writes kept in memory
# Primary result codes that say the file is fine but may not be opened or written as asked.
_NOT_DAMAGE = {3: "permission denied", 5: "busy", 6: "locked", 8: "read-only", 14: "cannot be opened"}

_PROMPT_COLUMNS = "id, prompted_at, outcome, answered_at, routine, sets, reps, seconds, squats"
_SNOOZES = "(SELECT count(*) FROM events e WHERE e.prompt_id = p.id AND e.kind = 'snoozed')"


def damaged_message(path: Path, problem: str) -> str:
    return (f"{path}: the log is damaged or not a standup database ({problem}); it was left untouched — run "
            f"`standup repair` to keep it aside and start a fresh log with what can still be read from it")


def refused_message(path: Path, exc: sqlite3.Error) -> str | None:
    """A one-line error for a healthy log SQLite may not open as asked (read-only, locked, no access to
    its folder), or None when the error means damage."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(exc, sqlite3.OperationalError) or code is None or code & 0xFF not in _NOT_DAMAGE:
        return None
    if code & 0xFF in (5, 6):
        return (f"{path}: the log is locked by another program ({exc}); it was left untouched — close that "
                f"program and try again")
    return (f"{path}: the log or its folder is read-only ({exc}); it was left untouched — make both writable "
            f"by you (check `ls -ld` and `lsattr`) and try again")


Write = Callable[[sqlite3.Connection], None]


class Store:
    """One connection to the log. Thread-safe: every call takes the connection's lock."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._unsaved: deque[tuple[Write, str]] = deque()
        self.write_error: str | None = None  # why the writes in memory could not be saved yet
        self._next_prompt_id = 0  # set once the schema exists
        self._identity: logfile.Identity | None = None  # the file written; None: not checked (read-only)
        self._stranded = False  # committed into a file no longer at the path, not yet copied to a fresh one
        self.notices: list[str] = []  # what the user must be told once (a log recreated), for the service

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
            try:
                store._configure(readonly)
            except sqlite3.OperationalError as exc:
                code = getattr(exc, "sqlite_errorcode", None)
                if readonly and code == SQLITE_CANTOPEN and not Path(f"{path}-wal").exists():
                    # A read-only folder: SQLite cannot make the -shm file a WAL log needs. With no -wal
                    # beside it, everything is in the file itself, which it may then read as it is.
                    db.close()
                    store._db = db = sqlite3.connect(f"{uri}&immutable=1", uri=True, check_same_thread=False,
                                                     isolation_level=None)
                    store._configure(readonly)
                    code = None
                if code is None:
                    pass
                elif not readonly or code != SQLITE_READONLY_ROLLBACK:
                    raise
                else:
                    # A writer died mid-transaction (a hot journal): only a writer may roll it back, as
                    # SQLite does on opening; then read as asked.
                    db.close()
                    writer = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True)
                    try:
                        writer.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the first read rolls back
                    finally:
                        writer.close()
                    store._db = db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None,
                                                     timeout=10)
                    store._configure(readonly)
            if not readonly:
                store._migrate()
            store._check_version()
            store._next_prompt_id = store._max_prompt_id() + 1
        except sqlite3.DatabaseError as exc:
            store._db.close()
            raise StoreError(refused_message(path, exc) or damaged_message(path, str(exc))) from exc
        if not readonly:
            store._identity = logfile.identity(path)
        return store

    @classmethod
    def _empty_memory_store(cls, path: Path) -> Store:
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        store = cls(db, path)
        store._migrate()
        store._next_prompt_id = 1
        return store

    def _configure(self, readonly: bool) -> None:
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        if not readonly:
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("SQLite refused WAL mode (got %s) for %s", mode, self.path)
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA cache_size = -512")  # KiB: the app reads a day at a time, not 2 MiB's worth
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

    def _max_prompt_id(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(id), 0) FROM prompts").fetchone()[0])

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

    # -- writes: each returns after its commit, or kept in memory when the disk refuses it ------

    @property
    def unsaved(self) -> int:
        """How many writes are kept in memory, waiting for the log to become writable."""
        return len(self._unsaved) + int(self._stranded)

    def flush(self) -> bool:
        """Write what is kept in memory, oldest first; True when nothing is left unsaved. A log locked by
        another program is waited for a second here, not the ten seconds a first write waits."""
        if not self.unsaved:
            self._writable_again()
            return True
        self._db.execute(f"PRAGMA busy_timeout = {RETRY_BUSY_MS}")
        try:
            return self._flush()
        finally:
            try:
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            except sqlite3.Error:
                pass

    def _flush(self) -> bool:
        if self._stranded:
            try:
                self._keep_at_path()
            except sqlite3.Error as exc:
                self._refused(exc)
                return False
        while self._unsaved:
            write, what = self._unsaved[0]
            try:
                self._commit_verified(write)
            except _Stranded as exc:
                self._unsaved.popleft()  # in the old file: the fresh log will get it with the rest
                self._refused(exc)
                return False
            except sqlite3.IntegrityError:
                log.exception("Dropped a write kept in memory that contradicts the log: %s", what)
            except sqlite3.Error as exc:
                self._refused(exc)
                return False
            self._unsaved.popleft()
        self._writable_again()
        return True

    def _commit_verified(self, write: Write) -> None:
        """Commit `write` into the file at the log's path, whatever happened to the file opened before."""
        self._keep_at_path()
        self._commit(write)
        try:
            self._keep_at_path()  # replaced while committing: the write went into the old file; copy it over
        except sqlite3.Error:
            self._stranded = True
            raise _Stranded() from None

    def _keep_at_path(self) -> None:
        """If the file at the path is not the one open, start a fresh log there from the open one."""
        if self._identity is None or logfile.identity(self.path) == self._identity:
            self._stranded = False
            return
        try:
            _, message = logfile.recreate(self._db, self.path, datetime.now(timezone.utc))
            db = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True, check_same_thread=False,
                                 isolation_level=None, timeout=10)
        except OSError as exc:
            raise sqlite3.OperationalError(f"the log file was deleted or replaced and a fresh one cannot be "
                                           f"made: {exc.strerror or exc}") from exc
        self._db = db
        self._configure(readonly=False)
        self._identity = logfile.identity(self.path)
        self._stranded = False
        log.info("%s", message)  # the service tells the user, through its listeners
        self.notices.append(message)

    def _commit(self, write: Write) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            write(self._db)
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                try:
                    self._db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    def _refused(self, exc: sqlite3.Error) -> None:
        if self.write_error is None:
            log.error("Cannot write to %s (%s); keeping answers in memory until it can", self.path, exc)
        damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
        fix = ("quit and run `standup repair`" if damaged else "free some space or fix the permissions")
        self.write_error = (f"{self.path}: cannot write to the log ({exc}); {fix} — answers are kept in memory "
                            f"until then")

    def _writable_again(self) -> None:
        if self.write_error is not None:
            log.info("The log %s is writable again; everything kept in memory is saved", self.path)
            self.write_error = None

    def unsaved_writes(self) -> list[str]:
        """What is kept in memory, in words, oldest first."""
        return [what for _, what in self._unsaved]

    def _write(self, write: Write, what: str) -> bool:
        """Commit `write`, or keep it in memory behind anything already kept (an answer needs its prompt).

        A write that contradicts the log (a second open prompt, a closed prompt answered again) is a
        bug in the caller: it raises StoreError and is not kept."""
        if self._unsaved and not self.flush():
            self._unsaved.append((write, what))
            return False
        try:
            self._commit_verified(write)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{self.path}: refused {what}: {exc}") from exc
        except _Stranded as exc:
            self._refused(exc)  # in the old file already: the fresh log will get it with the rest
            return False
        except sqlite3.Error as exc:
            self._refused(exc)
            self._unsaved.append((write, what))
            return False
        self._writable_again()
        return True

    def add_prompt(self, at: datetime, suggestion: Suggestion | None) -> PromptRecord:
        """Open a prompt and record its `prompted` event, in one transaction."""
        s = suggestion
        prompt_id, self._next_prompt_id = self._next_prompt_id, self._next_prompt_id + 1
        record = PromptRecord(id=prompt_id, prompted_at=parse_utc(utc_text(at)), outcome=None, answered_at=None,
                              snoozes=0, routine=s.routine_id if s else None, sets=s.sets if s else None,
                              reps=s.reps if s else None, seconds=s.seconds if s else None, squats=s.squats if s else 0)

        def write(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO prompts (id, prompted_at, routine, sets, reps, seconds, squats) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", (prompt_id, utc_text(at), record.routine, record.sets,
                                                        record.reps, record.seconds, record.squats))
            _insert_event(db, at, EventKind.PROMPTED, prompt_id, {"suggestion": asdict(s)} if s else None)

        self._write(write, f"prompt {prompt_id} at {utc_text(at)}")
        return record

    def add_event(
        self, at: datetime, kind: EventKind, prompt_id: int | None = None, data: dict[str, object] | None = None
    ) -> bool:
        """Record an event; False when it is kept in memory for now."""
        about = f" of prompt {prompt_id}" if prompt_id is not None else ""
        return self._write(lambda db: _insert_event(db, at, kind, prompt_id, data), f"{kind.value}{about} at {utc_text(at)}")

    def close_prompt(
        self, prompt_id: int, outcome: Outcome, at: datetime, data: dict[str, object] | None = None,
        squats: int | None = None,
    ) -> bool:
        """Record a prompt's outcome and its event together; a closed prompt stays closed.
        `squats`: the squats actually done, when fewer sets were completed than suggested."""

        def write(db: sqlite3.Connection) -> None:
            updated = db.execute(
                "UPDATE prompts SET outcome = ?, answered_at = ?, squats = COALESCE(?, squats) "
                "WHERE id = ? AND outcome IS NULL",
                (outcome.value, utc_text(at), squats, prompt_id),
            ).rowcount
            if updated != 1:
                raise sqlite3.IntegrityError(f"prompt {prompt_id} is not open")
            _insert_event(db, at, OUTCOME_EVENTS[outcome], prompt_id, data)

        return self._write(write, f"{outcome.value} for prompt {prompt_id} at {utc_text(at)}")

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

    def counts_between(self, start: datetime, end: datetime) -> dict[str, int]:
        """For prompts with prompted_at in [start, end): how many, per outcome ('open' while open), and their
        snoozes; and the self-started breaks in the same span. Counted by SQLite: called on every change."""
        bounds = (utc_text(start), utc_text(end))
        counts: dict[str, int] = {"prompts": 0}
        for outcome, number in self._read(
            "SELECT coalesce(outcome, 'open'), count(*) FROM prompts WHERE prompted_at >= ? AND prompted_at < ? "
            "GROUP BY 1", bounds):
            counts[str(outcome)] = int(number)
            counts["prompts"] += int(number)
        counts["snoozes"] = int(self._read(
            "SELECT count(*) FROM events e JOIN prompts p ON e.prompt_id = p.id WHERE e.kind = 'snoozed' "
            "AND p.prompted_at >= ? AND p.prompted_at < ?", bounds)[0][0])
        counts["self_breaks"] = int(self._read(
            "SELECT count(*) FROM events WHERE kind = 'self_break' AND at >= ? AND at < ?", bounds)[0][0])
        return counts

    def integrity_check(self) -> str:
        return str(self._read("PRAGMA integrity_check", ())[0][0])

    def quick_check(self) -> str:
        """SQLite's quick check: 'ok', or the first problem found (a damaged page, a broken index)."""
        return str(self._read("PRAGMA quick_check(1)", ())[0][0])

    def copy_rows(self, sql: str, rows: Iterable[tuple[object, ...]]) -> int:
        """Insert `rows` (for `standup repair`) in one transaction, leaving out those the log refuses."""
        copied = 0
        with self._transaction():
            for row in rows:
                try:
                    self._db.execute(sql, row)
                except sqlite3.IntegrityError:
                    continue  # an event whose prompt was lost, a second open prompt
                copied += 1
        return copied

    def _prompts(self, where: str, params: tuple[object, ...]) -> list[PromptRecord]:
        rows = self._read(f"SELECT {_PROMPT_COLUMNS}, {_SNOOZES} FROM prompts p {where}", params)
        return [_prompt(row) for row in rows]

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the log ({exc}); it was left untouched") from exc


class _Stranded(sqlite3.OperationalError):
    def __init__(self) -> None:
        super().__init__("the log file was deleted or replaced and a fresh one cannot be made yet")


def _insert_event(
    db: sqlite3.Connection, at: datetime, kind: EventKind, prompt_id: int | None, data: dict[str, object] | None
) -> None:
    db.execute(
        "INSERT INTO events (at, kind, prompt_id, data) VALUES (?, ?, ?, ?)",
        (utc_text(at), kind.value, prompt_id, json.dumps(data or {}, sort_keys=True)),
    )


def _create_private(path: Path) -> None:
    """Make the database owner-only (0600) before SQLite opens it: created so, or tightened if it is ours
    and others can read it. SQLite gives the -wal and -shm files the database's mode."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            info = file.stat()
        except FileNotFoundError:
            continue
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(file, 0o600)


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
