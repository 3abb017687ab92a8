"""A log that cannot be written (disk full, read-only, failing): the app keeps reminding and keeps the
answers in memory, in order, until it can write them; nothing acknowledged is lost once it can."""

from __future__ import annotations

import json
import resource
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from standup.core.errors import StoreError
from standup.core.model import Outcome
from standup.adapters.store import Store
from standup.service.ports import Listener
from tests.day import Day
from tests.processes import ALL_DAY, end, run_standup, start_app, wait_for

MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


class FailingDisk:
    """Stands in for a connection: passes everything to SQLite, except that while `error` is set
    every write transaction fails with it (as SQLite reports a full disk or a read-only file)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.error: str | None = None
        self.refused = 0

    def execute(self, sql: str, *params: Any) -> sqlite3.Cursor:
        if self.error and sql.startswith("BEGIN"):
            self.refused += 1
            raise sqlite3.OperationalError(self.error)
        return self._db.execute(sql, *params)

    @property
    def in_transaction(self) -> bool:
        return self._db.in_transaction

    def close(self) -> None:
        self._db.close()


def failing(store: Store) -> FailingDisk:
    disk = FailingDisk(store._db)
    store._db = disk  # type: ignore[assignment]
    return disk


class LogTrouble(Listener):
    """A listener that notes what the service says about the log."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def log_unwritable(self, message: str) -> None:
        self.said.append(f"unwritable: {message}")

    def log_writable(self) -> None:
        self.said.append("writable")


def test_a_full_disk_day_keeps_reminding_and_saves_every_answer_once_there_is_room(tmp_path):
    day = Day(tmp_path)  # 09:00, Monday, hourly prompts
    trouble = LogTrouble()
    day.service.subscribe(trouble)
    disk = failing(day.store)
    day.until("10:00")
    assert day.seen.prompt_times() == ["10:00"]
    disk.error = "database or disk is full"
    day.minutes(2)
    answer = day.service.done()  # 10:02
    assert answer.action == "done" and answer.saved is False
    day.until("11:02")
    assert day.seen.prompt_times() == ["10:00", "11:02"]  # still reminding, an hour after the answer
    skipped = day.service.skip()
    assert skipped.saved is False and skipped.prompt is not None and skipped.prompt.id == 2
    status = day.service.status()
    assert status.unsaved == 3  # the done, prompt 2 and its skip
    assert status.log_error is not None and "disk is full" in status.log_error and str(day.path) in status.log_error
    assert trouble.said == [f"unwritable: {status.log_error}"]  # said once, not at every write
    assert [(p.id, p.outcome) for p in day.store.prompts_between(day.clock.at("00:00"), day.clock.at("23:59"))] == [
        (1, None)]  # what is on disk so far

    disk.error = None  # space freed at 11:10; the next retry (a minute at most) writes it all
    day.until("11:12")
    assert day.store.unsaved == 0 and day.service.status().log_error is None
    assert trouble.said[-1] == "writable"
    assert day.log() == [("10:00", "done"), ("11:02", "skipped")]
    assert day.store.integrity_check() == "ok"


def test_answers_kept_in_memory_go_to_disk_in_the_order_they_were_given(tmp_path):
    day = Day(tmp_path)
    disk = failing(day.store)
    disk.error = "attempt to write a readonly database"
    day.until("10:00")  # the prompt itself is not on disk yet
    day.service.snooze(10)
    day.until("10:10")
    day.service.done()
    assert day.store.unsaved == 4  # prompted, snoozed, re-shown, done
    disk.error = None
    day.service.take_break()  # the next write carries the backlog first
    [first, second] = day.store.prompts_between(day.clock.at("00:00"), day.clock.at("23:59"))
    assert (first.id, first.outcome, first.snoozes) == (1, Outcome.DONE, 1)
    assert second.id == 2 and second.outcome is None


def test_a_write_that_contradicts_the_log_is_refused_not_kept(tmp_path):
    store = Store.open(tmp_path / "log.db")
    store.add_prompt(MONDAY_10, None)
    with pytest.raises(StoreError, match="refused prompt 2"):
        store.add_prompt(MONDAY_10 + timedelta(minutes=1), None)  # a second open prompt
    assert store.unsaved == 0


def test_quitting_with_answers_in_memory_says_what_is_lost(tmp_path):
    day = Day(tmp_path)
    disk = failing(day.store)
    day.until("10:00")
    disk.error = "disk I/O error"
    day.service.done()
    lost = day.service.stop()
    assert lost[0].startswith("done for prompt 1 at ") and lost[-1].startswith("stopped at ")


# -- the real app with a real full disk: RLIMIT_FSIZE makes every write past byte 1 fail (EFBIG) --

def answer(home, *argv) -> dict[str, Any]:  # noqa: ANN001
    result = run_standup(home, *argv, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(resource, "prlimit"), reason="needs Linux prlimit")
def test_the_running_app_survives_a_full_disk_and_saves_the_answers_afterwards(tmp_path):
    (tmp_path / "config.toml").write_text(ALL_DAY)
    app = start_app(tmp_path)
    try:
        assert wait_for(lambda: run_standup(tmp_path, "status", "--json").returncode == 0
                        and answer(tmp_path, "status")["running"]), "the app did not start"
        first = answer(tmp_path, "break")
        soft, hard = resource.prlimit(app.pid, resource.RLIMIT_FSIZE)
        resource.prlimit(app.pid, resource.RLIMIT_FSIZE, (1, hard))  # the disk is full now
        try:
            done = answer(tmp_path, "done")
            assert done["action"] == "done" and done["saved"] is False
            second = answer(tmp_path, "break")  # it still prompts
            assert second["id"] == first["id"] + 1
            status = answer(tmp_path, "status")
            assert status["unsaved"] >= 2 and "cannot write to the log" in status["log_error"]
            refused = run_standup(tmp_path, "quit")
            assert refused.returncode == 6 and "not saved yet" in refused.stderr and "--force" in refused.stderr
            assert len(refused.stderr.strip().splitlines()) == 1
        finally:
            resource.prlimit(app.pid, resource.RLIMIT_FSIZE, (soft, hard))  # space again
        skipped = answer(tmp_path, "skip")
        assert skipped["saved"] is True and skipped["prompt"]["id"] == second["id"]
        log = {row["id"]: row["outcome"] for row in answer(tmp_path, "log")["prompts"]}
        assert log == {first["id"]: "done", second["id"]: "skipped"}
        assert run_standup(tmp_path, "quit").returncode == 0
        app.wait(15)
    finally:
        end(app)
    with sqlite3.connect(tmp_path / "standup.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
