"""A damaged log: `standup run` refuses it in one line and leaves it untouched; only `standup repair`
(the user's say-so) keeps it aside, byte for byte, and starts a fresh log with what could be read."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from standup.core.model import Outcome
from standup.adapters.repair import check_log, repair_log
from standup.adapters.store import Store
from tests.processes import run_standup

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


def a_month_of_log(path: Path) -> None:
    store = Store.open(path)
    for day in range(30):
        for hour in range(8):
            at = T0 + timedelta(days=day, hours=hour)
            prompt = store.add_prompt(at, None)
            store.close_prompt(prompt.id, Outcome.DONE if hour % 3 else Outcome.SKIPPED, at + timedelta(minutes=2))
    store.close()  # the last connection checkpoints the WAL into the file


def damage_the_events_table(path: Path) -> None:
    """Overwrites one leaf page in the middle of the events table (the prompts table stays readable)."""
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = [row[0] for row in db.execute("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf'")]
    data = bytearray(path.read_bytes())
    victim = pages[len(pages) // 2]
    data[(victim - 1) * page_size:victim * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))


def test_run_refuses_a_file_that_is_not_a_log_and_repair_keeps_it_aside(tmp_path):
    path = tmp_path / "standup.db"
    garbage = b"not a database at all " * 500
    path.write_bytes(garbage)
    refused = run_standup(tmp_path, "run", "--no-tray")
    assert refused.returncode == 6
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith(f"standup: {path}: the log is damaged") and "`standup repair`" in line
    assert path.read_bytes() == garbage  # untouched

    repaired = run_standup(tmp_path, "repair")
    assert repaired.returncode == 0, repaired.stderr
    [kept] = tmp_path.glob("standup.db.damaged-*")
    assert kept.read_bytes() == garbage
    assert str(kept) in repaired.stdout and "0 prompts" in repaired.stdout
    log = run_standup(tmp_path, "log", "--json", "--date", "2026-11-23")
    assert log.returncode == 0 and json.loads(log.stdout)["prompts"] == []


def test_damage_inside_the_file_is_caught_at_start_and_repair_recovers_what_is_readable(tmp_path):
    path = tmp_path / "standup.db"
    a_month_of_log(path)
    damage_the_events_table(path)
    damaged = path.read_bytes()
    assert check_log(path) is not None

    refused = run_standup(tmp_path, "run", "--no-tray")
    assert refused.returncode == 6 and "`standup repair`" in refused.stderr
    assert path.read_bytes() == damaged

    result = repair_log(path, T0 + timedelta(days=40))
    assert result.kept_as == tmp_path / "standup.db.damaged-20270102T080000Z"
    assert result.kept_as.read_bytes() == damaged
    assert result.prompts == 240  # the prompts table was not hit
    assert 0 < result.events < 480  # the events before the damaged page came back
    assert check_log(path) is None
    store = Store.open(path, readonly=True)
    try:
        prompts = store.prompts_between(T0, T0 + timedelta(days=31))
        assert [p.outcome for p in prompts].count(Outcome.SKIPPED) == 90
        assert store.integrity_check() == "ok"
    finally:
        store.close()


def test_a_healthy_log_is_left_alone(tmp_path):
    path = tmp_path / "standup.db"
    a_month_of_log(path)
    before = path.read_bytes()
    result = repair_log(path, T0)
    assert result.kept_as is None and "nothing to repair" in result.describe(path)
    assert path.read_bytes() == before and list(tmp_path.glob("*.damaged-*")) == []
