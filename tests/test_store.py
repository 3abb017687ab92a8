"""The SQLite log: round trips, migrations, damaged files kept, and durability under SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from standup.core.errors import StoreError
from standup.core.model import EventKind, Outcome, Suggestion
from standup.adapters.store import MIGRATIONS, Store

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_prompt_and_events_round_trip(tmp_path):
    store = Store.open(tmp_path / "log.db")
    squats = Suggestion("chair-squat", "Chair squats", sets=3, reps=12, minutes=4, cue="Feet apart.", squats=36)
    prompt = store.add_prompt(T0, squats)
    store.add_event(T0 + timedelta(minutes=1), EventKind.SNOOZED, prompt.id, {"minutes": 10})
    store.close_prompt(prompt.id, Outcome.DONE, T0 + timedelta(minutes=12))
    [record] = store.prompts_between(T0, T0 + timedelta(hours=1))
    assert (record.outcome, record.snoozes, record.routine, record.sets, record.reps, record.squats) == (
        Outcome.DONE, 1, "chair-squat", 3, 12, 36)
    assert record.answered_at == T0 + timedelta(minutes=12)
    kinds = [e.kind for e in store.events_between(T0, T0 + timedelta(hours=1))]
    assert kinds == [EventKind.PROMPTED, EventKind.SNOOZED, EventKind.DONE]
    assert store.events_between(T0, T0 + timedelta(hours=1))[0].data["suggestion"]["name"] == "Chair squats"


def test_ranges_are_half_open(tmp_path):
    store = Store.open(tmp_path / "log.db")
    store.add_prompt(T0, None)
    assert store.prompts_between(T0, T0 + timedelta(seconds=1))
    assert store.prompts_between(T0 - timedelta(hours=1), T0) == []


def test_a_closed_prompt_cannot_be_answered_again(tmp_path):
    store = Store.open(tmp_path / "log.db")
    prompt = store.add_prompt(T0, None)
    store.close_prompt(prompt.id, Outcome.SKIPPED, T0)
    with pytest.raises(StoreError):
        store.close_prompt(prompt.id, Outcome.DONE, T0)
    assert store.prompt(prompt.id).outcome is Outcome.SKIPPED


def test_only_one_prompt_is_open_at_a_time(tmp_path):
    store = Store.open(tmp_path / "log.db")
    store.add_prompt(T0, None)
    with pytest.raises(StoreError):
        store.add_prompt(T0 + timedelta(minutes=1), None)


def test_wal_full_sync_schema_version_and_private_file(tmp_path):
    path = tmp_path / "log.db"
    store = Store.open(path)
    assert store.schema_version() == len(MIGRATIONS)
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store.close()
    assert Store.open(path).schema_version() == len(MIGRATIONS)  # reopening migrates nothing


def test_a_damaged_file_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "standup.db"
    garbage = b"this is not sqlite" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as error:
        Store.open(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)
    assert "`standup repair`" in str(error.value)
    assert path.read_bytes() == garbage


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "log.db"
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="upgrade standup"):
        Store.open(path)


def test_readonly_open_of_a_missing_log_is_empty_and_creates_nothing(tmp_path):
    path = tmp_path / "none.db"
    assert Store.open(path, readonly=True).prompts_between(T0, T0 + timedelta(days=1)) == []
    assert not path.exists()


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from standup.core.model import EventKind, Outcome
    from standup.adapters.store import Store

    store = Store.open(Path(sys.argv[1]))
    t = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    for i in range(100000):
        prompt = store.add_prompt(t + timedelta(minutes=i), None)
        store.close_prompt(prompt.id, Outcome.DONE, t + timedelta(minutes=i, seconds=30))
        print(prompt.id, flush=True)  # acknowledged only after the commit returned
    """
)


@pytest.mark.parametrize("acks_before_kill", [1, 37, 150])
def test_sigkill_mid_stream_loses_no_acknowledged_answer(tmp_path, acks_before_kill):
    path = tmp_path / "log.db"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    acknowledged = []
    assert writer.stdout is not None
    while len(acknowledged) < acks_before_kill:
        acknowledged.append(int(writer.stdout.readline()))
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    store = Store.open(path)
    assert store.integrity_check() == "ok"
    answered = {p.id for p in store.prompts_between(T0, T0 + timedelta(days=400)) if p.outcome is Outcome.DONE}
    assert set(acknowledged) <= answered


def test_counts_between_tallies_a_day(tmp_path):
    store = Store.open(tmp_path / "log.db")
    first = store.add_prompt(T0, None)
    store.add_event(T0 + timedelta(minutes=1), EventKind.SNOOZED, first.id, {"minutes": 10})
    store.add_event(T0 + timedelta(minutes=2), EventKind.SNOOZED, first.id, {"minutes": 10})
    store.close_prompt(first.id, Outcome.DONE, T0 + timedelta(minutes=25))
    second = store.add_prompt(T0 + timedelta(hours=1), None)
    store.close_prompt(second.id, Outcome.SKIPPED, T0 + timedelta(hours=1, minutes=1))
    store.add_event(T0 + timedelta(hours=2), EventKind.SELF_BREAK)
    store.add_prompt(T0 + timedelta(hours=3), None)
    store.add_event(T0 + timedelta(days=1), EventKind.SELF_BREAK)  # another day
    assert store.counts_between(T0, T0 + timedelta(hours=12)) == {
        "prompts": 3, "done": 1, "skipped": 1, "open": 1, "snoozes": 2, "self_breaks": 1}
